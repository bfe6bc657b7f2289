package org.assemblypay.ussd.dialect;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** An aggregator's HTTP request as the gateway received it (header names case-insensitive). */
public record DialectRequest(
    String contentType, Map<String, String> headers, byte[] body, String remoteAddress) {

  /** Copies the headers into a case-insensitive map. */
  public DialectRequest {
    contentType = contentType == null ? "" : contentType;
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      copy.putAll(headers);
    }
    headers = Collections.unmodifiableMap(copy);
    Objects.requireNonNull(body, "body");
    remoteAddress = remoteAddress == null ? "" : remoteAddress;
  }

  /** A header's value. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** The media type without parameters, lower case. */
  public String mediaType() {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }
}
