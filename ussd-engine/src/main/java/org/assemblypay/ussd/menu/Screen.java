package org.assemblypay.ussd.menu;

import java.util.List;

/**
 * One screen: a text key, an optional action run on entry, and exactly one way to go on — numbered
 * {@code options}, a free {@code input}, a {@code list} of items from the action, or {@code end}. A
 * screen with an action and no text is a router: its action must say where to go. {@code jumps}
 * lists the screens its action may go to, so the linter can follow them.
 */
public record Screen(
    String text,
    String action,
    List<MenuOption> options,
    InputSpec input,
    ListSpec list,
    String next,
    boolean end,
    List<String> jumps) {

  /** Normalises absent lists to empty ones. */
  public Screen {
    options = options == null ? List.of() : List.copyOf(options);
    jumps = jumps == null ? List.of() : List.copyOf(jumps);
  }

  /** What a screen does with the user's answer. */
  public enum Kind {
    /** Numbered options. */
    OPTIONS,
    /** Free input, validated. */
    INPUT,
    /** Items returned by the entry action, paginated. */
    LIST,
    /** A final text. */
    END,
    /** No text; the entry action decides where to go. */
    ROUTER
  }

  /** The kind of this screen. */
  public Kind kind() {
    if (end) {
      return Kind.END;
    }
    if (input != null) {
      return Kind.INPUT;
    }
    if (list != null) {
      return Kind.LIST;
    }
    if (!options.isEmpty()) {
      return Kind.OPTIONS;
    }
    return Kind.ROUTER;
  }
}
