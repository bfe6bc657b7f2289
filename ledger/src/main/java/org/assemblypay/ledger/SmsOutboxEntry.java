package org.assemblypay.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * One outbox message as the admin sees it: the recipient masked and no text (a collector's PIN
 * travels in one), its status, attempts, parts and times.
 */
public record SmsOutboxEntry(
    long id,
    String recipientMasked,
    String status,
    int attempts,
    int parts,
    Optional<String> errorCode,
    Optional<String> lastError,
    Optional<Long> transferId,
    Instant createdAt,
    Optional<Instant> submittedAt,
    Optional<Instant> deliveredAt) {}
