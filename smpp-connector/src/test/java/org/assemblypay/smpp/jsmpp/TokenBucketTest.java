package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rate limiter's arithmetic, on a fake clock. */
class TokenBucketTest {

  @Test
  void a_burst_of_a_tenth_of_a_second_then_one_token_per_interval() {
    var bucket = new TokenBucket(100);
    long now = System.nanoTime() + 5_000_000_000L;
    bucket.reserve(now); // aligns the bucket to the fake clock
    int free = 0;
    for (int i = 0; i < 50; i++) {
      if (bucket.reserve(now + 200_000_000L) == 0) {
        free++;
      }
    }
    // 100 ms of burst at 10 ms per token.
    assertThat(free).isBetween(10, 11);
    assertThat(bucket.reserve(now + 200_000_000L)).isGreaterThan(300_000_000L);
  }

  @Test
  void zero_means_unlimited() {
    var bucket = new TokenBucket(0);
    for (int i = 0; i < 10_000; i++) {
      assertThat(bucket.acquire()).isFalse();
    }
  }

  @Test
  void backoff_grows_exponentially_from_its_floor_to_its_ceiling() {
    var backoff = new Backoff(100, 1_000);
    assertThat(backoff.nextMillis()).isBetween(100L, 125L);
    assertThat(backoff.nextMillis()).isBetween(200L, 250L);
    assertThat(backoff.nextMillis()).isBetween(400L, 500L);
    assertThat(backoff.nextMillis()).isBetween(800L, 1_000L);
    assertThat(backoff.nextMillis()).isBetween(1_000L, 1_250L);
    backoff.reset();
    assertThat(backoff.nextMillis()).isBetween(100L, 125L);
  }
}
