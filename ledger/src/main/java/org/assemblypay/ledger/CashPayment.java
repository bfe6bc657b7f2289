package org.assemblypay.ledger;

/** Cash a collector took from a trader; the key makes a resent SMS count once. */
public record CashPayment(
    String idempotencyKey, long collectorId, long traderId, long amountPesewas) {}
