package org.assemblypay.ledger;

import java.util.UUID;

/** A mobile-money payment intent, stored before the provider is called. */
public record NewPayment(
    UUID reference,
    String provider,
    long traderId,
    String payerMsisdn,
    long amountPesewas,
    PaymentPurpose purpose,
    Language payerLanguage) {}
