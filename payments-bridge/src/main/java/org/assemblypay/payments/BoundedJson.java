package org.assemblypay.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads provider JSON within bounds: callback bodies at most 16 KiB, numbers as exact decimals
 * (never {@code double}), failures as typed refusals rather than exceptions.
 */
public final class BoundedJson {

  /** The largest callback body read, as for every callback route (ARCHITECTURE.md, Limits). */
  public static final int MAX_CALLBACK_BYTES = 16 * 1024;

  /** The largest provider response body read by the adapters. */
  public static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private static final int MAX_NESTING_DEPTH = 32;

  private static final ObjectMapper MAPPER = newMapper();

  private BoundedJson() {}

  /** A mapper that keeps decimals exact and refuses deep nesting; thread-safe once built. */
  public static ObjectMapper newMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_RESPONSE_BYTES)
                .build());
    return mapper;
  }

  /** Parses a provider response body; empty when it is too large or not a JSON object. */
  public static Optional<JsonNode> readObject(byte[] body) {
    if (body == null || body.length == 0 || body.length > MAX_RESPONSE_BYTES) {
      return Optional.empty();
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads a callback body: refuses it when over {@link #MAX_CALLBACK_BYTES}, empty or not a JSON
   * object, then hands the object to {@code reader}. Anything the reader throws becomes a {@link
   * CallbackParse.Refusal#MALFORMED} refusal, so no exception escapes.
   */
  public static CallbackParse readCallback(byte[] body, Function<JsonNode, CallbackParse> reader) {
    if (body == null || body.length == 0) {
      return new CallbackParse.Refused(CallbackParse.Refusal.MALFORMED, "empty body");
    }
    if (body.length > MAX_CALLBACK_BYTES) {
      return new CallbackParse.Refused(
          CallbackParse.Refusal.TOO_LARGE, "body of " + body.length + " bytes");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return new CallbackParse.Refused(CallbackParse.Refusal.MALFORMED, "not JSON");
    } catch (IOException e) {
      return new CallbackParse.Refused(CallbackParse.Refusal.MALFORMED, "unreadable");
    }
    if (node == null || !node.isObject()) {
      return new CallbackParse.Refused(CallbackParse.Refusal.MALFORMED, "not a JSON object");
    }
    try {
      return reader.apply(node);
    } catch (RuntimeException e) {
      return new CallbackParse.Refused(
          CallbackParse.Refusal.MALFORMED, "unexpected shape: " + e.getClass().getSimpleName());
    }
  }

  /** A text field of an object, empty when absent, null or not text. */
  public static Optional<String> text(JsonNode object, String field) {
    JsonNode value = object == null ? null : object.get(field);
    return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  /** Reads a canonical UUID v4 ({@code 8-4-4-4-12} hex); empty for anything else. */
  public static Optional<UUID> uuidV4(String text) {
    if (text == null
        || !text.matches(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
      return Optional.empty();
    }
    UUID uuid = UUID.fromString(text);
    return uuid.variant() == 2 ? Optional.of(uuid) : Optional.empty();
  }
}
