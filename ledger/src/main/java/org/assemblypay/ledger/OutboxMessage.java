package org.assemblypay.ledger;

/** An SMS claimed from the outbox for sending. */
public record OutboxMessage(
    long id,
    String recipientMsisdn,
    String text,
    Language language,
    int attempts,
    String correlationId) {}
