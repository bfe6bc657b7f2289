package org.assemblypay.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import org.assemblypay.ussd.PhoneRateLimit.Decision;
import org.assemblypay.ussd.TestMenu.MovableClock;
import org.junit.jupiter.api.Test;

/** The per-phone token bucket and its bounded, expiring map of phones. */
class PhoneRateLimitTest {

  private final MovableClock clock = new MovableClock();

  @Test
  void saysOnceThatAPhoneIsOverItsLimitThenStaysQuietUntilItIsAllowedAgain() {
    PhoneRateLimit limit = new PhoneRateLimit(3, 10, clock);
    assertThat(limit.check("a")).isEqualTo(Decision.ALLOWED);
    assertThat(limit.check("a")).isEqualTo(Decision.ALLOWED);
    assertThat(limit.check("a")).isEqualTo(Decision.ALLOWED);
    assertThat(limit.check("a")).isEqualTo(Decision.REFUSED_FIRST);
    assertThat(limit.check("a")).isEqualTo(Decision.REFUSED);
    assertThat(limit.check("b")).isEqualTo(Decision.ALLOWED);
    // One token comes back every 20 seconds.
    clock.advanceMillis(20_000);
    assertThat(limit.check("a")).isEqualTo(Decision.ALLOWED);
    assertThat(limit.check("a")).isEqualTo(Decision.REFUSED_FIRST);
  }

  @Test
  void idlePhonesExpireAndTheMapNeverOutgrowsItsBound() {
    PhoneRateLimit limit = new PhoneRateLimit(1, 2, clock);
    assertThat(limit.check("a")).isEqualTo(Decision.ALLOWED);
    assertThat(limit.check("b")).isEqualTo(Decision.ALLOWED);
    // Full of active phones: a newcomer is served untracked rather than refused.
    assertThat(limit.check("c")).isEqualTo(Decision.ALLOWED);
    assertThat(limit.check("c")).isEqualTo(Decision.ALLOWED);
    assertThat(limit.size()).isEqualTo(2);
    assertThat(limit.check("a")).isEqualTo(Decision.REFUSED_FIRST);

    clock.advanceMillis(60_000);
    assertThat(limit.check("c")).isEqualTo(Decision.ALLOWED);
    assertThat(limit.check("c")).isEqualTo(Decision.REFUSED_FIRST);
    assertThat(limit.size()).isEqualTo(1);
  }

  @Test
  void zeroTurnsTheLimitOff() {
    PhoneRateLimit limit = new PhoneRateLimit(0, 1, clock);
    for (int i = 0; i < 100; i++) {
      assertThat(limit.check("a" + (i % 3))).isEqualTo(Decision.ALLOWED);
    }
    assertThat(limit.size()).isZero();
  }
}
