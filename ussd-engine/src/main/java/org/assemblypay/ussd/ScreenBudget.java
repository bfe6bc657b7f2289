package org.assemblypay.ussd;

/**
 * How much text fits on one USSD screen: {@code gsm7Chars} when every character is GSM-7 (the
 * extension characters count two), {@code ucs2Chars} when any character needs UCS-2.
 */
public record ScreenBudget(int gsm7Chars, int ucs2Chars) {

  /** 182 GSM-7 characters or 80 UCS-2 characters. */
  public static final ScreenBudget DEFAULT = new ScreenBudget(182, 80);

  /** Checks the limits (a screen needs room for at least a short line and a footer). */
  public ScreenBudget {
    if (gsm7Chars < 40 || ucs2Chars < 30 || gsm7Chars > 1000 || ucs2Chars > 1000) {
      throw new IllegalArgumentException(
          "budget out of range: gsm7Chars " + gsm7Chars + ", ucs2Chars " + ucs2Chars);
    }
  }

  /** True when {@code text} fits on one screen. */
  public boolean fits(String text) {
    return Gsm7.isGsm7(text)
        ? Gsm7.septets(text) <= gsm7Chars
        : text.length() <= ucs2Chars; // UTF-16 code units = UCS-2 characters on the air
  }
}
