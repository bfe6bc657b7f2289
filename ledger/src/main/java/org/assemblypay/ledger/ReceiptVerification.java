package org.assemblypay.ledger;

/** A receipt found by number or verification code, with whom it was issued to. */
public record ReceiptVerification(
    Receipt receipt, String traderName, String customerNumber, boolean reversed) {}
