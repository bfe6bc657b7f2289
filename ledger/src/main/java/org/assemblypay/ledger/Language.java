package org.assemblypay.ledger;

import java.util.Locale;

/** A trader's preferred language: English, Twi, Ewe, Ga, Hausa. */
public enum Language {
  EN,
  TW,
  EE,
  GAA,
  HA;

  /** The lower-case code stored in the database and used by menus ({@code tw}). */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a code such as {@code gaa}; throws {@link InvalidInputException} if unknown. */
  public static Language ofCode(String code) {
    for (Language l : values()) {
      if (l.code().equalsIgnoreCase(code == null ? "" : code.trim())) {
        return l;
      }
    }
    throw new InvalidInputException("unknown language " + code);
  }
}
