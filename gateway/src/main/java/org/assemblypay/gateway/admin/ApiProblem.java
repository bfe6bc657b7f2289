package org.assemblypay.gateway.admin;

import io.vertx.core.json.JsonObject;

/** A request the API refuses with a given status and error code (403, 404, 409, 503, …). */
final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient JsonObject details;

  ApiProblem(int status, String code, String message) {
    this(status, code, message, new JsonObject());
  }

  ApiProblem(int status, String code, String message, JsonObject details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  JsonObject details() {
    return details == null ? new JsonObject() : details;
  }
}
