package org.assemblypay.payments.lifecycle;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Spreads poll pauses: the retry table's pause times a random factor in {@code [1 - p, 1 + p]} (p =
 * {@code percent} / 100), so thousands of payments started in the same second do not all ask the
 * provider again in the same second.
 */
final class PollJitter {

  /** The widest spread allowed: half the pause either way. */
  static final int MAX_PERCENT = 50;

  private final int percent;
  private final LongUnaryOperator random;

  /**
   * @param percent spread either side of the pause, 0..{@link #MAX_PERCENT}
   * @param random given a bound n > 0, a uniform value in [0, n)
   */
  PollJitter(int percent, LongUnaryOperator random) {
    if (percent < 0 || percent > MAX_PERCENT) {
      throw new IllegalArgumentException("jitter percent must be 0.." + MAX_PERCENT);
    }
    this.percent = percent;
    this.random = random;
  }

  /** Jitter drawn from {@link ThreadLocalRandom}. */
  static PollJitter of(int percent) {
    return new PollJitter(percent, bound -> ThreadLocalRandom.current().nextLong(bound));
  }

  /** The least pause {@link #apply} can return for this pause. */
  long lowest(long pauseMillis) {
    return Math.max(1, pauseMillis - spread(pauseMillis));
  }

  /** The greatest pause {@link #apply} can return for this pause. */
  long highest(long pauseMillis) {
    return pauseMillis + spread(pauseMillis);
  }

  /** The pause with jitter, in [{@link #lowest}, {@link #highest}]; never below 1 ms. */
  long apply(long pauseMillis) {
    if (pauseMillis <= 0) {
      throw new IllegalArgumentException("pause must be positive");
    }
    long spread = spread(pauseMillis);
    if (spread == 0) {
      return pauseMillis;
    }
    long offset = random.applyAsLong(2 * spread + 1) - spread;
    return Math.max(1, pauseMillis + offset);
  }

  private long spread(long pauseMillis) {
    // Pauses are at most hours; the product cannot overflow for pauses below 10^16 ms.
    return Math.min(pauseMillis, Long.MAX_VALUE / 100) * percent / 100;
  }
}
