package org.assemblypay.gateway.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server: a router with every route group mounted and a JSON 404/500, served on one
 * port by one server instance per core (at most {@value #MAX_INSTANCES}), each on its own event
 * loop, so HTTP parsing is not held to one thread (D193). Groups that are {@link DirectRoutes} see
 * each request first and answer their own without the router (D220).
 */
public final class GatewayHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayHttpServer.class);

  /** Server instances (event loops accepting connections) at most. */
  static final int MAX_INSTANCES = 4;

  private final Vertx vertx;
  private final List<HttpServer> servers;
  private final List<String> deployments;

  private GatewayHttpServer(Vertx vertx, List<HttpServer> servers, List<String> deployments) {
    this.vertx = vertx;
    this.servers = servers;
    this.deployments = deployments;
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
    List<DirectRoutes> direct =
        groups.stream()
            .filter(DirectRoutes.class::isInstance)
            .map(DirectRoutes.class::cast)
            .toList();
    Handler<HttpServerRequest> handler = direct.isEmpty() ? router : ahead(direct, router);
    int instances =
        Math.max(1, Math.min(MAX_INSTANCES, Runtime.getRuntime().availableProcessors()));
    List<HttpServer> servers = Collections.synchronizedList(new ArrayList<>());
    // Vert.x shares one port between the servers of one deployment's verticle instances and hands
    // each new connection to one of them in turn; each runs on its own event loop. A negative port
    // is Vert.x's way of asking for one random port shared by all of them.
    List<String> deployments =
        List.of(deploy(vertx, host, port == 0 ? -1 : port, handler, servers, instances));
    return new GatewayHttpServer(vertx, List.copyOf(servers), deployments);
  }

  /** The direct groups in order, then the router for whatever none of them took. */
  private static Handler<HttpServerRequest> ahead(List<DirectRoutes> direct, Router router) {
    DirectRoutes[] first = direct.toArray(DirectRoutes[]::new);
    return request -> {
      for (DirectRoutes group : first) {
        if (group.handle(request)) {
          return;
        }
      }
      router.handle(request);
    };
  }

  private static String deploy(
      Vertx vertx,
      String host,
      int port,
      Handler<HttpServerRequest> handler,
      List<HttpServer> sink,
      int instances)
      throws Exception {
    return vertx
        .deployVerticle(
            () -> new ServerInstance(host, port, handler, sink),
            new DeploymentOptions().setInstances(instances))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** One server instance on its own event loop. */
  private static final class ServerInstance extends VerticleBase {
    private final String host;
    private final int port;
    private final Handler<HttpServerRequest> handler;
    private final List<HttpServer> sink;

    ServerInstance(
        String host, int port, Handler<HttpServerRequest> handler, List<HttpServer> sink) {
      this.host = host;
      this.port = port;
      this.handler = handler;
      this.sink = sink;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
          .requestHandler(handler)
          .listen()
          .onSuccess(sink::add);
    }
  }

  public int port() {
    return servers.get(0).actualPort();
  }

  /** How many server instances share the port. */
  int instances() {
    return servers.size();
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    // Undeploying closes each instance's server.
    for (String deployment : deployments) {
      try {
        vertx
            .undeploy(deployment)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        log.warn("http server did not close cleanly: {}", e.toString());
      }
    }
  }
}
