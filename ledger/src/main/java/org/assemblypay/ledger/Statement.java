package org.assemblypay.ledger;

import java.time.LocalDate;
import java.util.List;

/** A trader's account between two dates (inclusive): positive balance = owed, negative = credit. */
public record Statement(
    long traderId,
    LocalDate from,
    LocalDate to,
    long openingBalancePesewas,
    List<Line> lines,
    long closingBalancePesewas) {
  /** Copies the list. */
  public Statement {
    lines = List.copyOf(lines);
  }

  /** One transfer touching the trader: charges positive, payments negative. */
  public record Line(
      LocalDate date, String kind, long amountPesewas, long balanceAfterPesewas, String receipt) {}
}
