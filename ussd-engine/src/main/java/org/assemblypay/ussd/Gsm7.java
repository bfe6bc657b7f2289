package org.assemblypay.ussd;

/** The GSM 03.38 default alphabet and its extension table, for screen budgeting. */
final class Gsm7 {

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String EXTENSION = "^{}\\[]~|€\f";

  private Gsm7() {}

  static boolean isGsm7(char c) {
    return BASIC.indexOf(c) >= 0 || EXTENSION.indexOf(c) >= 0;
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
      count += EXTENSION.indexOf(text.charAt(i)) >= 0 ? 2 : 1;
    }
    return count;
  }
}
