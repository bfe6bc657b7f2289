package org.assemblypay.gateway.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * {@code /dashboard}: the finance officer's page (static files, no build step) that reads the admin
 * API with the API key the officer types in.
 */
public final class DashboardRoutes implements Routes {
  @Override
  public void mount(Router router) {
    // As for the simulator: only the bare path redirects, so relative links resolve under it.
    router
        .getWithRegex("^/dashboard$")
        .handler(
            ctx -> ctx.response().setStatusCode(302).putHeader("location", "/dashboard/").end());
    router
        .route("/dashboard/*")
        .handler(
            ctx -> {
              // The page holds an API key: keep it out of frames and caches, and scripts local.
              ctx.response()
                  .putHeader("x-frame-options", "DENY")
                  .putHeader("cache-control", "no-store")
                  .putHeader("referrer-policy", "no-referrer")
                  .putHeader(
                      "content-security-policy",
                      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
              ctx.next();
            })
        .handler(StaticHandler.create("webroot/dashboard").setCachingEnabled(false));
  }
}
