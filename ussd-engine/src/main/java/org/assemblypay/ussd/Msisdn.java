package org.assemblypay.ussd;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Ghanaian phone number in international form, {@code 233} followed by nine digits. The rule is
 * the ledger's ({@code org.assemblypay.ledger.Msisdn}, D240), copied because the engine does not
 * depend on the ledger; a gateway test checks that both give the same answers.
 */
public record Msisdn(String value) {

  private static final Pattern INTERNATIONAL = Pattern.compile("233[235]\\d{8}");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().]");

  /** Checks the form. */
  public Msisdn {
    if (value == null || !INTERNATIONAL.matcher(value).matches()) {
      throw new IllegalArgumentException("not a Ghanaian mobile number in 233XXXXXXXXX form");
    }
  }

  /**
   * Normalises {@code 0244123456}, {@code 244123456}, {@code +233 24 412 3456}, {@code
   * 233244123456} and {@code 00233244123456}; anything else (foreign or garbage) is empty.
   */
  public static Optional<Msisdn> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String digits = SEPARATORS.matcher(raw).replaceAll("");
    if (digits.startsWith("+")) {
      digits = digits.substring(1);
    } else if (digits.startsWith("00")) {
      digits = digits.substring(2);
    }
    String candidate;
    if (digits.length() == 12 && digits.startsWith("233")) {
      candidate = digits;
    } else if (digits.length() == 10 && digits.startsWith("0")) {
      candidate = "233" + digits.substring(1);
    } else if (digits.length() == 9) {
      candidate = "233" + digits;
    } else {
      return Optional.empty();
    }
    return INTERNATIONAL.matcher(candidate).matches()
        ? Optional.of(new Msisdn(candidate))
        : Optional.empty();
  }

  /** The local form for logs with the middle hidden, e.g. {@code 0244***456}. */
  public String masked() {
    return "0" + value.substring(3, 6) + "***" + value.substring(9);
  }

  /** The local form, e.g. {@code 0244123456}. */
  public String local() {
    return "0" + value.substring(3);
  }

  @Override
  public String toString() {
    return masked();
  }
}
