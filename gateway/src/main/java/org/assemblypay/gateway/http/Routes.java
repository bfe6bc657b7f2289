package org.assemblypay.gateway.http;

import io.vertx.ext.web.Router;

/** A group of HTTP routes (health, USSD, callbacks, admin API) mounted on the node's router. */
@FunctionalInterface
public interface Routes {
  void mount(Router router);
}
