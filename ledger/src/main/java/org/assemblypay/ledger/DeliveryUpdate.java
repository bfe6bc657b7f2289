package org.assemblypay.ledger;

/** One delivery receipt to apply: the part's normalized SMSC message id, its state and error. */
public record DeliveryUpdate(String messageId, DeliveryState state, String errorCode) {}
