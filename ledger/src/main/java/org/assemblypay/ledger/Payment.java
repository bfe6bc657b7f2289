package org.assemblypay.ledger;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A mobile-money payment and where it is in its lifecycle; {@code network} is the payer's routed
 * mobile network when it was recorded.
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
    Optional<String> network) {}
