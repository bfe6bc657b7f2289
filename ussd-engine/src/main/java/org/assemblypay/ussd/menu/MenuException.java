package org.assemblypay.ussd.menu;

import java.util.List;

/** A menu file that cannot be used: unreadable, or structurally broken. */
public final class MenuException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A menu error listing every problem found. */
  public MenuException(String source, List<String> problems) {
    super("menu " + source + ": " + String.join("; ", problems));
  }

  /** A menu that could not be read at all. */
  public MenuException(String source, Throwable cause) {
    super("menu " + source + " could not be read: " + cause.getMessage(), cause);
  }
}
