package org.assemblypay.ledger;

import java.time.Instant;

/** A cash report a collector must confirm with {@code code} before it is posted. */
public record PendingCash(
    String code, long collectorId, long traderId, long amountPesewas, Instant expiresAt) {}
