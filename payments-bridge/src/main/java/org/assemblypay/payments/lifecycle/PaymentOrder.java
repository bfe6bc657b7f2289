package org.assemblypay.payments.lifecycle;

import java.util.Objects;
import java.util.Optional;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.payments.Msisdn;

/**
 * What a trader confirmed on the USSD menu: who pays how much for what, to which assembly.
 *
 * @param assemblyCode the assembly whose ledger receives the money ("AMA")
 * @param traderId the trader in that assembly's ledger
 * @param payer the wallet to debit
 * @param amountPesewas the amount asked for, in pesewas
 * @param purpose what the trader chose to pay
 * @param language the payer's language, for the receipt or failure SMS
 * @param aggregatorNetwork the network the USSD aggregator named, empty when it named none
 * @param payerMessage shown on the payer's approval prompt ("Makola daily toll 21/11/2026")
 * @param payeeNote kept with the provider's record ("AMA market toll")
 * @param idempotencyKey the same for every copy of one confirmation (a retried or duplicated USSD
 *     hop, on any node): the payment's reference is derived from it, so the copies start one
 *     payment
 */
public record PaymentOrder(
    String assemblyCode,
    long traderId,
    Msisdn payer,
    long amountPesewas,
    PaymentPurpose purpose,
    Language language,
    Optional<String> aggregatorNetwork,
    String payerMessage,
    String payeeNote,
    Optional<String> idempotencyKey) {

  /** Checks for null and a positive amount. */
  public PaymentOrder {
    Objects.requireNonNull(assemblyCode, "assemblyCode");
    Objects.requireNonNull(payer, "payer");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(aggregatorNetwork, "aggregatorNetwork");
    payerMessage = payerMessage == null ? "" : payerMessage;
    payeeNote = payeeNote == null ? "" : payeeNote;
    idempotencyKey = idempotencyKey == null ? Optional.empty() : idempotencyKey;
    if (amountPesewas <= 0) {
      throw new IllegalArgumentException("amountPesewas must be positive");
    }
  }

  /** An order without an idempotency key: every call starts a new payment. */
  public PaymentOrder(
      String assemblyCode,
      long traderId,
      Msisdn payer,
      long amountPesewas,
      PaymentPurpose purpose,
      Language language,
      Optional<String> aggregatorNetwork,
      String payerMessage,
      String payeeNote) {
    this(
        assemblyCode,
        traderId,
        payer,
        amountPesewas,
        purpose,
        language,
        aggregatorNetwork,
        payerMessage,
        payeeNote,
        Optional.empty());
  }

  /** The same order, with the key that makes its copies start one payment. */
  public PaymentOrder withIdempotencyKey(String key) {
    return new PaymentOrder(
        assemblyCode,
        traderId,
        payer,
        amountPesewas,
        purpose,
        language,
        aggregatorNetwork,
        payerMessage,
        payeeNote,
        Optional.ofNullable(key).filter(k -> !k.isBlank()));
  }
}
