package org.assemblypay.gateway.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * {@code /simulator} in demo mode: a feature phone in the browser (static files, no build step).
 */
public final class SimulatorRoutes implements Routes {
  @Override
  public void mount(Router router) {
    // Only the bare path redirects (Vert.x treats "/simulator/" as the same path otherwise), so
    // that the page's relative links resolve under /simulator/.
    router
        .getWithRegex("^/simulator$")
        .handler(
            ctx -> ctx.response().setStatusCode(302).putHeader("location", "/simulator/").end());
    router
        .route("/simulator/*")
        .handler(StaticHandler.create("webroot/simulator").setCachingEnabled(false));
  }
}
