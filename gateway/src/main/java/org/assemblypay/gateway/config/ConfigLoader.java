package org.assemblypay.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@link GatewayConfig} from a YAML file, applies environment overrides and reports every
 * problem at once.
 *
 * <p>An override names the path in upper snake case after {@code GATEWAY_}: {@code
 * GATEWAY_DATABASE_URL} sets {@code database.url}, {@code GATEWAY_DATABASE_POOL_SIZE} sets {@code
 * database.poolSize}, {@code GATEWAY_AGGREGATORS_0_SHARED_SECRET} sets {@code
 * aggregators[0].sharedSecret}. A name ending in {@code _FILE} reads the value from that file, for
 * secrets mounted by an orchestrator. {@code GATEWAY_TEST_*}, {@code GATEWAY_BENCH_*} and {@code
 * GATEWAY_LOG_*} are not configuration and are left alone.
 */
public final class ConfigLoader {
  private static final String PREFIX = "GATEWAY_";

  /**
   * Variables with the prefix that are not configuration: test and benchmark settings and the log
   * level (read by logback). Any other unknown {@code GATEWAY_} name is an error, so a typo in an
   * override cannot pass unnoticed.
   */
  private static final List<String> NOT_CONFIG =
      List.of("GATEWAY_TEST_", "GATEWAY_BENCH_", "GATEWAY_LOG_");

  private final ObjectMapper yaml =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private final Map<String, String> environment;

  public ConfigLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Loads the file (which may be absent: then only defaults and the environment count). */
  public GatewayConfig load(Path file) {
    ObjectNode root;
    if (file == null) {
      root = JsonNodeFactory.instance.objectNode();
    } else {
      root = readFile(file);
    }
    return bind(root);
  }

  /** Loads configuration from YAML text; used by tests and by {@link #load(Path)}. */
  public GatewayConfig loadText(String yamlText) {
    return bind(parse(yamlText, "configuration text"));
  }

  private ObjectNode readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(List.of("config file not found: " + file));
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read config file " + file + ": " + e.getMessage()));
    }
  }

  private ObjectNode parse(String text, String source) {
    try {
      JsonNode node = yaml.readTree(text);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return JsonNodeFactory.instance.objectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException(List.of(source + ": the top level must be a mapping of keys"));
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          List.of(
              source
                  + ": not valid YAML: "
                  + e.getOriginalMessage().lines().findFirst().orElse("")));
    }
  }

  private GatewayConfig bind(ObjectNode root) {
    List<String> problems = new ArrayList<>();
    applyEnvironment(root, problems);
    checkKeys(root, GatewayConfig.class, "", problems);
    if (problems.isEmpty()) {
      try {
        GatewayConfig config = yaml.treeToValue(root, GatewayConfig.class);
        checkRequired(config, GatewayConfig.class, "", problems);
        if (problems.isEmpty()) {
          return config;
        }
      } catch (JsonProcessingException e) {
        problems.add("invalid value: " + e.getOriginalMessage() + " at " + pathOf(e));
      }
    }
    throw new ConfigException(problems);
  }

  private static String pathOf(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
      StringBuilder sb = new StringBuilder();
      for (var ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else {
          sb.append('[').append(ref.getIndex()).append(']');
        }
      }
      return sb.toString();
    }
    return "?";
  }

  private void applyEnvironment(ObjectNode root, List<String> problems) {
    Map<String, String> sorted = new TreeMap<>(environment);
    for (var entry : sorted.entrySet()) {
      String name = entry.getKey();
      if (!name.startsWith(PREFIX) || NOT_CONFIG.stream().anyMatch(name::startsWith)) {
        continue;
      }
      String value = entry.getValue();
      String key = name.substring(PREFIX.length());
      if (key.endsWith("_FILE")) {
        key = key.substring(0, key.length() - "_FILE".length());
        try {
          value = Files.readString(Path.of(value), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
          problems.add(name + ": cannot read the file it names");
          continue;
        }
      }
      if (!setByEnvironmentKey(root, GatewayConfig.class, key, value)) {
        problems.add(name + ": names no configuration value");
      }
    }
  }

  /** Walks the schema to find the path an upper-snake-case key names, then sets it. */
  private boolean setByEnvironmentKey(ObjectNode node, Class<?> type, String key, String value) {
    for (RecordComponent component : type.getRecordComponents()) {
      String snake = upperSnake(component.getName());
      if (key.equals(snake)) {
        if (isLeaf(component.getType())) {
          node.put(component.getName(), value);
          return true;
        }
        if (List.class.isAssignableFrom(component.getType())) {
          ArrayNode array = node.putArray(component.getName());
          for (String part : value.split(",")) {
            array.add(part.strip());
          }
          return true;
        }
        return false;
      }
      if (key.startsWith(snake + "_")) {
        String rest = key.substring(snake.length() + 1);
        if (component.getType().isRecord()) {
          JsonNode child = node.get(component.getName());
          ObjectNode object =
              child instanceof ObjectNode o ? o : node.putObject(component.getName());
          if (setByEnvironmentKey(object, component.getType(), rest, value)) {
            return true;
          }
        } else if (List.class.isAssignableFrom(component.getType())) {
          Class<?> element = elementType(component.getGenericType());
          int underscore = rest.indexOf('_');
          if (element == null || !element.isRecord() || underscore < 1) {
            continue;
          }
          int index;
          try {
            index = Integer.parseInt(rest.substring(0, underscore));
          } catch (NumberFormatException e) {
            continue;
          }
          JsonNode child = node.get(component.getName());
          ArrayNode array = child instanceof ArrayNode a ? a : node.putArray(component.getName());
          while (array.size() <= index) {
            array.addObject();
          }
          if (array.get(index) instanceof ObjectNode object
              && setByEnvironmentKey(object, element, rest.substring(underscore + 1), value)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void checkKeys(JsonNode node, Class<?> type, String path, List<String> problems) {
    if (!node.isObject()) {
      problems.add("'" + (path.isEmpty() ? "(top)" : path) + "' must be a mapping of keys");
      return;
    }
    Map<String, RecordComponent> components = new TreeMap<>();
    for (RecordComponent c : type.getRecordComponents()) {
      components.put(c.getName(), c);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      RecordComponent component = components.get(name);
      String childPath = path.isEmpty() ? name : path + "." + name;
      if (component == null) {
        problems.add(
            "unknown key '"
                + childPath
                + "' (known here: "
                + String.join(", ", components.keySet())
                + ")");
        continue;
      }
      JsonNode child = node.get(name);
      if (component.getType().isRecord() && !child.isNull()) {
        checkKeys(child, component.getType(), childPath, problems);
      } else if (List.class.isAssignableFrom(component.getType()) && child.isArray()) {
        Class<?> element = elementType(component.getGenericType());
        if (element != null && element.isRecord()) {
          for (int i = 0; i < child.size(); i++) {
            checkKeys(child.get(i), element, childPath + "[" + i + "]", problems);
          }
        }
      }
    }
  }

  private static void checkRequired(
      Object value, Class<?> type, String path, List<String> problems) {
    for (RecordComponent component : type.getRecordComponents()) {
      Object child;
      try {
        child = component.getAccessor().invoke(value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      String childPath = path.isEmpty() ? component.getName() : path + "." + component.getName();
      if (component.isAnnotationPresent(Required.class)
          && (child == null || (child instanceof String s && s.isBlank()))) {
        problems.add(
            "missing required value '"
                + childPath
                + "' (set it in the file or as "
                + PREFIX
                + envName(childPath)
                + ")");
      } else if (child != null && component.getType().isRecord()) {
        if (child instanceof Validated section) {
          problems.addAll(section.problems(childPath));
        }
        checkRequired(child, component.getType(), childPath, problems);
      } else if (child instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          Object element = list.get(i);
          if (element != null && element.getClass().isRecord()) {
            checkRequired(element, element.getClass(), childPath + "[" + i + "]", problems);
          }
        }
      }
    }
  }

  private static String envName(String path) {
    StringBuilder sb = new StringBuilder();
    for (String part : path.replace("[", ".").replace("]", "").split("\\.")) {
      if (sb.length() > 0) {
        sb.append('_');
      }
      sb.append(upperSnake(part));
    }
    return sb.toString();
  }

  static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static boolean isLeaf(Class<?> type) {
    return type.isPrimitive()
        || type == String.class
        || Number.class.isAssignableFrom(type)
        || type == Boolean.class
        || type.isEnum();
  }

  private static Class<?> elementType(Type generic) {
    if (generic instanceof ParameterizedType p
        && p.getActualTypeArguments().length == 1
        && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  /** The configuration as YAML with every {@link Secret} value replaced by {@code ****}. */
  public String describe(GatewayConfig config) {
    JsonNode tree = yaml.valueToTree(config);
    mask(tree, GatewayConfig.class);
    try {
      return yaml.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void mask(JsonNode node, Class<?> type) {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      JsonNode child = object.get(c.getName());
      if (child == null || child.isNull()) {
        continue;
      }
      if (c.isAnnotationPresent(Secret.class)) {
        object.put(c.getName(), "****");
      } else if (c.getType().isRecord()) {
        mask(child, c.getType());
      } else if (child.isArray()) {
        Class<?> element = elementType(c.getGenericType());
        if (element != null && element.isRecord()) {
          child.forEach(e -> mask(e, element));
        }
      }
    }
  }
}
