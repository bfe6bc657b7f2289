package org.assemblypay.payments;

/**
 * One row of the {@link RetryTable}: pause {@code firstPauseMillis}, doubling each attempt up to
 * {@code maxPauseMillis}, for at most {@code maxAttempts} attempts.
 */
public record RetryRule(long firstPauseMillis, long maxPauseMillis, int maxAttempts) {

  /** Checks the bounds. */
  public RetryRule {
    if (firstPauseMillis <= 0 || maxPauseMillis < firstPauseMillis) {
      throw new IllegalArgumentException("need 0 < firstPauseMillis <= maxPauseMillis");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** The pause after the {@code attemptsMade}-th attempt (1-based), doubling, capped. */
  long pauseAfter(int attemptsMade) {
    int doublings = Math.min(Math.max(attemptsMade - 1, 0), 62);
    long pause = firstPauseMillis;
    for (int i = 0; i < doublings && pause < maxPauseMillis; i++) {
      pause = pause > maxPauseMillis / 2 ? maxPauseMillis : pause * 2;
    }
    return Math.min(pause, maxPauseMillis);
  }
}
