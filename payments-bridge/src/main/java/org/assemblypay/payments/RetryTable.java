package org.assemblypay.payments;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Retry behaviour as data: for each {@link RetryCause}, a {@link RetryRule} (pause, growth cap,
 * attempts). Used by the status poller; every cause must have a row.
 */
public final class RetryTable {

  private final Map<RetryCause, RetryRule> rules;

  /** A table with a row for every cause. */
  public RetryTable(Map<RetryCause, RetryRule> rules) {
    Map<RetryCause, RetryRule> copy = new EnumMap<>(RetryCause.class);
    copy.putAll(rules);
    for (RetryCause cause : RetryCause.values()) {
      if (!copy.containsKey(cause)) {
        throw new IllegalArgumentException("retry table has no row for " + cause);
      }
    }
    this.rules = copy;
  }

  /**
   * The default table. The local expiry (10 minutes by default) usually ends polling before the
   * PENDING row runs out; bad credentials are retried slowly, never in a hot loop.
   */
  public static RetryTable defaults() {
    Map<RetryCause, RetryRule> rules = new EnumMap<>(RetryCause.class);
    rules.put(RetryCause.PENDING, new RetryRule(15_000, 60_000, 40));
    rules.put(RetryCause.TIMEOUT, new RetryRule(5_000, 60_000, 20));
    rules.put(RetryCause.SERVER_ERROR, new RetryRule(10_000, 120_000, 20));
    rules.put(RetryCause.NETWORK, new RetryRule(5_000, 60_000, 20));
    rules.put(RetryCause.AUTHENTICATION_FAILED, new RetryRule(60_000, 600_000, 6));
    rules.put(RetryCause.RATE_LIMITED, new RetryRule(30_000, 300_000, 10));
    rules.put(RetryCause.MALFORMED_RESPONSE, new RetryRule(30_000, 300_000, 10));
    rules.put(RetryCause.UNEXPECTED_RESPONSE, new RetryRule(30_000, 300_000, 10));
    return new RetryTable(rules);
  }

  /** The row for a cause. */
  public RetryRule rule(RetryCause cause) {
    return rules.get(Objects.requireNonNull(cause, "cause"));
  }

  /**
   * What to do after {@code attemptsMade} attempts (1-based) that ended in {@code cause}.
   *
   * @throws IllegalArgumentException when {@code attemptsMade} is less than 1
   */
  public RetryDecision next(RetryCause cause, int attemptsMade) {
    if (attemptsMade < 1) {
      throw new IllegalArgumentException("attemptsMade must be at least 1");
    }
    RetryRule rule = rule(cause);
    if (attemptsMade >= rule.maxAttempts()) {
      return new RetryDecision.GiveUp(cause, attemptsMade);
    }
    return new RetryDecision.RetryAfter(rule.pauseAfter(attemptsMade));
  }

  /** The decision after a status answer: {@code null}-free; final answers need no retry. */
  public RetryDecision next(ProviderStatus status, int attemptsMade) {
    if (status instanceof ProviderStatus.Pending) {
      return next(RetryCause.PENDING, attemptsMade);
    }
    if (status instanceof ProviderStatus.Unknown unknown) {
      return next(RetryCause.of(unknown.error()), attemptsMade);
    }
    throw new IllegalArgumentException("a final status needs no retry: " + status);
  }
}
