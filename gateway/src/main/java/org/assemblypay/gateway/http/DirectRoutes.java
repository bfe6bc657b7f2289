package org.assemblypay.gateway.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * A route group that answers its own hot requests ahead of the router, without Vert.x Web's routing
 * context or body handler (D220); everything it declines goes on to the router, where the group is
 * mounted as well.
 */
public interface DirectRoutes extends Routes {

  /**
   * Called on the request's event loop before anything has read the body: takes the request and
   * answers it (returns true), or leaves it untouched for the router (returns false).
   */
  boolean handle(HttpServerRequest request);
}
