package org.assemblypay.ledger;

import java.util.Map;

/**
 * The outbox's messages created in a date range, counted by status ({@code QUEUED}, {@code
 * SUBMITTED}, {@code DELIVERED}, {@code UNDELIVERABLE}, {@code EXPIRED}, {@code FAILED}, and any
 * state a later migration adds).
 */
public record SmsDeliverySummary(DateRange range, Map<String, Long> byStatus) {
  /** Copies the map. */
  public SmsDeliverySummary {
    byStatus = Map.copyOf(byStatus);
  }

  /** Every message in the range. */
  public long total() {
    return byStatus.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Delivered to the handset. */
  public long delivered() {
    return byStatus.getOrDefault("DELIVERED", 0L);
  }

  /** Finished without delivery: undeliverable, expired or failed. */
  public long failed() {
    return byStatus.getOrDefault("UNDELIVERABLE", 0L)
        + byStatus.getOrDefault("EXPIRED", 0L)
        + byStatus.getOrDefault("FAILED", 0L);
  }

  /** Not finished yet (queued, submitted, or any other state). */
  public long pending() {
    return total() - delivered() - failed();
  }
}
