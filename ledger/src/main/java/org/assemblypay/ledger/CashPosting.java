package org.assemblypay.ledger;

/** The result of posting a cash payment. */
public record CashPosting(
    long transferId, Receipt receipt, long allocatedPesewas, long creditAfterPesewas) {}
