package org.assemblypay.payments;

import java.util.Objects;

/** A credential value that never prints: {@link #toString()} is always {@code ***}. */
public record Secret(String value) {

  /** Checks for null. */
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  /** Whether the value is empty (an unset optional credential). */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "***";
  }
}
