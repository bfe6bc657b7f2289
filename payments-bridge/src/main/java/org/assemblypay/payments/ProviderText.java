package org.assemblypay.payments;

import java.text.Normalizer;

/**
 * Makes free text safe for provider fields (MTN's payerMessage/payeeNote, Hubtel's Description):
 * plain letters, digits, spaces and a few punctuation marks, at most a given length.
 */
public final class ProviderText {

  /** MTN's limit on payerMessage and payeeNote. */
  public static final int MTN_MESSAGE_MAX_CHARS = 160;

  private ProviderText() {}

  /**
   * Keeps ASCII letters and digits, space and {@code . , - : / ( ) #}; folds accented and Akan/Ewe
   * letters to their base letter where one exists (é → e; ɛ, ɔ dropped); drops everything else
   * (notably {@code & ' " < > % ; = \}); collapses runs of spaces; trims; cuts to {@code maxChars}.
   */
  public static String sanitise(String text, int maxChars) {
    if (maxChars < 0) {
      throw new IllegalArgumentException("maxChars must not be negative");
    }
    if (text == null) {
      return "";
    }
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    StringBuilder kept = new StringBuilder(Math.min(decomposed.length(), maxChars + 1));
    boolean lastWasSpace = true;
    for (int i = 0; i < decomposed.length() && kept.length() < maxChars; i++) {
      char c = decomposed.charAt(i);
      if (Character.isWhitespace(c)) {
        if (!lastWasSpace) {
          kept.append(' ');
          lastWasSpace = true;
        }
      } else if (isAllowed(c)) {
        kept.append(c);
        lastWasSpace = false;
      }
    }
    return kept.toString().strip();
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || ".,-:/()#".indexOf(c) >= 0;
  }
}
