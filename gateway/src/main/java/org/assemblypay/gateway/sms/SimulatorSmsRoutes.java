package org.assemblypay.gateway.sms;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.assemblypay.gateway.http.JsonErrors;
import org.assemblypay.gateway.http.Routes;
import org.assemblypay.smpp.simulator.ReceivedSms;
import org.assemblypay.smpp.simulator.SmscSimulator;

/**
 * The browser phone's SMS in demo mode, on the in-process SMSC simulator: {@code GET
 * /simulator/api/sms?msisdn=} lists what the SMSC received for that number ({@code [{from, text,
 * receivedAt}]}, oldest first); {@code POST /simulator/api/sms} with {@code {from, text}} (and
 * optionally {@code to}) makes the phone send an SMS to the gateway. Mount before the simulator's
 * static files.
 */
public final class SimulatorSmsRoutes implements Routes {

  static final int MAX_BODY_BYTES = 16 * 1024;
  static final int MAX_TEXT_CHARS = 1_600;

  private final SmscSimulator smsc;
  private final String defaultTo;

  /**
   * Routes over {@code smsc}; an SMS posted without {@code to} goes to {@code defaultTo} (the demo
   * assembly's inbound number or short code).
   */
  public SimulatorSmsRoutes(SmscSimulator smsc, String defaultTo) {
    this.smsc = smsc;
    this.defaultTo = defaultTo;
  }

  @Override
  public void mount(Router router) {
    router.get("/simulator/api/sms").handler(this::list);
    router
        .post("/simulator/api/sms")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::send);
  }

  private void list(RoutingContext ctx) {
    String msisdn = ctx.request().getParam("msisdn");
    if (msisdn == null || international(msisdn) == null) {
      JsonErrors.send(ctx, 400, "invalid_msisdn", "Give msisdn as 0244123678 or 233244123678.");
      return;
    }
    JsonArray out = new JsonArray();
    for (ReceivedSms sms : smsc.messagesTo(international(msisdn))) {
      out.add(
          new JsonObject()
              .put("from", sms.from())
              .put("text", sms.text())
              .put("receivedAt", sms.receivedAt().toString()));
    }
    ctx.response().putHeader("content-type", "application/json").end(out.encode());
  }

  private void send(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      JsonErrors.send(ctx, 400, "invalid_body", "Send a JSON object {from, text}.");
      return;
    }
    Object fromValue = body.getValue("from");
    Object textValue = body.getValue("text");
    Object toValue = body.getValue("to", defaultTo);
    String from = fromValue instanceof String s ? international(s) : null;
    if (from == null) {
      JsonErrors.send(ctx, 400, "invalid_from", "from must be a phone number.");
      return;
    }
    if (!(textValue instanceof String text) || text.isBlank() || text.length() > MAX_TEXT_CHARS) {
      JsonErrors.send(ctx, 400, "invalid_text", "text must be 1 to 1600 characters.");
      return;
    }
    if (!(toValue instanceof String to) || !to.matches("\\+?[0-9A-Za-z]{2,20}")) {
      JsonErrors.send(ctx, 400, "invalid_to", "to must be a number or short code.");
      return;
    }
    smsc.injectMo(from, to.startsWith("+") ? to.substring(1) : to, text);
    ctx.response()
        .setStatusCode(202)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", "sent").encode());
  }

  /** {@code 0244123678}, {@code +233244123678} or {@code 233244123678} → 233244123678. */
  static String international(String raw) {
    String n = raw.replaceAll("[\\s-]", "");
    if (n.startsWith("+")) {
      n = n.substring(1);
    }
    if (n.length() == 10 && n.startsWith("0")) {
      n = "233" + n.substring(1);
    }
    return n.matches("[1-9][0-9]{7,14}") ? n : null;
  }
}
