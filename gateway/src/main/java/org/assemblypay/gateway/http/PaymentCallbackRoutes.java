package org.assemblypay.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import org.assemblypay.payments.lifecycle.CallbackAnswer;
import org.assemblypay.payments.lifecycle.PaymentService;

/**
 * {@code PUT|POST /payments/callback/{provider}}: a bounded body handed to the payment service,
 * which treats it as a hint and confirms with the provider before anything is posted.
 */
public final class PaymentCallbackRoutes implements Routes {
  /** 16 KiB and one byte: the service itself answers 413 for anything over 16 KiB. */
  static final int BODY_LIMIT_BYTES = 16 * 1024 + 1;

  private final PaymentService payments;

  public PaymentCallbackRoutes(PaymentService payments) {
    this.payments = payments;
  }

  @Override
  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
    router.put("/payments/callback/:provider").handler(body).handler(this::handle);
    router.post("/payments/callback/:provider").handler(body).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    Map<String, String> headers = new HashMap<>();
    ctx.request().headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    Buffer body = ctx.body().buffer();
    CallbackAnswer answer =
        payments.handleCallback(
            ctx.pathParam("provider"), headers, body == null ? new byte[0] : body.getBytes());
    ctx.response()
        .setStatusCode(answer.statusCode())
        .putHeader("content-type", CallbackAnswer.CONTENT_TYPE)
        .end(answer.jsonBody());
  }
}
