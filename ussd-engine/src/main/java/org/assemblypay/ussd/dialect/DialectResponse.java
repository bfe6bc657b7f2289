package org.assemblypay.ussd.dialect;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The HTTP answer to an aggregator; {@code correlationId} is the session's correlation id for the
 * {@code X-Correlation-Id} header, null when the request never reached a session.
 */
public record DialectResponse(int status, String contentType, byte[] body, String correlationId) {

  /** Checks the fields. */
  public DialectResponse {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** An answer without a correlation id. */
  public DialectResponse(int status, String contentType, byte[] body) {
    this(status, contentType, body, null);
  }

  /** The same answer carrying {@code id}. */
  public DialectResponse withCorrelationId(String id) {
    return new DialectResponse(status, contentType, body, id);
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  static DialectResponse text(int status, String text) {
    return new DialectResponse(
        status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  static DialectResponse json(int status, byte[] json) {
    return new DialectResponse(status, "application/json", json);
  }

  /** A JSON error {@code {"error": code, "message": message}} for the caller's mistakes. */
  static DialectResponse error(int status, String code, String message) {
    return json(status, Json.error(code, message));
  }
}
