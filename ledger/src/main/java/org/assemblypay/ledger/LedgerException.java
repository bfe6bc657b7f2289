package org.assemblypay.ledger;

/** A broken contract at the ledger's edge; nothing was written. {@link #code()} is stable. */
public abstract sealed class LedgerException extends RuntimeException
    permits UnknownAssemblyException,
        UnknownEntityException,
        InvalidAmountException,
        InvalidInputException,
        IdempotencyConflictException,
        IllegalTransitionException {

  private static final long serialVersionUID = 1L;

  LedgerException(String message) {
    super(message);
  }

  /** A stable, machine-readable code such as {@code UNKNOWN_TRADER}. */
  public abstract String code();
}
