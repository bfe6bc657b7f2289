package org.assemblypay.ledger;

/** Normalises Ghanaian phone numbers to international digits (233XXXXXXXXX) and masks them. */
final class Msisdn {
  private Msisdn() {}

  /**
   * Returns 233 + 9 digits, or throws {@link InvalidInputException}. Spaces, dashes and brackets
   * are dropped; a leading {@code +} or {@code 00}, a national {@code 0} or no prefix at all are
   * accepted. Written without regular expressions: it runs on every USSD dial and payment.
   */
  static String normalize(String raw) {
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

  /** What the earlier {@code [\s\-()]} matched: whitespace as a regex sees it, dashes, brackets. */
  private static boolean isSeparator(char c) {
    return c == ' '
        || c == '\t'
        || c == '\n'
        || c == (char) 0x0B
        || c == '\f'
        || c == '\r'
        || c == '-'
        || c == '('
        || c == ')';
  }

  /** {@code 233[1-9][0-9]{8}}. */
  private static boolean isGhanaian(String digits) {
    if (digits.length() != 12 || !digits.startsWith("233")) {
      return false;
    }
    char first = digits.charAt(3);
    if (first < '1' || first > '9') {
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
