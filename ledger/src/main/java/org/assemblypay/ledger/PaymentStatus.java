package org.assemblypay.ledger;

/** A payment's lifecycle; it only moves forward (EXPIRED may still become SUCCESSFUL). */
public enum PaymentStatus {
  INITIATED,
  PENDING,
  SUCCESSFUL,
  FAILED,
  EXPIRED
}
