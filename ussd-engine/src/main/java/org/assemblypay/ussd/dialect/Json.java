package org.assemblypay.ussd.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** JSON reading and writing shared by the dialects. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** The body as a JSON object, or empty when it is not one. */
  static Optional<JsonNode> object(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A field as text (numbers and booleans as written), matching the name case-insensitively. */
  static Optional<String> text(JsonNode object, String name) {
    JsonNode value = object.get(name);
    if (value == null) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equalsIgnoreCase(name)) {
          value = field.getValue();
          break;
        }
      }
    }
    if (value == null || value.isNull() || value.isContainerNode()) {
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] error(String code, String message) {
    return bytes(newObject().put("error", code).put("message", message));
  }
}
