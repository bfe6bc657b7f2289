package org.assemblypay.ussd;

/**
 * One thing {@link MenuLint} found wrong with a menu; {@code language} is empty when not tied to
 * one.
 */
public record LintProblem(Kind kind, String screen, String language, String detail) {

  /** What is wrong. */
  public enum Kind {
    /** No path from the start screen leads here. */
    UNREACHABLE_SCREEN,
    /** A text key has no text in a language the menu declares. */
    MISSING_TRANSLATION,
    /** A screen names an action nobody supplied. */
    DANGLING_ACTION,
    /** With every variable at its longest, the screen would be shortened to fit. */
    OVER_BUDGET
  }

  @Override
  public String toString() {
    return kind
        + " screen="
        + screen
        + (language.isEmpty() ? "" : " language=" + language)
        + ": "
        + detail;
  }
}
