package org.assemblypay.ussd.menu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole menu: the start screen, the languages it must be translated into, its screens by id,
 * optional inline texts by language, and the longest value each variable can take (for the
 * worst-case budget check; 20 characters when not given).
 */
public record MenuDefinition(
    String start,
    List<String> languages,
    Map<String, Screen> screens,
    Map<String, Map<String, String>> messages,
    Map<String, Integer> varMaxLengths) {

  /** Default worst-case length of a variable in a text. */
  public static final int DEFAULT_VAR_MAX_LENGTH = 20;

  /** Normalises absent collections to empty ones and keeps the screens' order. */
  public MenuDefinition {
    Objects.requireNonNull(start, "start");
    languages = languages == null ? List.of("en") : List.copyOf(languages);
    screens = screens == null ? Map.of() : new LinkedHashMap<>(screens);
    messages = messages == null ? Map.of() : Map.copyOf(messages);
    varMaxLengths = varMaxLengths == null ? Map.of() : Map.copyOf(varMaxLengths);
  }

  /** The screen with this id; a broken contract if it does not exist. */
  public Screen screen(String id) {
    Screen screen = screens.get(id);
    if (screen == null) {
      throw new IllegalStateException("no screen " + id);
    }
    return screen;
  }
}
