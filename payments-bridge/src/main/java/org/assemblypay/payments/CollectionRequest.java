package org.assemblypay.payments;

import java.util.Objects;
import java.util.UUID;

/**
 * One request to debit a payer's wallet, under a reference the caller has already persisted.
 *
 * @param reference the payment's reference, a UUID v4; the provider's idempotency key
 * @param payer the wallet to debit
 * @param network the payer's network as routed ({@link ProviderRouter}); adapters that serve
 *     several networks (Hubtel) choose their channel from it
 * @param amountPesewas the amount, in pesewas, strictly positive
 * @param currency ISO 4217 code the provider expects ("GHS"; MTN's sandbox wants "EUR")
 * @param payerMessage shown to the payer on the approval prompt; sanitised by each adapter
 * @param payeeNote kept with the provider's record of the transaction; sanitised by each adapter
 */
public record CollectionRequest(
    UUID reference,
    Msisdn payer,
    Network network,
    long amountPesewas,
    String currency,
    String payerMessage,
    String payeeNote) {

  /** Checks the contract: a v4 reference, a positive amount, a three-letter currency. */
  public CollectionRequest {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(payer, "payer");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(currency, "currency");
    payerMessage = payerMessage == null ? "" : payerMessage;
    payeeNote = payeeNote == null ? "" : payeeNote;
    if (reference.version() != 4) {
      throw new IllegalArgumentException("reference must be a UUID v4");
    }
    if (amountPesewas <= 0) {
      throw new IllegalArgumentException("amountPesewas must be positive");
    }
    if (!currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code");
    }
  }
}
