package org.assemblypay.ledger;

import java.time.Instant;

/** The outcome of checking a collector's PIN. */
public sealed interface PinCheck {
  /** The PIN matched; the failure count is reset. */
  record Accepted(Collector collector) implements PinCheck {}

  /** The PIN was wrong; after {@code attemptsLeft} more failures the collector is locked. */
  record Wrong(int attemptsLeft) implements PinCheck {}

  /**
   * Too many wrong PINs; try again after {@code until}. {@code justLocked} is true only for the
   * attempt that caused the lock (so the office is told once).
   */
  record Locked(Instant until, boolean justLocked) implements PinCheck {}

  /** No active collector has that phone number. */
  record UnknownCollector() implements PinCheck {}
}
