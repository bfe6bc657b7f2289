package org.assemblypay.ledger;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/** Business days {@code from..to} (inclusive) of an assembly, at most {@link #MAX_DAYS} long. */
public record DateRange(LocalDate from, LocalDate to) {
  /** The longest range a report covers, so no query scans years of rows by accident. */
  public static final int MAX_DAYS = 366;

  /** Checks the order and the length. */
  public DateRange {
    if (from == null || to == null || to.isBefore(from)) {
      throw new InvalidInputException("a date range needs from <= to");
    }
    if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
      throw new InvalidInputException("a date range covers at most " + MAX_DAYS + " days");
    }
  }

  /** A single day. */
  public static DateRange day(LocalDate day) {
    return new DateRange(day, day);
  }

  OffsetDateTime start(ZoneId zone) {
    return from.atStartOfDay(zone).toOffsetDateTime();
  }

  /** The first instant after the range (exclusive bound). */
  OffsetDateTime end(ZoneId zone) {
    return to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
  }
}
