package org.assemblypay.ledger;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** A revenue collector and the markets they may collect in. */
public record Collector(
    long id,
    String staffNumber,
    String name,
    String phone,
    Set<Long> marketIds,
    ActiveStatus status,
    Optional<Instant> lockedUntil) {
  /** Copies the set. */
  public Collector {
    marketIds = Set.copyOf(marketIds);
  }
}
