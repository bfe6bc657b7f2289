package org.assemblypay.ledger;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Set;

/**
 * A tariff line: item, scope (market code and/or trader category; null matches all), amount,
 * period, the days it applies (empty: the market's days) and validity (validTo inclusive, null =
 * open).
 */
public record NewRate(
    ChargeItem item,
    String marketCode,
    String category,
    long amountPesewas,
    RatePeriod period,
    Set<DayOfWeek> days,
    LocalDate validFrom,
    LocalDate validTo) {
  /** Copies the set. */
  public NewRate {
    days = days == null ? Set.of() : Set.copyOf(days);
  }
}
