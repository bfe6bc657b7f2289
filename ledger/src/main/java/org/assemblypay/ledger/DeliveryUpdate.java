package org.assemblypay.ledger;

/**
 * One delivery receipt to apply: the SMSC identity of the connection it came in on and the part's
 * normalized SMSC message id (it matches only an id submitted under that identity, D230), its state
 * and error; and, when the receipt carried them, the handset it reports on and the first characters
 * of the text, which let a report settle a message whose submit outcome was unknown (no id was
 * received).
 */
public record DeliveryUpdate(
    String smsc,
    String messageId,
    DeliveryState state,
    String errorCode,
    String recipientMsisdn,
    String textStart) {

  /** A receipt matched by SMSC and message id only. */
  public DeliveryUpdate(String smsc, String messageId, DeliveryState state, String errorCode) {
    this(smsc, messageId, state, errorCode, null, null);
  }

  /** The part this receipt is about. */
  public SmscMessageId key() {
    return new SmscMessageId(smsc, messageId);
  }
}
