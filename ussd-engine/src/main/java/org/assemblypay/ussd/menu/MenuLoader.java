package org.assemblypay.ussd.menu;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a menu from YAML and checks its structure (every transition leads to a screen, each screen
 * goes on in exactly one way). Content checks are {@code MenuLint}'s job.
 */
public final class MenuLoader {

  /** Options beyond this would collide with the reserved input {@code 98}. */
  public static final int MAX_OPTIONS = 97;

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private MenuLoader() {}

  /** Reads and checks a menu file. */
  public static MenuDefinition load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    } catch (IOException e) {
      throw new MenuException(file.toString(), e);
    }
  }

  /** Reads and checks a classpath resource, e.g. {@code /menus/trader.yaml}. */
  public static MenuDefinition loadResource(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new MenuException(resource, List.of("resource not found"));
      }
      return load(in, resource);
    } catch (IOException e) {
      throw new MenuException(resource, e);
    }
  }

  /** Reads and checks a menu from a stream; {@code source} names it in error messages. */
  public static MenuDefinition load(InputStream in, String source) {
    MenuDefinition menu;
    try {
      menu = YAML.readValue(in, MenuDefinition.class);
    } catch (IOException e) {
      throw new MenuException(source, e);
    }
    if (menu == null) {
      throw new MenuException(source, List.of("empty file"));
    }
    List<String> problems = check(menu);
    if (!problems.isEmpty()) {
      throw new MenuException(source, problems);
    }
    return menu;
  }

  static List<String> check(MenuDefinition menu) {
    List<String> problems = new ArrayList<>();
    Map<String, Screen> screens = menu.screens();
    if (!screens.containsKey(menu.start())) {
      problems.add("start screen '" + menu.start() + "' does not exist");
    }
    for (Map.Entry<String, Screen> entry : screens.entrySet()) {
      String id = entry.getKey();
      Screen screen = entry.getValue();
      if (screen == null) {
        problems.add("screen '" + id + "' is empty");
        continue;
      }
      int ways =
          (screen.end() ? 1 : 0)
              + (screen.input() != null ? 1 : 0)
              + (screen.list() != null ? 1 : 0)
              + (screen.options().isEmpty() ? 0 : 1);
      if (ways > 1) {
        problems.add("screen '" + id + "' mixes options, input, list and end");
      }
      if (ways == 0 && screen.action() == null) {
        problems.add("screen '" + id + "' has no options, input, list, end or action");
      }
      if (screen.text() == null && ways > 0) {
        problems.add("screen '" + id + "' has no text");
      }
      if (screen.options().size() > MAX_OPTIONS) {
        problems.add("screen '" + id + "' has more than " + MAX_OPTIONS + " options");
      }
      if (screen.list() != null && screen.action() == null) {
        problems.add("list screen '" + id + "' needs an action that returns the items");
      }
      if (screen.input() != null && screen.next() == null) {
        problems.add("input screen '" + id + "' needs next");
      }
      for (String target : targets(screen)) {
        if (!screens.containsKey(target)) {
          problems.add("screen '" + id + "' leads to unknown screen '" + target + "'");
        }
      }
      for (MenuOption option : screen.options()) {
        if (option.label() == null || option.next() == null) {
          problems.add("screen '" + id + "' has an option without label or next");
        }
      }
    }
    return problems;
  }

  /** The screens a screen can lead to by its declaration (actions may jump elsewhere too). */
  public static List<String> targets(Screen screen) {
    List<String> targets = new ArrayList<>();
    for (MenuOption option : screen.options()) {
      if (option.next() != null) {
        targets.add(option.next());
      }
    }
    if (screen.next() != null) {
      targets.add(screen.next());
    }
    if (screen.list() != null && screen.list().next() != null) {
      targets.add(screen.list().next());
    }
    targets.addAll(screen.jumps());
    return targets;
  }
}
