package org.assemblypay.ledger;

/** What the collection totals are grouped by. */
public enum CollectionGrouping {
  /** One row per business day. */
  DAY,
  /** One row per channel: mobile money or cash. */
  CHANNEL,
  /** One row per collector; mobile money (no collector) is one row with an empty key. */
  COLLECTOR,
  /** One row per market. */
  MARKET
}
