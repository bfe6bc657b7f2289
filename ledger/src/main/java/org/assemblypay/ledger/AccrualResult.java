package org.assemblypay.ledger;

import java.time.LocalDate;

/** What one accrual run for a day created; re-running the same day creates nothing. */
public record AccrualResult(
    LocalDate day, int chargesCreated, long chargedPesewas, long paidFromCreditPesewas) {}
