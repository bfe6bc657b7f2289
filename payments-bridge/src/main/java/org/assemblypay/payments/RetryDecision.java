package org.assemblypay.payments;

/** What the {@link RetryTable} tells the poller to do next. */
public sealed interface RetryDecision {

  /** Try again after the pause. */
  record RetryAfter(long pauseMillis) implements RetryDecision {}

  /**
   * Stop retrying automatically: the row's attempts are used up. The payment stays as it is (it may
   * still settle late) and is reported for a person to look at.
   */
  record GiveUp(RetryCause cause, int attemptsMade) implements RetryDecision {}
}
