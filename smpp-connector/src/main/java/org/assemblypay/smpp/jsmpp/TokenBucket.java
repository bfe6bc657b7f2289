package org.assemblypay.smpp.jsmpp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A token bucket limiting submits per second, with a burst of a tenth of a second's tokens. */
final class TokenBucket {

  private final long nanosPerToken;
  private final long burstNanos;
  private long nextFreeNanos;

  /** {@code perSecond} 0 means unlimited. */
  TokenBucket(int perSecond) {
    this.nanosPerToken = perSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
    this.burstNanos = Math.max(nanosPerToken, TimeUnit.MILLISECONDS.toNanos(100));
    this.nextFreeNanos = System.nanoTime();
  }

  /** Takes one token, waiting for it if needed; returns whether it had to wait. */
  boolean acquire() {
    if (nanosPerToken == 0) {
      return false;
    }
    long waitNanos = reserve(System.nanoTime());
    if (waitNanos <= 0) {
      return false;
    }
    long deadline = System.nanoTime() + waitNanos;
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
    }
    return true;
  }

  /** Reserves the next token at {@code nowNanos}; returns how long the caller must wait for it. */
  synchronized long reserve(long nowNanos) {
    long earliest = nowNanos - burstNanos;
    if (nextFreeNanos < earliest) {
      nextFreeNanos = earliest;
    }
    long wait = nextFreeNanos - nowNanos;
    nextFreeNanos += nanosPerToken;
    return Math.max(0, wait);
  }
}
