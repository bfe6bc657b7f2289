package org.assemblypay.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One outbox row as operations read it: where the SMS stands and what sending it has cost.
 *
 * @param status QUEUED, SUBMITTED, UNKNOWN, DELIVERED, UNDELIVERABLE, EXPIRED or FAILED
 * @param claims times a dispatcher leased the row
 * @param submitAttempts submit_sm rounds that reached an SMSC
 * @param resends re-sends after the outcome stayed unknown for the quiet period
 * @param lastError the last submit error, retry reason or re-send note
 * @param errorCode the error the delivery report gave
 */
public record SmsOutboxRow(
    long id,
    String recipientMsisdn,
    String status,
    int claims,
    int submitAttempts,
    int resends,
    List<String> messageIds,
    Optional<String> lastError,
    Optional<String> errorCode,
    Optional<String> correlationId,
    Instant createdAt,
    Optional<Instant> lastAttemptAt,
    Optional<Instant> submittedAt,
    Optional<Instant> unknownSince,
    Optional<Instant> deliveredAt) {

  /** Copies the list. */
  public SmsOutboxRow {
    messageIds = List.copyOf(messageIds);
  }
}
