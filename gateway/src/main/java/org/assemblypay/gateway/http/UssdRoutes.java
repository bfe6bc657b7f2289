package org.assemblypay.gateway.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.assemblypay.ussd.dialect.DialectRequest;
import org.assemblypay.ussd.dialect.DialectResponse;
import org.assemblypay.ussd.dialect.UssdFront;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /ussd/{name}}: a bounded body, then the USSD front (secret, dialect, engine). The
 * event loop only copies bytes; the engine answers asynchronously.
 *
 * <p>A hop whose route name is plain ({@value #NAME_CHARS}) is served straight from the HTTP
 * server's request handler, ahead of the router (D220): the same body limit and 413, the same
 * front, the same reply and 500. Anything else (another method, an encoded or odd path) goes to the
 * router, where the route is mounted as before.
 */
public final class UssdRoutes implements DirectRoutes {
  private static final Logger log = LoggerFactory.getLogger(UssdRoutes.class);

  static final String PREFIX = "/ussd/";
  static final String NAME_CHARS = "A-Z a-z 0-9 _ -, at most 64";
  private static final int MAX_NAME_LENGTH = 64;
  private static final byte[] EMPTY = new byte[0];

  private final Vertx vertx;
  private final UssdFront front;
  private final int bodyLimit;

  public UssdRoutes(Vertx vertx, UssdFront front) {
    this.vertx = vertx;
    this.front = front;
    this.bodyLimit = front.maxBodyBytes();
  }

  @Override
  public void mount(Router router) {
    router
        .post("/ussd/:name")
        .handler(BodyHandler.create(false).setBodyLimit(bodyLimit))
        .handler(this::handle);
  }

  @Override
  public boolean handle(HttpServerRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      return false;
    }
    String path = request.path();
    if (path == null || !path.startsWith(PREFIX) || !plainName(path, PREFIX.length())) {
      return false;
    }
    new DirectHop(request, path.substring(PREFIX.length())).start();
    return true;
  }

  /** Whether {@code path} from {@code from} on is a route name the router would pass unchanged. */
  static boolean plainName(String path, int from) {
    int length = path.length() - from;
    if (length < 1 || length > MAX_NAME_LENGTH) {
      return false;
    }
    for (int i = from; i < path.length(); i++) {
      char c = path.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** The router's path: percent-encoded names, trailing slashes. */
  private void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    Map<String, String> query = new HashMap<>();
    // The router's query parameters only: the body handler merges form fields into params().
    ctx.queryParams().forEach(q -> query.putIfAbsent(q.getKey(), q.getValue()));
    answer(
        ctx.request(),
        ctx.pathParam("name"),
        body == null ? EMPTY : body.getBytes(),
        query,
        ctx::fail);
  }

  /** The URL's query parameters of a request no body handler has seen. */
  private static Map<String, String> queryOf(HttpServerRequest http) {
    if (http.query() == null) {
      return Map.of();
    }
    Map<String, String> query = new HashMap<>();
    http.params().forEach(q -> query.putIfAbsent(q.getKey(), q.getValue()));
    return query;
  }

  /** Builds the front's request, asks the front, writes its reply on the request's event loop. */
  private void answer(
      HttpServerRequest http,
      String name,
      byte[] body,
      Map<String, String> query,
      Consumer<Throwable> onFailure) {
    Map<String, String> headers = new HashMap<>();
    http.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    DialectRequest request =
        new DialectRequest(
            http.getHeader(HttpHeaders.CONTENT_TYPE),
            headers,
            body,
            http.remoteAddress() == null ? "" : http.remoteAddress().hostAddress(),
            query);
    Context context = vertx.getOrCreateContext();
    HttpServerResponse response = http.response();
    front
        .handle(name, request)
        .whenComplete(
            (reply, error) -> {
              if (Vertx.currentContext() == context) {
                // Answered at once (a refused secret, a bad body): no hand-off needed.
                respond(response, reply, error, onFailure);
              } else {
                // Answer on the request's own event loop, whichever thread finished the hop.
                context.runOnContext(v -> respond(response, reply, error, onFailure));
              }
            });
  }

  private static void respond(
      HttpServerResponse response,
      DialectResponse reply,
      Throwable error,
      Consumer<Throwable> onFailure) {
    if (error != null) {
      onFailure.accept(error);
    } else {
      write(response, reply);
    }
  }

  private static void write(HttpServerResponse response, DialectResponse reply) {
    if (response.ended()) {
      return;
    }
    if (reply.correlationId() != null) {
      response.putHeader("X-Correlation-Id", reply.correlationId());
    }
    response
        .setStatusCode(reply.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, reply.contentType())
        .end(Buffer.buffer(reply.body()));
  }

  /** One hop served without the router: collects the body within the limit, then answers. */
  private final class DirectHop implements Handler<Buffer> {
    private final HttpServerRequest request;
    private final String name;
    private Buffer body;
    private boolean copied;
    private boolean refused;

    DirectHop(HttpServerRequest request, String name) {
      this.request = request;
      this.name = name;
    }

    void start() {
      // Whatever happens, the body is read to its end, so a kept-alive connection stays usable.
      request.handler(this);
      request.endHandler(v -> end());
      request.exceptionHandler(e -> log.debug("USSD request broke off: {}", e.toString()));
      if (declaredTooLarge(request.getHeader(HttpHeaders.CONTENT_LENGTH))) {
        refuse();
      }
    }

    private boolean declaredTooLarge(String contentLength) {
      if (contentLength == null) {
        return false;
      }
      try {
        return Long.parseLong(contentLength.trim()) > bodyLimit;
      } catch (NumberFormatException e) {
        return false; // Netty refuses a malformed length before a request gets here
      }
    }

    @Override
    public void handle(Buffer chunk) {
      if (refused) {
        return;
      }
      long size = (body == null ? 0L : body.length()) + chunk.length();
      if (size > bodyLimit) {
        refuse();
        return;
      }
      if (body == null) {
        body = chunk;
      } else if (!copied) {
        body = Buffer.buffer((int) size).appendBuffer(body).appendBuffer(chunk);
        copied = true;
      } else {
        body.appendBuffer(chunk);
      }
    }

    private void refuse() {
      refused = true;
      body = null;
      JsonErrors.send(request.response(), 413, "body_too_large", "The request body is too large.");
    }

    private void end() {
      if (refused) {
        return;
      }
      answer(
          request,
          name,
          body == null ? EMPTY : body.getBytes(),
          queryOf(request),
          error -> {
            log.error("request failed path={}", request.path(), error);
            JsonErrors.send(
                request.response(), 500, "internal_error", "Something went wrong on our side.");
          });
    }
  }
}
