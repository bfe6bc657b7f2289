package org.assemblypay.ledger;

import java.time.Instant;
import java.util.Optional;

/** A receipt: gapless number per assembly and year, and an unguessable verification code. */
public record Receipt(
    String number,
    String verificationCode,
    long transferId,
    long amountPesewas,
    long traderId,
    Optional<Long> collectorId,
    Instant issuedAt) {}
