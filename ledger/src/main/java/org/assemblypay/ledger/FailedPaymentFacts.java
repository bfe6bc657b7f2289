package org.assemblypay.ledger;

import java.util.UUID;

/** What an SMS about a failed mobile-money payment may say. */
public record FailedPaymentFacts(
    UUID reference,
    long amountPesewas,
    String traderName,
    String customerNumber,
    String payerMsisdn,
    Language payerLanguage,
    String reason) {}
