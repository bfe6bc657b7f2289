package org.assemblypay.ledger;

/** Normalises Ghanaian phone numbers to international digits (233XXXXXXXXX) and masks them. */
final class Msisdn {
  private Msisdn() {}

  /** Returns 233 + 9 digits, or throws {@link InvalidInputException}. */
  static String normalize(String raw) {
    if (raw == null) {
      throw new InvalidInputException("phone number missing");
    }
    String digits = raw.replaceAll("[\\s\\-()]", "");
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
    if (!digits.matches("233[1-9][0-9]{8}")) {
      throw new InvalidInputException("not a Ghanaian phone number: " + mask(raw));
    }
    return digits;
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
