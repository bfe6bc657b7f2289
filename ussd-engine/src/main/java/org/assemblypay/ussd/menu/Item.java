package org.assemblypay.ussd.menu;

import java.util.Objects;

/** One entry of a paginated list: the text shown and the value stored when it is chosen. */
public record Item(String label, String value) {
  /** Checks the fields. */
  public Item {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(value, "value");
  }
}
