package org.assemblypay.ledger;

import java.time.Instant;

/** An SMS received from the SMSC; {@code smscMessageId} may be null. */
public record InboundSms(
    String smscMessageId, String senderMsisdn, String recipient, String text, Instant receivedAt) {}
