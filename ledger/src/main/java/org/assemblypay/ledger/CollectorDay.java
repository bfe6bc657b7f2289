package org.assemblypay.ledger;

import java.time.LocalDate;

/** A collector's cash takings on one day (net of reversals). */
public record CollectorDay(long collectorId, LocalDate day, int paymentCount, long totalPesewas) {}
