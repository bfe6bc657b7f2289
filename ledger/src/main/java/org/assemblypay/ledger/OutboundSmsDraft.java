package org.assemblypay.ledger;

/** An SMS to queue in the outbox; {@code correlationId} may be null. */
public record OutboundSmsDraft(
    String recipientMsisdn, String text, Language language, String correlationId) {}
