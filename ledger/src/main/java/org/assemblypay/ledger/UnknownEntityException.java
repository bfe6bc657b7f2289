package org.assemblypay.ledger;

/** A referenced trader, collector, market, payment or transfer does not exist in this assembly. */
public final class UnknownEntityException extends LedgerException {
  private static final long serialVersionUID = 1L;
  private final String entity;

  UnknownEntityException(String entity, Object id) {
    super("unknown " + entity.toLowerCase(java.util.Locale.ROOT) + " " + id);
    this.entity = entity;
  }

  /** The kind of entity: TRADER, COLLECTOR, MARKET, PAYMENT, TRANSFER. */
  public String entity() {
    return entity;
  }

  @Override
  public String code() {
    return "UNKNOWN_" + entity;
  }
}
