package org.assemblypay.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import org.assemblypay.ussd.dialect.DialectRequest;
import org.assemblypay.ussd.dialect.DialectResponse;
import org.assemblypay.ussd.dialect.UssdFront;

/**
 * {@code POST /ussd/{name}}: a bounded body, then the USSD front (secret, dialect, engine). The
 * event loop only copies bytes; the engine answers asynchronously.
 */
public final class UssdRoutes implements Routes {
  private final Vertx vertx;
  private final UssdFront front;

  public UssdRoutes(Vertx vertx, UssdFront front) {
    this.vertx = vertx;
    this.front = front;
  }

  @Override
  public void mount(Router router) {
    router
        .post("/ussd/:name")
        .handler(BodyHandler.create(false).setBodyLimit(front.maxBodyBytes()))
        .handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    Map<String, String> headers = new HashMap<>();
    ctx.request().headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    Buffer body = ctx.body().buffer();
    Map<String, String> query = new HashMap<>();
    ctx.queryParams().forEach(q -> query.putIfAbsent(q.getKey(), q.getValue()));
    DialectRequest request =
        new DialectRequest(
            ctx.request().getHeader("content-type"),
            headers,
            body == null ? new byte[0] : body.getBytes(),
            ctx.request().remoteAddress() == null
                ? ""
                : ctx.request().remoteAddress().hostAddress(),
            query);
    // Answer on the request's own event loop, whichever thread completes the engine's stage.
    io.vertx.core.Context context = vertx.getOrCreateContext();
    front
        .handle(ctx.pathParam("name"), request)
        .whenComplete(
            (response, error) ->
                context.runOnContext(
                    v -> {
                      if (error != null) {
                        ctx.fail(error);
                      } else {
                        write(ctx, response);
                      }
                    }));
  }

  private static void write(RoutingContext ctx, DialectResponse response) {
    if (ctx.response().ended()) {
      return;
    }
    if (response.correlationId() != null) {
      ctx.response().putHeader("X-Correlation-Id", response.correlationId());
    }
    ctx.response()
        .setStatusCode(response.status())
        .putHeader("content-type", response.contentType())
        .end(Buffer.buffer(response.body()));
  }
}
