package org.assemblypay.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's one HTTP server: a router with every route group mounted and a JSON 404/500. */
public final class GatewayHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayHttpServer.class);

  private final Vertx vertx;
  private final HttpServer server;

  private GatewayHttpServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts listening; returns once the port is bound (port 0 picks a free one). */
  public static GatewayHttpServer start(Vertx vertx, String host, int port, List<Routes> groups)
      throws Exception {
    Router router = Router.router(vertx);
    groups.forEach(g -> g.mount(router));
    router
        .route()
        .last()
        .handler(ctx -> JsonErrors.send(ctx, 404, "not_found", "No such resource."));
    router.errorHandler(
        500,
        ctx -> {
          log.error("request failed path={}", ctx.normalizedPath(), ctx.failure());
          JsonErrors.send(ctx, 500, "internal_error", "Something went wrong on our side.");
        });
    router.errorHandler(
        413, ctx -> JsonErrors.send(ctx, 413, "body_too_large", "The request body is too large."));
    router.errorHandler(
        405,
        ctx -> JsonErrors.send(ctx, 405, "method_not_allowed", "That method is not allowed here."));
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new GatewayHttpServer(vertx, server);
  }

  public int port() {
    return server.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("http server did not close cleanly: {}", e.toString());
    }
  }
}
