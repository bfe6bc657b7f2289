package org.assemblypay.ledger;

import java.time.Instant;

/**
 * A stored inbound SMS whose command handling never finished, claimed again for handling.
 *
 * @param inboundKey the key it was stored under (its idempotency key)
 * @param handlingAttempts handlings started so far, this one included
 */
public record UnhandledInbound(
    String inboundKey,
    String senderMsisdn,
    String recipient,
    String text,
    Instant receivedAt,
    int handlingAttempts) {}
