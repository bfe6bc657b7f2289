package org.assemblypay.ledger;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A mobile-money payment and where it is in its lifecycle; {@code network} is the payer's routed
 * mobile network when it was recorded; {@code correlationId} the id of the action that started it
 * (see {@link Correlation}), when there was one.
 */
public record Payment(
    long id,
    UUID reference,
    String provider,
    long traderId,
    String payerMsisdn,
    long amountPesewas,
    PaymentPurpose purpose,
    Language payerLanguage,
    PaymentStatus status,
    Optional<String> providerTxnId,
    Optional<String> failureReason,
    boolean suspense,
    Optional<Long> transferId,
    int attempts,
    Optional<Instant> nextPollAt,
    Instant createdAt,
    Optional<String> network,
    Optional<String> correlationId) {

  /** A payment without a recorded correlation id. */
  public Payment(
      long id,
      UUID reference,
      String provider,
      long traderId,
      String payerMsisdn,
      long amountPesewas,
      PaymentPurpose purpose,
      Language payerLanguage,
      PaymentStatus status,
      Optional<String> providerTxnId,
      Optional<String> failureReason,
      boolean suspense,
      Optional<Long> transferId,
      int attempts,
      Optional<Instant> nextPollAt,
      Instant createdAt,
      Optional<String> network) {
    this(
        id,
        reference,
        provider,
        traderId,
        payerMsisdn,
        amountPesewas,
        purpose,
        payerLanguage,
        status,
        providerTxnId,
        failureReason,
        suspense,
        transferId,
        attempts,
        nextPollAt,
        createdAt,
        network,
        Optional.empty());
  }

  /** The id to log this payment's steps under: its correlation id, else its reference. */
  public String logCorrelationId() {
    return correlationId.orElseGet(reference::toString);
  }
}
