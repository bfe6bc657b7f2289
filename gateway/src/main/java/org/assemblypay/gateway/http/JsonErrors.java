package org.assemblypay.gateway.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes the one error shape every JSON route uses: {@code {code, message, details}}. */
public final class JsonErrors {
  private JsonErrors() {}

  public static void send(RoutingContext ctx, int status, String code, String message) {
    send(ctx, status, code, message, new JsonObject());
  }

  public static void send(
      RoutingContext ctx, int status, String code, String message, JsonObject details) {
    send(ctx.response(), status, code, message, details);
  }

  /** The same error on a bare response, for routes served without the router (D220). */
  public static void send(HttpServerResponse response, int status, String code, String message) {
    send(response, status, code, message, new JsonObject());
  }

  private static void send(
      HttpServerResponse response, int status, String code, String message, JsonObject details) {
    if (response.ended()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("code", code)
                .put("message", message)
                .put("details", details)
                .encode());
  }
}
