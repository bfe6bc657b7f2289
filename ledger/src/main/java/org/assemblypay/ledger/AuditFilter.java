package org.assemblypay.ledger;

/**
 * Which audit rows to read: a date range (required), and optionally the actor, an action prefix
 * ({@code trader.} matches every trader change) and the exact entity ({@code trader:42}).
 */
public record AuditFilter(DateRange range, String actor, String actionPrefix, String entity) {
  /** Checks the range is given. */
  public AuditFilter {
    if (range == null) {
      throw new InvalidInputException("the audit log is read for a date range");
    }
  }
}
