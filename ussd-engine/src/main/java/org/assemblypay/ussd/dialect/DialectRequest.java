package org.assemblypay.ussd.dialect;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An aggregator's HTTP request as the gateway received it (header names case-insensitive; {@code
 * query} holds the URL's query parameters, first value of each).
 */
public record DialectRequest(
    String contentType,
    Map<String, String> headers,
    byte[] body,
    String remoteAddress,
    Map<String, String> query) {

  /** A request without query parameters. */
  public DialectRequest(
      String contentType, Map<String, String> headers, byte[] body, String remoteAddress) {
    this(contentType, headers, body, remoteAddress, Map.of());
  }

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
    query = query == null ? Map.of() : Map.copyOf(query);
  }

  /** A query parameter's value (names are case-sensitive, as in a URL). */
  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /** Never prints the body, headers or query: they may carry a shared secret. */
  @Override
  public String toString() {
    return "DialectRequest[contentType=" + contentType + ", bodyBytes=" + body.length + "]";
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
