package org.assemblypay.ledger;

import java.util.List;

/** The outcome of a CSV trader import: rows registered and rows refused with reasons. */
public record ImportReport(int importedCount, List<Problem> problems) {
  /** Copies the list. */
  public ImportReport {
    problems = List.copyOf(problems);
  }

  /** A refused row: 1-based line number in the file and why. */
  public record Problem(int lineNumber, String reason) {}
}
