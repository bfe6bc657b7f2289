package org.assemblypay.bench.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.assemblypay.bench.ProcessCpu;
import org.assemblypay.bench.WalMark;

/**
 * What PostgreSQL did for one payment phase of the ledger benchmark, between two snapshots: WAL
 * (cluster-wide, and this database's by resource manager through pg_walinspect when installed),
 * updates and HOT updates per table of the benchmark's schema, commits, and the CPU of this
 * database's client backends (from /proc, same machine) and of the JVM. Taken with {@code
 * -Dbench.pgstats=true}.
 */
record LedgerPgStats(
    String lsn, long commits, Map<String, long[]> tables, long backendCpuMillis, long jvmCpuNanos) {

  static LedgerPgStats take(String url, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      try (var s = c.createStatement()) {
        // A busy backend reports its table counters at most once a second; an idle one may hold
        // them up to ten seconds (PostgreSQL 15), so a phase's first second can still show some
        // of the phase before.
        s.execute("select pg_sleep(1.1), pg_stat_clear_snapshot()");
      }
      WalMark mark = WalMark.take(c);
      Map<String, long[]> tables = new TreeMap<>();
      try (PreparedStatement s =
          c.prepareStatement(
              "select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd from pg_stat_user_tables"
                  + " where schemaname = ?")) {
        s.setString(1, schema);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            tables.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3), r.getLong(4)});
          }
        }
      }
      long backendMillis = ProcessCpu.databaseBackendsMillis(c, true);
      return new LedgerPgStats(
          mark.lsn(), mark.commits(), tables, backendMillis, ProcessCpu.jvmNanos());
    }
  }

  /** Lines comparing this (the end) with {@code start}, per payment. */
  String since(LedgerPgStats start, String url, long payments) throws SQLException {
    StringBuilder out = new StringBuilder();
    long clusterWal;
    String dbWal = "n/a (create extension pg_walinspect)";
    StringBuilder byRmgr = new StringBuilder();
    try (Connection c = DriverManager.getConnection(url)) {
      clusterWal = WalMark.clusterBytesBetween(c, start.lsn, lsn);
      try (PreparedStatement s =
          c.prepareStatement(
              "select resource_manager, sum(record_length), sum(fpi_length), count(*)"
                  + " from pg_get_wal_records_info(?::pg_lsn, ?::pg_lsn)"
                  + " where "
                  + WalMark.THIS_DATABASE_BLOCKS
                  + " group by resource_manager order by 2 desc")) {
        s.setString(1, start.lsn);
        s.setString(2, lsn);
        long bytes = 0;
        long fpi = 0;
        long records = 0;
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            bytes += r.getLong(2);
            fpi += r.getLong(3);
            records += r.getLong(4);
            byRmgr.append(
                String.format(
                    Locale.ROOT,
                    " %s %.0f B/%.1f",
                    r.getString(1),
                    r.getLong(2) * 1.0 / payments,
                    r.getLong(4) * 1.0 / payments));
          }
        }
        dbWal =
            String.format(
                Locale.ROOT,
                "%.0f B/payment (incl. full-page images %.0f B), %.1f records",
                bytes * 1.0 / payments,
                fpi * 1.0 / payments,
                records * 1.0 / payments);
      } catch (SQLException e) {
        // pg_walinspect not installed in this database: the cluster figure only.
      }
    }
    out.append(
        String.format(
            Locale.ROOT,
            "pgstats: WAL cluster-wide %.0f B/payment; this database's relations %s;"
                + " commits %.2f/payment; CPU per payment: this database's backends %.3f ms,"
                + " JVM %.3f ms%n",
            clusterWal * 1.0 / payments,
            dbWal,
            (commits - start.commits) * 1.0 / payments,
            (backendCpuMillis - start.backendCpuMillis) * 1.0 / payments,
            (jvmCpuNanos - start.jvmCpuNanos) / 1e6 / payments));
    if (byRmgr.length() > 0) {
      out.append("pgstats: WAL by resource manager (B/payment / records/payment):")
          .append(byRmgr)
          .append(String.format("%n"));
    }
    StringBuilder t = new StringBuilder("pgstats: per payment, table inserts / updates (HOT):");
    tables.forEach(
        (name, now) -> {
          long[] before = start.tables.getOrDefault(name, new long[3]);
          long ins = now[0] - before[0];
          long upd = now[1] - before[1];
          long hot = now[2] - before[2];
          if (ins + upd > 0) {
            t.append(
                String.format(
                    Locale.ROOT,
                    " %s %.2f/%.2f (%.0f %%)",
                    name,
                    ins * 1.0 / payments,
                    upd * 1.0 / payments,
                    upd == 0 ? 0.0 : hot * 100.0 / upd));
          }
        });
    out.append(t);
    return out.toString();
  }
}
