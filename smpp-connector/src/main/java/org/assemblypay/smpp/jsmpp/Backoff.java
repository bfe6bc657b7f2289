package org.assemblypay.smpp.jsmpp;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off from a floor to a ceiling, plus up to 25 % random jitter. */
final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private int failures;

  Backoff(long minMillis, long maxMillis) {
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
  }

  /** The next delay; never below the floor. */
  synchronized long nextMillis() {
    int shift = Math.min(failures, 30);
    failures++;
    long base = Math.min(maxMillis, minMillis << shift);
    if (base < 0) {
      base = maxMillis;
    }
    long jitter = base / 4 == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 4 + 1);
    return base + jitter;
  }

  synchronized void reset() {
    failures = 0;
  }
}
