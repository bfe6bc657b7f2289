package org.assemblypay.ussd;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A per-phone token bucket: each phone may make {@code perMinute} requests in a burst, refilled at
 * {@code perMinute} a minute. The map of phones is bounded ({@code maxPhones}) and expiring: a
 * phone idle for a minute has a full bucket again and is dropped by the next sweep. When the map is
 * full of active phones, a new phone is let through untracked rather than refused (a real user must
 * not pay for someone else's flood).
 */
public final class PhoneRateLimit {

  /** The default number of phones tracked at once. */
  public static final int DEFAULT_MAX_PHONES = 100_000;

  private static final long WINDOW_MILLIS = 60_000;
  private static final long FULL_SWEEP_GAP_MILLIS = 1_000;

  /** What the limit says about one request. */
  public enum Decision {
    /** Within the limit. */
    ALLOWED,
    /** Over the limit, the first refusal since the phone was last allowed. */
    REFUSED_FIRST,
    /** Over the limit again; the phone has already been told. */
    REFUSED;

    /** Whether the request may go on. */
    public boolean allowed() {
      return this == ALLOWED;
    }
  }

  private record Bucket(double tokens, long atMillis, boolean told, Decision decision) {}

  private final int perMinute;
  private final int maxPhones;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  /**
   * A limit of {@code perMinute} requests a minute per phone ({@code 0} turns it off), tracking at
   * most {@code maxPhones} phones.
   */
  public PhoneRateLimit(int perMinute, int maxPhones, Clock clock) {
    if (perMinute < 0 || maxPhones < 1) {
      throw new IllegalArgumentException(
          "invalid rate limit: " + perMinute + " a minute, " + maxPhones + " phones");
    }
    this.perMinute = perMinute;
    this.maxPhones = maxPhones;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lastSweep = new AtomicLong(clock.millis());
  }

  /** The requests a phone may make a minute ({@code 0} = no limit). */
  public int perMinute() {
    return perMinute;
  }

  /** Phones tracked now (for a gauge). */
  public int size() {
    return buckets.size();
  }

  /** Counts one request from {@code phone} and says whether it may go on. */
  public Decision check(String phone) {
    if (perMinute == 0) {
      return Decision.ALLOWED;
    }
    long now = clock.millis();
    boolean full = buckets.size() >= maxPhones;
    sweep(now, full);
    if (full && buckets.size() >= maxPhones && !buckets.containsKey(phone)) {
      return Decision.ALLOWED;
    }
    return buckets.compute(phone, (key, old) -> take(old, now)).decision();
  }

  private Bucket take(Bucket old, long now) {
    double tokens =
        old == null
            ? perMinute
            : Math.min(
                perMinute,
                old.tokens()
                    + Math.max(0, now - old.atMillis()) * perMinute / (double) WINDOW_MILLIS);
    if (tokens >= 1) {
      return new Bucket(tokens - 1, now, false, Decision.ALLOWED);
    }
    boolean told = old != null && old.told();
    return new Bucket(tokens, now, true, told ? Decision.REFUSED : Decision.REFUSED_FIRST);
  }

  private void sweep(long now, boolean full) {
    long last = lastSweep.get();
    long gap = full ? FULL_SWEEP_GAP_MILLIS : WINDOW_MILLIS;
    if (now - last < gap || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    // A bucket untouched for a window is full again: the same as no bucket. Removal is by value,
    // so a bucket replaced meanwhile by a newer request stays.
    buckets.values().removeIf(b -> now - b.atMillis() >= WINDOW_MILLIS);
  }
}
