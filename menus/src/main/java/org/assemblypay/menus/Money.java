package org.assemblypay.menus;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amounts as people read and type them: always written {@code GHS 5.00}; typed forgivingly as
 * {@code 5}, {@code 5.00}, {@code 5,00}, {@code GHS5} or {@code 5.5}. Pesewas only, no floating
 * point.
 */
public final class Money {
  private static final Pattern TYPED =
      Pattern.compile("(?i)^\\s*(?:GHS|GH¢|GH₵|₵|C)?\\s*(\\d{1,9})(?:[.,](\\d{1,2}))?\\s*$");

  private Money() {}

  /** {@code 1250} → {@code GHS 12.50}. */
  public static String format(long pesewas) {
    // Several amounts on most screens: plain appends, not String.format's parser and locale lookup.
    long abs = Math.abs(pesewas);
    long cents = abs % 100;
    StringBuilder sb = new StringBuilder(16).append("GHS ");
    if (pesewas < 0) {
      sb.append('-');
    }
    sb.append(abs / 100).append('.');
    if (cents < 10) {
      sb.append('0');
    }
    return sb.append(cents).toString();
  }

  /** Parses what a person typed; empty when it is not an amount of cedis and pesewas. */
  public static Optional<Long> parse(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    Matcher m = TYPED.matcher(typed);
    if (!m.matches()) {
      return Optional.empty();
    }
    long cedis = Long.parseLong(m.group(1));
    long pesewas = 0;
    if (m.group(2) != null) {
      String fraction = m.group(2).length() == 1 ? m.group(2) + "0" : m.group(2);
      pesewas = Long.parseLong(fraction);
    }
    return Optional.of(cedis * 100 + pesewas);
  }
}
