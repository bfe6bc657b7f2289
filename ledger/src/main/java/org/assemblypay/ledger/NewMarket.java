package org.assemblypay.ledger;

import java.time.DayOfWeek;
import java.util.Set;

/** What an officer supplies to register a market or lorry park. */
public record NewMarket(String code, String name, MarketKind kind, Set<DayOfWeek> marketDays) {
  /** Copies the set. */
  public NewMarket {
    marketDays = Set.copyOf(marketDays);
  }
}
