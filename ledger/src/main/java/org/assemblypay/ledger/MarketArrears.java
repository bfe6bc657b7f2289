package org.assemblypay.ledger;

import java.time.LocalDate;
import java.util.Optional;

/** What one market's traders owe now: the open charges, how many owe, and the oldest due date. */
public record MarketArrears(
    long marketId,
    String marketCode,
    String marketName,
    long arrearsPesewas,
    int tradersOwing,
    int traderCount,
    Optional<LocalDate> oldestUnpaidDate) {}
