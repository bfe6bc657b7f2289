package org.assemblypay.payments;

import java.math.BigDecimal;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Converts pesewas to and from the decimal text providers use ({@code "5.00"}), exactly and without
 * floating point.
 */
public final class DecimalAmount {

  /** Digits, optionally a point and one or two digits; no sign, exponent or spaces. */
  private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,15})(\\.[0-9]{1,2})?");

  private DecimalAmount() {}

  /** Formats a non-negative amount with two decimals: 500 → "5.00", 7 → "0.07". */
  public static String format(long amountPesewas) {
    if (amountPesewas < 0) {
      throw new IllegalArgumentException("amountPesewas must not be negative");
    }
    long cedis = amountPesewas / 100;
    long pesewas = amountPesewas % 100;
    return cedis + (pesewas < 10 ? ".0" : ".") + pesewas;
  }

  /**
   * Parses provider text ("5", "5.5", "5.50") to pesewas; empty for anything malformed: a sign, an
   * exponent, more than two decimals, spaces, leading zeros, or more than 16 integer digits.
   */
  public static OptionalLong parsePesewas(String text) {
    if (text == null || !DECIMAL.matcher(text).matches()) {
      return OptionalLong.empty();
    }
    int point = text.indexOf('.');
    String cedis = point < 0 ? text : text.substring(0, point);
    String fraction = point < 0 ? "" : text.substring(point + 1);
    long pesewas =
        fraction.isEmpty() ? 0 : Long.parseLong(fraction.length() == 1 ? fraction + "0" : fraction);
    try {
      return OptionalLong.of(
          Math.addExact(Math.multiplyExact(Long.parseLong(cedis), 100L), pesewas));
    } catch (ArithmeticException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Converts an exact JSON decimal (Hubtel sends numbers such as {@code 0.5}) to pesewas; empty
   * when negative or finer than a pesewa.
   */
  public static OptionalLong parsePesewas(BigDecimal amount) {
    if (amount == null || amount.signum() < 0) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(amount.movePointRight(2).longValueExact());
    } catch (ArithmeticException e) {
      return OptionalLong.empty();
    }
  }

  /** The amount as an exact two-decimal {@link BigDecimal}, for JSON bodies that want a number. */
  public static BigDecimal toDecimal(long amountPesewas) {
    return new BigDecimal(format(amountPesewas));
  }
}
