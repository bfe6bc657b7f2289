package org.assemblypay.ledger;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/** What a trader owes: open charges by item, distinct days owed, last payment, unused credit. */
public record Arrears(
    long traderId,
    long totalPesewas,
    Map<ChargeItem, Long> byItemPesewas,
    int daysOwed,
    Optional<LocalDate> oldestUnpaidDate,
    Optional<LocalDate> lastPaymentDate,
    long creditPesewas) {
  /** Copies the map. */
  public Arrears {
    byItemPesewas = Map.copyOf(byItemPesewas);
  }
}
