package org.assemblypay.ledger;

/** How often a rate is charged: every (market) day, or on the first of the month. */
public enum RatePeriod {
  DAY,
  MONTH
}
