package org.assemblypay.ledger;

/** What a trader is billed for. */
public enum ChargeItem {
  DAILY_TOLL,
  STALL_RENT,
  LORRY_TICKET
}
