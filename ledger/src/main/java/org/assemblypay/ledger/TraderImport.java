package org.assemblypay.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the web ticketing system's customer export (CSV with a header row) and registers each good
 * row in its own transaction; bad rows are reported with their line number.
 */
final class TraderImport {
  static final int MAX_ROWS = 200_000;
  private static final Map<String, String> HEADERS =
      Map.ofEntries(
          Map.entry("customer number", "customer"),
          Map.entry("customer_number", "customer"),
          Map.entry("customer no", "customer"),
          Map.entry("customerno", "customer"),
          Map.entry("customer id", "customer"),
          Map.entry("name", "name"),
          Map.entry("customer name", "name"),
          Map.entry("phone", "phone"),
          Map.entry("phone number", "phone"),
          Map.entry("mobile", "phone"),
          Map.entry("zone", "market"),
          Map.entry("market", "market"),
          Map.entry("zone/market", "market"),
          Map.entry("stall", "stall"),
          Map.entry("stall number", "stall"),
          Map.entry("category", "category"),
          Map.entry("language", "language"));

  private final Directory directory;

  TraderImport(Directory directory) {
    this.directory = directory;
  }

  ImportReport run(Reader csv) {
    List<ImportReport.Problem> problems = new ArrayList<>();
    int imported = 0;
    try (BufferedReader in = new BufferedReader(csv)) {
      CsvRows rows = new CsvRows(in);
      List<String> header = rows.next();
      if (header == null) {
        return new ImportReport(0, List.of(new ImportReport.Problem(1, "empty file")));
      }
      Map<String, Integer> column = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        String key =
            HEADERS.get(header.get(i).replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT));
        if (key != null) {
          column.putIfAbsent(key, i);
        }
      }
      for (String needed : List.of("customer", "name", "market")) {
        if (!column.containsKey(needed)) {
          return new ImportReport(
              0, List.of(new ImportReport.Problem(1, "header has no " + needed + " column")));
        }
      }
      int count = 0;
      List<String> row;
      while ((row = rows.next()) != null) {
        int line = rows.startLine();
        if (row.size() == 1 && row.get(0).isBlank()) {
          continue;
        }
        if (++count > MAX_ROWS) {
          problems.add(new ImportReport.Problem(line, "more than " + MAX_ROWS + " rows; stopped"));
          break;
        }
        try {
          String lang = cell(row, column.get("language"));
          directory.registerTrader(
              new NewTrader(
                  cell(row, column.get("customer")),
                  cell(row, column.get("name")),
                  cell(row, column.get("phone")),
                  cell(row, column.get("market")),
                  cell(row, column.get("stall")),
                  cell(row, column.get("category")),
                  lang == null || lang.isBlank() ? Language.EN : Language.ofCode(lang)));
          imported++;
        } catch (LedgerException e) {
          problems.add(new ImportReport.Problem(line, e.getMessage()));
        }
      }
      if (rows.unterminatedQuote()) {
        problems.add(new ImportReport.Problem(rows.startLine(), "unterminated quoted field"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ImportReport(imported, problems);
  }

  private static String cell(List<String> row, Integer index) {
    if (index == null || index >= row.size()) {
      return null;
    }
    return row.get(index).strip();
  }

  /** RFC 4180 rows: quoted fields may contain commas, doubled quotes and line breaks. */
  static final class CsvRows {
    private final BufferedReader in;
    private int line;
    private int startLine;
    private boolean unterminated;

    CsvRows(BufferedReader in) {
      this.in = in;
    }

    int startLine() {
      return startLine;
    }

    boolean unterminatedQuote() {
      return unterminated;
    }

    List<String> next() throws IOException {
      String text = in.readLine();
      if (text == null) {
        return null;
      }
      line++;
      startLine = line;
      List<String> cells = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      while (true) {
        for (int i = 0; i < text.length(); i++) {
          char c = text.charAt(i);
          if (quoted) {
            if (c == '"') {
              if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
              } else {
                quoted = false;
              }
            } else {
              cell.append(c);
            }
          } else if (c == '"') {
            quoted = true;
          } else if (c == ',') {
            cells.add(cell.toString());
            cell.setLength(0);
          } else {
            cell.append(c);
          }
        }
        if (!quoted) {
          break;
        }
        String more = in.readLine();
        if (more == null) {
          unterminated = true;
          break;
        }
        line++;
        cell.append('\n');
        text = more;
      }
      cells.add(cell.toString());
      return cells;
    }
  }
}
