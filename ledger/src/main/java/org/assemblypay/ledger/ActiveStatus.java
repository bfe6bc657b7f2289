package org.assemblypay.ledger;

/** Whether an assembly, trader or collector is active. */
public enum ActiveStatus {
  ACTIVE,
  SUSPENDED
}
