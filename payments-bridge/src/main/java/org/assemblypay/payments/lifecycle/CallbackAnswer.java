package org.assemblypay.payments.lifecycle;

import java.util.Objects;

/**
 * The HTTP answer to a provider callback: a status and a small JSON body that reveals nothing about
 * the payment.
 *
 * @param statusCode the HTTP status (200, 404, 413, 503)
 * @param jsonBody the body, {@code application/json}
 */
public record CallbackAnswer(int statusCode, String jsonBody) {

  /** The content type of every body. */
  public static final String CONTENT_TYPE = "application/json";

  static final CallbackAnswer RECEIVED = new CallbackAnswer(200, "{\"status\":\"received\"}");
  static final CallbackAnswer TOO_LARGE = new CallbackAnswer(413, "{\"status\":\"too_large\"}");
  static final CallbackAnswer NO_SUCH_PROVIDER =
      new CallbackAnswer(404, "{\"status\":\"not_found\"}");
  static final CallbackAnswer BUSY = new CallbackAnswer(503, "{\"status\":\"busy\"}");

  /** Checks for null. */
  public CallbackAnswer {
    Objects.requireNonNull(jsonBody, "jsonBody");
  }
}
