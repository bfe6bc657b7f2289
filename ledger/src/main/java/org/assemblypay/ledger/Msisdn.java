package org.assemblypay.ledger;

import java.util.Optional;

/**
 * Normalises Ghanaian phone numbers to international digits (233XXXXXXXXX) and masks them: the
 * project's one rule for what a Ghanaian number is (D240), used by the ledger and the payments
 * bridge; the USSD engine, which does not depend on the ledger, keeps a copy that a gateway test
 * holds to the same answers.
 */
public final class Msisdn {
  private Msisdn() {}

  /**
   * Returns 233 + 9 digits, or throws {@link InvalidInputException}. Spaces, dashes, dots and
   * brackets are dropped; a leading {@code +} or {@code 00}, a national {@code 0} or no prefix at
   * all are accepted. The number must be a mobile (02x, 05x) or fixed (03x) one. Written without
   * regular expressions: it runs on every USSD dial and payment.
   */
  public static String normalize(String raw) {
    if (raw == null) {
      throw new InvalidInputException("phone number missing");
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
    if (!isGhanaian(digits)) {
      throw new InvalidInputException("not a Ghanaian phone number: " + mask(raw));
    }
    return digits;
  }

  /**
   * What {@code [\s\-().]} matches: whitespace as a regular expression sees it, dashes, brackets
   * and dots.
   */
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

  /**
   * Whether {@code digits} is a number in the international form {@code normalize} returns: {@code
   * 233[235][0-9]{8}}.
   */
  public static boolean isGhanaian(String digits) {
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

  /** The normalised number, or empty where {@link #normalize} would refuse it. */
  public static Optional<String> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(normalize(raw));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  /** Normalises, or returns null for a blank value. */
  static String normalizeOptional(String raw) {
    return raw == null || raw.isBlank() ? null : normalize(raw);
  }

  /** A loggable form that hides all but the last three digits. */
  static String mask(String msisdn) {
    if (msisdn == null || msisdn.length() < 4) {
      return "***";
    }
    return "*".repeat(msisdn.length() - 3) + msisdn.substring(msisdn.length() - 3);
  }
}
