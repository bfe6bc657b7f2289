package org.assemblypay.ledger;

import java.util.UUID;

/**
 * A mobile-money payment intent, stored before the provider is called.
 *
 * @param network the mobile network the payer was routed to (upper-case name, e.g. {@code
 *     TELECEL}), kept so a re-send after a restart goes the same way; null when not known
 */
public record NewPayment(
    UUID reference,
    String provider,
    long traderId,
    String payerMsisdn,
    long amountPesewas,
    PaymentPurpose purpose,
    Language payerLanguage,
    String network) {

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
