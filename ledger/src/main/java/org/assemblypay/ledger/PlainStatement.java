package org.assemblypay.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;

/**
 * A hot statement written as plain SQL and run over JDBC (D235): its {@code {n}} placeholders are
 * resolved once, tables to this assembly's schema-mapped names and values to JDBC parameters, so a
 * call pays neither jOOQ's rendering and binding nor its record mapping. The text is a constant
 * with bind values only, never built from input.
 *
 * <p>A statement compiled {@link #keyed} reaches its rows through indexes only: it runs with {@code
 * enable_seqscan} off for its own transaction, so the plan a session keeps for it never depends on
 * statistics that may be missing or stale (D244).
 */
final class PlainStatement {

  /** Reads one result row. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

  /**
   * Sent in the same round trip as a keyed statement: off until the end of the transaction, which
   * for an autocommitted statement is the statement itself (pgjdbc sends both before one Sync).
   */
  private static final String INDEX_PLANS = "select set_config('enable_seqscan', 'off', true);\n";

  private final String sql;
  private final int[] argumentOf;
  private final String[] arrayTypes;
  private final boolean keyed;

  private PlainStatement(String sql, int[] argumentOf, String[] arrayTypes, boolean keyed) {
    this.sql = sql;
    this.argumentOf = argumentOf;
    this.arrayTypes = arrayTypes;
    this.keyed = keyed;
  }

  /**
   * This statement planned without sequential scans (D244): for the hot statements that find their
   * rows by key, whose plans a session keeps and PostgreSQL replaces only when statistics change.
   */
  PlainStatement keyed() {
    return new PlainStatement(sql, argumentOf, arrayTypes, true);
  }

  /**
   * Resolves the template: placeholder {@code {n}} becomes the table {@code tables.get(n)} as this
   * DSL renders it (schema mapping included), or else a JDBC parameter bound to the call's argument
   * n; a value placeholder may repeat. {@code arrayTypes[n]} names the SQL element type of an array
   * argument (e.g. {@code int8}), null for others.
   */
  static PlainStatement compile(
      DSLContext dsl, String template, Map<Integer, Table<?>> tables, String... arrayTypes) {
    StringBuilder sql = new StringBuilder();
    List<Integer> arguments = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      Table<?> table = tables.get(n);
      String replacement;
      if (table != null) {
        replacement = dsl.render(table);
      } else {
        arguments.add(n);
        replacement = "?";
      }
      m.appendReplacement(sql, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sql);
    int[] argumentOf = arguments.stream().mapToInt(Integer::intValue).toArray();
    return new PlainStatement(sql.toString(), argumentOf, arrayTypes.clone(), false);
  }

  /** Runs the statement on the DSL's connection (the caller's transaction, if any); reads rows. */
  <T> List<T> query(DSLContext tx, RowReader<T> reader, Object... args) {
    return tx.connectionResult(c -> run(c, reader, args));
  }

  private <T> List<T> run(Connection c, RowReader<T> reader, Object[] args) {
    try (PreparedStatement ps = keyed ? prepareKeyed(c, sql) : c.prepareStatement(sql)) {
      for (int i = 0; i < argumentOf.length; i++) {
        int n = argumentOf[i];
        Object value = args[n];
        String arrayType = n < arrayTypes.length ? arrayTypes[n] : null;
        if (arrayType != null) {
          ps.setArray(i + 1, c.createArrayOf(arrayType, (Object[]) value));
        } else {
          ps.setObject(i + 1, value); // pgjdbc binds OffsetDateTime as timestamptz
        }
      }
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = keyed ? executeKeyed(ps) : ps.executeQuery()) {
        while (rs.next()) {
          rows.add(reader.read(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
    }
  }

  /**
   * Prepares a statement that returns rows to run with sequential scans off for its own transaction
   * (D244); run it with {@link #executeKeyed}.
   */
  static PreparedStatement prepareKeyed(Connection c, String sql) throws SQLException {
    return c.prepareStatement(INDEX_PLANS + sql);
  }

  /** Runs a statement from {@link #prepareKeyed}; its rows. */
  static ResultSet executeKeyed(PreparedStatement ps) throws SQLException {
    ps.execute();
    if (!ps.getMoreResults()) { // past set_config's one row
      throw new SQLException("the keyed statement returned no rows");
    }
    return ps.getResultSet();
  }

  /** The resolved SQL, for tests. */
  String sql() {
    return sql;
  }
}
