package org.assemblypay.ledger;

/**
 * USSD hops on one screen: sessions that started on it, times it was shown awaiting input, inputs
 * that came back to it and sessions that ended on it with a final screen. {@link #droppedOff()}
 * sessions saw it and never answered (hung up, timed out, or still open).
 */
public record UssdScreenCount(String screen, long started, long shown, long answered, long ended) {
  /** Checks the counts. */
  public UssdScreenCount {
    if (screen == null || screen.isBlank() || screen.length() > 64) {
      throw new InvalidInputException("a screen id is 1-64 characters");
    }
    if (started < 0 || shown < 0 || answered < 0 || ended < 0) {
      throw new InvalidInputException("screen counts are never negative");
    }
  }

  /** Shown but never answered. */
  public long droppedOff() {
    return Math.max(0, shown - answered);
  }
}
