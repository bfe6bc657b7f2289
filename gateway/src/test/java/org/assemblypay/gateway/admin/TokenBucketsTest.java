package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final TokenBuckets buckets = new TokenBuckets(20, 40, nanos::get);

  @Test
  void aBurstThenTheSteadyRate() {
    for (int i = 0; i < 40; i++) {
      assertThat(buckets.tryTake("officer")).isZero();
    }
    long wait = buckets.tryTake("officer");
    assertThat(wait).isBetween(49_000_000L, 50_000_001L);
    nanos.addAndGet(50_000_000);
    assertThat(buckets.tryTake("officer")).isZero();
    assertThat(buckets.tryTake("officer")).isPositive();
    assertThat(buckets.tryTake("someone-else")).isZero();
  }

  @Test
  void tokensNeverPileUpBeyondTheBurst() {
    nanos.addAndGet(3_600_000_000_000L);
    for (int i = 0; i < 40; i++) {
      assertThat(buckets.tryTake("idle")).isZero();
    }
    assertThat(buckets.tryTake("idle")).isPositive();
  }
}
