package org.assemblypay.ussd.menu;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a free input must look like. */
public enum InputType {
  /** Digits only, leading zeros kept (customer numbers, PINs). */
  @JsonProperty("digits")
  DIGITS,
  /** A whole number, compared with min/max. */
  @JsonProperty("number")
  NUMBER,
  /** A decimal with at most two places (amounts), compared with min/max, stored as {@code 5.00}. */
  @JsonProperty("decimal")
  DECIMAL,
  /** Any text. */
  @JsonProperty("text")
  TEXT
}
