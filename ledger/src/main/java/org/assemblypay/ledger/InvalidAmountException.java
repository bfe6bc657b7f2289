package org.assemblypay.ledger;

/** An amount is zero, negative, or outside the assembly's payment limits. */
public final class InvalidAmountException extends LedgerException {
  private static final long serialVersionUID = 1L;

  InvalidAmountException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "INVALID_AMOUNT";
  }
}
