package org.assemblypay.ledger;

/**
 * Money received in a date range for one group (a day, channel, collector or market), by channel;
 * net of reversals, each counted against the channel of the payment it reverses.
 */
public record CollectionTotals(
    String key, String label, long mobileMoneyPesewas, long cashPesewas, int paymentCount) {
  /** Both channels together. */
  public long totalPesewas() {
    return mobileMoneyPesewas + cashPesewas;
  }
}
