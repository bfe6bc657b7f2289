package org.assemblypay.ledger;

/** An idempotency key (or payment reference) was reused with different content. */
public final class IdempotencyConflictException extends LedgerException {
  private static final long serialVersionUID = 1L;

  IdempotencyConflictException(String key) {
    super("idempotency key reused with different content: " + key);
  }

  @Override
  public String code() {
    return "IDEMPOTENCY_CONFLICT";
  }
}
