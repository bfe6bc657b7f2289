package org.assemblypay.ledger;

import java.util.Set;

/**
 * Which payments to list: a creation date range (required); optionally statuses (empty: all), a
 * provider name and a trader id.
 */
public record PaymentFilter(
    DateRange range, Set<PaymentStatus> statuses, String provider, Long traderId) {
  /** Copies the set; checks the range is given. */
  public PaymentFilter {
    if (range == null) {
      throw new InvalidInputException("payments are listed for a date range");
    }
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
  }
}
