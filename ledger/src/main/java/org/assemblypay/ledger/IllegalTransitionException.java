package org.assemblypay.ledger;

/** The requested change is not allowed from the current state (payment status, reversal rules). */
public final class IllegalTransitionException extends LedgerException {
  private static final long serialVersionUID = 1L;

  IllegalTransitionException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "ILLEGAL_TRANSITION";
  }
}
