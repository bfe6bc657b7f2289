package org.assemblypay.gateway.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one validated admin request carries, copied off the routing context on the event loop so the
 * worker thread never touches it: the caller, path and query parameters, and the body.
 */
record Call(
    AdminCredential caller,
    Map<String, String> path,
    Map<String, String> query,
    JsonObject json,
    String text) {
  static final String CALLER_KEY = "admin.caller";

  static Call of(RoutingContext ctx) {
    Map<String, String> query = new HashMap<>();
    ctx.queryParams().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
    JsonObject json = null;
    String text = null;
    RequestBody body = ctx.body();
    if (body != null && body.available() && body.length() > 0) {
      String type = ctx.request().getHeader("content-type");
      text = body.asString("UTF-8");
      if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        try {
          json = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
          // Only reachable on operations that declare no JSON body (the contract checked the
          // others); body() answers 400 if such an operation ever asks for one.
          json = null;
        }
      }
    }
    return new Call(ctx.get(CALLER_KEY), Map.copyOf(ctx.pathParams()), query, json, text);
  }

  String assemblyCode() {
    return path.get("code");
  }

  long pathId(String name) {
    try {
      return Long.parseLong(path.get(name));
    } catch (NumberFormatException e) {
      throw badRequest(name + " must be a number");
    }
  }

  UUID pathUuid(String name) {
    try {
      return UUID.fromString(path.get(name));
    } catch (IllegalArgumentException e) {
      throw badRequest(name + " must be a UUID");
    }
  }

  int queryInt(String name, int fallback) {
    String v = query.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw badRequest(name + " must be a whole number");
    }
  }

  long queryLong(String name) {
    try {
      return Long.parseLong(query.get(name).strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw badRequest(name + " must be a whole number");
    }
  }

  LocalDate queryDate(String name) {
    return date(name, query.get(name));
  }

  LocalDate pathDate(String name) {
    return date(name, path.get(name));
  }

  JsonObject body() {
    if (json == null) {
      throw badRequest("a JSON body is required");
    }
    return json;
  }

  String string(String field) {
    return body().getString(field);
  }

  LocalDate bodyDate(String field) {
    String v = body().getString(field);
    return v == null ? null : date(field, v);
  }

  Set<String> strings(String field) {
    JsonArray a = body().getJsonArray(field);
    Set<String> out = new LinkedHashSet<>();
    if (a != null) {
      for (int i = 0; i < a.size(); i++) {
        out.add(a.getString(i));
      }
    }
    return out;
  }

  Set<DayOfWeek> daysOfWeek(String field) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String d : strings(field)) {
      out.add(DayOfWeek.valueOf(d));
    }
    return out;
  }

  private static LocalDate date(String name, String value) {
    if (value == null) {
      throw badRequest(name + " is required");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw badRequest(name + " must be a date like 2026-11-21");
    }
  }

  static ApiProblem badRequest(String message) {
    return new ApiProblem(400, "validation_failed", message);
  }
}
