package org.assemblypay.ledger;

import java.util.Optional;
import java.util.UUID;

/**
 * The result of settling a successful mobile-money payment. A suspense settlement (provider amount
 * differs) has no receipt and allocates nothing.
 */
public record Settlement(
    UUID reference,
    long transferId,
    Optional<Receipt> receipt,
    long allocatedPesewas,
    long creditAfterPesewas,
    boolean suspense) {}
