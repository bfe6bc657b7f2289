package org.assemblypay.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryTableTest {

  private final RetryTable table = RetryTable.defaults();

  @Test
  void pausesDoubleUpToTheCapThenGiveUp() {
    assertThat(table.next(RetryCause.SERVER_ERROR, 1))
        .isEqualTo(new RetryDecision.RetryAfter(10_000));
    assertThat(table.next(RetryCause.SERVER_ERROR, 2))
        .isEqualTo(new RetryDecision.RetryAfter(20_000));
    assertThat(table.next(RetryCause.SERVER_ERROR, 3))
        .isEqualTo(new RetryDecision.RetryAfter(40_000));
    assertThat(table.next(RetryCause.SERVER_ERROR, 5))
        .isEqualTo(new RetryDecision.RetryAfter(120_000));
    assertThat(table.next(RetryCause.SERVER_ERROR, 19))
        .isEqualTo(new RetryDecision.RetryAfter(120_000));
    assertThat(table.next(RetryCause.SERVER_ERROR, 20))
        .isEqualTo(new RetryDecision.GiveUp(RetryCause.SERVER_ERROR, 20));
  }

  @Test
  void badCredentialsAreRetriedSlowlyAndFewTimes() {
    RetryRule rule = table.rule(RetryCause.AUTHENTICATION_FAILED);

    assertThat(rule.firstPauseMillis()).isGreaterThanOrEqualTo(60_000);
    assertThat(rule.maxAttempts()).isLessThanOrEqualTo(10);
  }

  @Test
  void statusAnswersPickTheirRow() {
    assertThat(table.next(new ProviderStatus.Pending(), 1))
        .isEqualTo(new RetryDecision.RetryAfter(15_000));
    assertThat(table.next(new ProviderStatus.Unknown(ProviderError.TIMEOUT, "slow"), 2))
        .isEqualTo(new RetryDecision.RetryAfter(10_000));
    assertThatThrownBy(() -> table.next(new ProviderStatus.NotFound(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyProviderErrorHasARow() {
    for (ProviderError error : ProviderError.values()) {
      assertThat(table.rule(RetryCause.of(error))).isNotNull();
    }
  }

  @Test
  void aTableMissingARowIsRefused() {
    Map<RetryCause, RetryRule> rules = new EnumMap<>(RetryCause.class);
    rules.put(RetryCause.PENDING, new RetryRule(1_000, 2_000, 3));

    assertThatThrownBy(() -> new RetryTable(rules)).hasMessageContaining("TIMEOUT");
  }

  @Test
  void hugeAttemptCountsDoNotOverflow() {
    RetryTable generous =
        new RetryTable(
            Map.of(
                RetryCause.PENDING, new RetryRule(1, Long.MAX_VALUE, Integer.MAX_VALUE),
                RetryCause.TIMEOUT, new RetryRule(1, 1, 1),
                RetryCause.SERVER_ERROR, new RetryRule(1, 1, 1),
                RetryCause.NETWORK, new RetryRule(1, 1, 1),
                RetryCause.AUTHENTICATION_FAILED, new RetryRule(1, 1, 1),
                RetryCause.RATE_LIMITED, new RetryRule(1, 1, 1),
                RetryCause.MALFORMED_RESPONSE, new RetryRule(1, 1, 1),
                RetryCause.UNEXPECTED_RESPONSE, new RetryRule(1, 1, 1)));

    RetryDecision decision = generous.next(RetryCause.PENDING, 1_000_000);

    assertThat(((RetryDecision.RetryAfter) decision).pauseMillis()).isPositive();
  }
}
