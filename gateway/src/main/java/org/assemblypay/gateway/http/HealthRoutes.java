package org.assemblypay.gateway.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.assemblypay.gateway.health.Readiness;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics}. */
public final class HealthRoutes implements Routes {
  private final Vertx vertx;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;

  public HealthRoutes(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.readiness = readiness;
    this.registry = registry;
  }

  @Override
  public void mount(Router router) {
    router
        .get("/health/live")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("status", "UP").encode()));
    router
        .get("/health/ready")
        .handler(
            ctx -> {
              io.vertx.core.Context context = vertx.getOrCreateContext();
              readiness
                  .evaluate()
                  .whenComplete(
                      (report, error) ->
                          context.runOnContext(
                              v -> {
                                JsonObject components = new JsonObject();
                                report
                                    .components()
                                    .forEach(
                                        (name, c) ->
                                            components.put(
                                                name,
                                                new JsonObject()
                                                    .put("status", c.up() ? "UP" : "DOWN")
                                                    .put("detail", c.detail())));
                                ctx.response()
                                    .setStatusCode(report.ready() ? 200 : 503)
                                    .putHeader("content-type", "application/json")
                                    .end(
                                        new JsonObject()
                                            .put("status", report.ready() ? "UP" : "DOWN")
                                            .put("components", components)
                                            .encode());
                              }));
            });
    router
        .get("/metrics")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(registry::scrape)
                    .onSuccess(
                        text ->
                            ctx.response()
                                .putHeader(
                                    "content-type", "text/plain; version=0.0.4; charset=utf-8")
                                .end(text))
                    .onFailure(ctx::fail));
  }
}
