package org.assemblypay.ussd;

/** The GSM 03.38 default alphabet and its extension table, for screen budgeting. */
final class Gsm7 {

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String EXTENSION = "^{}\\[]~|€\f";

  // Every hop's screen is checked character by character: one table lookup instead of two scans.
  private static final int TABLE_SIZE = 0x2100;
  private static final byte[] SEPTETS = new byte[TABLE_SIZE];

  static {
    for (int i = 0; i < BASIC.length(); i++) {
      SEPTETS[BASIC.charAt(i)] = 1;
    }
    for (int i = 0; i < EXTENSION.length(); i++) {
      SEPTETS[EXTENSION.charAt(i)] = 2;
    }
  }

  private Gsm7() {}

  /** Septets {@code c} takes: 1, 2 (extension table) or 0 when it is not GSM-7. */
  private static int septets(char c) {
    return c < TABLE_SIZE ? SEPTETS[c] : 0;
  }

  static boolean isGsm7(char c) {
    return septets(c) > 0;
  }

  static boolean isGsm7(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!isGsm7(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Septets needed for {@code text}, which must be GSM-7. */
  static int septets(String text) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      count += septets(text.charAt(i)) == 2 ? 2 : 1;
    }
    return count;
  }
}
