package org.assemblypay.ledger;

/** A field is missing or malformed, or a unique value is already taken. */
public final class InvalidInputException extends LedgerException {
  private static final long serialVersionUID = 1L;

  InvalidInputException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "INVALID_INPUT";
  }
}
