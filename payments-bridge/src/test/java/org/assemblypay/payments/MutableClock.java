package org.assemblypay.payments;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand, so that expiry is tested without sleeping. */
public final class MutableClock implements InstantSource {

  private final AtomicReference<Instant> now;

  /** A clock standing at {@code start}. */
  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock standing at 21/11/2026 09:00 Africa/Accra. */
  public static MutableClock atMarketOpening() {
    return new MutableClock(Instant.parse("2026-11-21T09:00:00Z"));
  }

  /** Moves the clock forward. */
  public void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
