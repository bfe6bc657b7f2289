package org.assemblypay.ussd;

import java.util.Optional;

/**
 * A Ghanaian phone number in international form, {@code 233} followed by nine digits. The rule is
 * the ledger's ({@code org.assemblypay.ledger.Msisdn}, D240), copied because the engine does not
 * depend on the ledger; a gateway test checks that both give the same answers.
 */
public record Msisdn(String value) {

  /** Checks the form. */
  public Msisdn {
    if (!isGhanaian(value)) {
      throw new IllegalArgumentException("not a Ghanaian mobile number in 233XXXXXXXXX form");
    }
  }

  /**
   * Normalises {@code 0244123456}, {@code 244123456}, {@code +233 24 412 3456}, {@code
   * 233244123456}, {@code 00233244123456}, {@code (024) 412.3456}; anything else (foreign or
   * garbage) is empty. A character loop, as the ledger's: it runs on every hop.
   */
  public static Optional<Msisdn> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    StringBuilder kept = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (!isSeparator(c)) {
        kept.append(c);
      }
    }
    String digits = kept.toString();
    if (digits.startsWith("+")) {
      digits = digits.substring(1);
    } else if (digits.startsWith("00")) {
      digits = digits.substring(2);
    }
    if (digits.length() == 10 && digits.startsWith("0")) {
      digits = "233" + digits.substring(1);
    } else if (digits.length() == 9 && !digits.startsWith("0")) {
      digits = "233" + digits;
    }
    return isGhanaian(digits) ? Optional.of(new Msisdn(digits)) : Optional.empty();
  }

  /** {@code [\s\-().]}: whitespace as a regular expression sees it, dashes, brackets, dots. */
  private static boolean isSeparator(char c) {
    return c == ' '
        || c == '\t'
        || c == '\n'
        || c == (char) 0x0B
        || c == '\f'
        || c == '\r'
        || c == '-'
        || c == '('
        || c == ')'
        || c == '.';
  }

  /** {@code 233[235][0-9]{8}}. */
  private static boolean isGhanaian(String digits) {
    if (digits == null || digits.length() != 12 || !digits.startsWith("233")) {
      return false;
    }
    char first = digits.charAt(3);
    if (first != '2' && first != '3' && first != '5') {
      return false;
    }
    for (int i = 4; i < 12; i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
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
