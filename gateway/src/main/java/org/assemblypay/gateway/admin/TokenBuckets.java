package org.assemblypay.gateway.admin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per credential name: {@code ratePerSecond} tokens flow in up to {@code burst};
 * each request takes one. The map is bounded by the configured credential list.
 */
final class TokenBuckets {
  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(double ratePerSecond, int burst, LongSupplier nanoClock) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  /** Takes a token; returns 0 if allowed, otherwise the nanoseconds until one is available. */
  long tryTake(String credential) {
    return buckets
        .computeIfAbsent(credential, k -> new Bucket(burst, nanoClock.getAsLong()))
        .take();
  }

  private final class Bucket {
    private double tokens;
    private long lastNanos;

    Bucket(double tokens, long nowNanos) {
      this.tokens = tokens;
      this.lastNanos = nowNanos;
    }

    synchronized long take() {
      long now = nanoClock.getAsLong();
      tokens = Math.min(burst, tokens + (now - lastNanos) * ratePerNano);
      lastNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / ratePerNano);
    }
  }
}
