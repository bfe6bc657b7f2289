package org.assemblypay.ussd.menu;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What an action decided: variables to keep, and where the menu goes or what it shows. */
public sealed interface ActionResult {

  /** Variables to merge into the session (a {@code null} value removes one). */
  Map<String, String> vars();

  /** Show the screen (or go to {@code next} when present), with these variables. */
  record Proceed(Map<String, String> vars, Optional<String> next) implements ActionResult {
    /** Checks the fields. */
    public Proceed {
      Objects.requireNonNull(vars, "vars");
      Objects.requireNonNull(next, "next");
    }
  }

  /** End the session with the text under {@code textKey}, rendered with these variables. */
  record End(String textKey, Map<String, String> vars) implements ActionResult {
    /** Checks the fields. */
    public End {
      Objects.requireNonNull(textKey, "textKey");
      Objects.requireNonNull(vars, "vars");
    }
  }

  /** Show these items on the (list) screen, paginated by the engine. */
  record Items(List<Item> items, Map<String, String> vars) implements ActionResult {
    /** Checks the fields. */
    public Items {
      items = List.copyOf(items);
      Objects.requireNonNull(vars, "vars");
    }
  }

  /** Stay on the screen with these variables. */
  static ActionResult show(Map<String, String> vars) {
    return new Proceed(vars, Optional.empty());
  }

  /** Go to another screen with these variables. */
  static ActionResult goTo(String screen, Map<String, String> vars) {
    return new Proceed(vars, Optional.of(screen));
  }

  /** End with a text. */
  static ActionResult end(String textKey, Map<String, String> vars) {
    return new End(textKey, vars);
  }

  /** Show a list. */
  static ActionResult items(List<Item> items, Map<String, String> vars) {
    return new Items(items, vars);
  }
}
