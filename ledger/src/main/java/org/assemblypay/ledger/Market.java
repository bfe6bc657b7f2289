package org.assemblypay.ledger;

import java.time.DayOfWeek;
import java.util.Set;

/** A market or lorry park of one assembly, with the days it trades. */
public record Market(
    long id, String code, String name, MarketKind kind, Set<DayOfWeek> marketDays) {
  /** Copies the set. */
  public Market {
    marketDays = Set.copyOf(marketDays);
  }
}
