package org.assemblypay.ussd.dialect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Small helpers for reading aggregator fields. */
final class Fields {

  private Fields() {}

  /** Parses {@code application/x-www-form-urlencoded}; empty when it is not valid. */
  static Optional<Map<String, String>> form(byte[] body) {
    Map<String, String> fields = new HashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return Optional.of(fields);
    }
    try {
      for (String pair : text.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        fields.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(fields);
  }

  static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  static boolean truthy(String value) {
    return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
  }
}
