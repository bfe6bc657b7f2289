package org.assemblypay.ussd;

import java.util.Objects;

/** What the engine answers to one hop: keep the session open (CONTINUE) or close it (END). */
public record UssdReply(Action action, String text) {

  /** Whether the session continues after this screen. */
  public enum Action {
    /** Show the text and wait for input. */
    CONTINUE,
    /** Show the text and close the session. */
    END
  }

  /** Checks the fields. */
  public UssdReply {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(text, "text");
  }

  /** A screen that waits for input. */
  public static UssdReply proceed(String text) {
    return new UssdReply(Action.CONTINUE, text);
  }

  /** A final screen. */
  public static UssdReply end(String text) {
    return new UssdReply(Action.END, text);
  }

  /** True when the session closes with this reply. */
  public boolean ends() {
    return action == Action.END;
  }
}
