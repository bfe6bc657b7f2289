package org.assemblypay.ledger;

/**
 * One delivery receipt to apply: the part's normalized SMSC message id, its state and error; and,
 * when the receipt carried them, the handset it reports on and the first characters of the text,
 * which let a report settle a message whose submit outcome was unknown (no id was received).
 */
public record DeliveryUpdate(
    String messageId,
    DeliveryState state,
    String errorCode,
    String recipientMsisdn,
    String textStart) {

  /** A receipt matched by message id only. */
  public DeliveryUpdate(String messageId, DeliveryState state, String errorCode) {
    this(messageId, state, errorCode, null, null);
  }
}
