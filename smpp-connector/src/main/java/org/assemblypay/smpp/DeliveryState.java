package org.assemblypay.smpp;

/** A message's state according to a delivery report, normalised across SMSC vendors. */
public enum DeliveryState {
  /** Accepted by the SMSC, still on its way (ENROUTE, ACCEPTD, BUFFRED, ACKED …). */
  ENROUTE,
  DELIVERED,
  EXPIRED,
  DELETED,
  UNDELIVERABLE,
  REJECTED,
  UNKNOWN;

  /** Whether no later report is expected for the message. */
  public boolean isFinal() {
    return this != ENROUTE && this != UNKNOWN;
  }
}
