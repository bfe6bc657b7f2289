package org.assemblypay.ledger;

/** What the trader chose to pay: today's dues, all arrears, or an amount they typed. */
public enum PaymentPurpose {
  TODAY,
  ARREARS,
  AMOUNT
}
