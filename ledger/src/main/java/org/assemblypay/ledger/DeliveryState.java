package org.assemblypay.ledger;

/** The final state an SMSC delivery receipt reports for a message. */
public enum DeliveryState {
  DELIVERED,
  UNDELIVERABLE,
  EXPIRED,
  REJECTED
}
