package org.assemblypay.menus;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/** Dates as Ghana reads them: day first, {@code 21/11/2026}. */
public final class Dates {
  private static final DateTimeFormatter DAY_FIRST = DateTimeFormatter.ofPattern("dd/MM/yyyy");

  private Dates() {}

  public static String format(LocalDate date) {
    return DAY_FIRST.format(date);
  }
}
