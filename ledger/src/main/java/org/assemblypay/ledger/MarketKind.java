package org.assemblypay.ledger;

/** A market or a lorry park. */
public enum MarketKind {
  MARKET,
  LORRY_PARK
}
