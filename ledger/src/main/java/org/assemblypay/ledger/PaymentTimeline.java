package org.assemblypay.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One payment and what happened to it, oldest first: the intent, the provider's answers as far as
 * the row records them, the settlement, the receipt, the SMS receipt's delivery and any reversal.
 */
public record PaymentTimeline(Payment payment, Optional<String> receiptNumber, List<Event> events) {
  /** Copies the list. */
  public PaymentTimeline {
    events = List.copyOf(events);
  }

  /** One step: when, what kind ({@code INITIATED}, {@code SETTLED}, {@code SMS_DELIVERED}, …). */
  public record Event(Instant at, String kind, String detail) {}
}
