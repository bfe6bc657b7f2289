package org.assemblypay.ledger;

import java.util.UUID;

/**
 * A mobile-money payment intent, stored before the provider is called.
 *
 * @param network the mobile network the payer was routed to (upper-case name, e.g. {@code
 *     TELECEL}), kept so a re-send after a restart goes the same way; null when not known
 * @param correlationId the id of the action that started it (see {@link Correlation}), so every
 *     later step logs under it; null when there is none
 */
public record NewPayment(
    UUID reference,
    String provider,
    long traderId,
    String payerMsisdn,
    long amountPesewas,
    PaymentPurpose purpose,
    Language payerLanguage,
    String network,
    String correlationId) {

  /** An intent routed to {@code network}, without a correlation id. */
  public NewPayment(
      UUID reference,
      String provider,
      long traderId,
      String payerMsisdn,
      long amountPesewas,
      PaymentPurpose purpose,
      Language payerLanguage,
      String network) {
    this(
        reference,
        provider,
        traderId,
        payerMsisdn,
        amountPesewas,
        purpose,
        payerLanguage,
        network,
        null);
  }

  /** An intent without a recorded network. */
  public NewPayment(
      UUID reference,
      String provider,
      long traderId,
      String payerMsisdn,
      long amountPesewas,
      PaymentPurpose purpose,
      Language payerLanguage) {
    this(reference, provider, traderId, payerMsisdn, amountPesewas, purpose, payerLanguage, null);
  }
}
