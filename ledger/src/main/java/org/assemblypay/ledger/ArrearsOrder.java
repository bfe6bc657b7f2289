package org.assemblypay.ledger;

/** How the arrears-by-market report is sorted. */
public enum ArrearsOrder {
  /** Largest arrears first (then by name). */
  ARREARS_DESC,
  /** Most traders owing first (then by name). */
  TRADERS_OWING_DESC,
  /** By market name. */
  NAME
}
