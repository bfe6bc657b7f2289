package org.assemblypay.ledger;

/** No assembly with that code (or service code) is registered. */
public final class UnknownAssemblyException extends LedgerException {
  private static final long serialVersionUID = 1L;

  UnknownAssemblyException(String code) {
    super("unknown assembly " + code);
  }

  @Override
  public String code() {
    return "UNKNOWN_ASSEMBLY";
  }
}
