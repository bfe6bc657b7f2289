package org.assemblypay.gateway.http;

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
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
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
