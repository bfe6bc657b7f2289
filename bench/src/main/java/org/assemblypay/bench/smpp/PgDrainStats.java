package org.assemblypay.bench.smpp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.assemblypay.bench.ProcessCpu;
import org.assemblypay.bench.WalMark;

/**
 * What PostgreSQL did for the outbox benchmark's schemas between two snapshots: WAL written by the
 * cluster and by this database's relations (pg_walinspect when installed), sms_outbox updates and
 * how many were HOT, commits in this database, and the CPU of this database's backends (from /proc,
 * same machine). Taken with {@code -Dbench.pgstats=true}.
 */
record PgDrainStats(
    String lsn,
    long commits,
    long outboxUpdates,
    long outboxHotUpdates,
    long outboxInserts,
    long backendCpuMillis,
    long jvmCpuNanos,
    java.util.Map<String, Long> jvmThreadNanos) {

  static PgDrainStats take(String url, List<String> schemas) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      try (var s = c.createStatement()) {
        // A busy backend reports its table counters at most once a second, an idle one within ten.
        s.execute("select pg_stat_clear_snapshot()");
      }
      WalMark mark = WalMark.take(c);
      long upd = 0;
      long hot = 0;
      long ins = 0;
      try (PreparedStatement s =
          c.prepareStatement(
              "select coalesce(sum(n_tup_upd), 0), coalesce(sum(n_tup_hot_upd), 0),"
                  + " coalesce(sum(n_tup_ins), 0) from pg_stat_user_tables"
                  + " where relname = 'sms_outbox' and schemaname = any(?)")) {
        s.setArray(1, c.createArrayOf("text", schemas.toArray()));
        try (ResultSet r = s.executeQuery()) {
          r.next();
          upd = r.getLong(1);
          hot = r.getLong(2);
          ins = r.getLong(3);
        }
      }
      long backendMillis = ProcessCpu.databaseBackendsMillis(c, false);
      return new PgDrainStats(
          mark.lsn(),
          mark.commits(),
          upd,
          hot,
          ins,
          backendMillis,
          ProcessCpu.jvmNanos(),
          threadNanos());
    }
  }

  /** One line comparing this (the end) with {@code start}, per message where it makes sense. */
  String since(PgDrainStats start, String url, long messages) throws SQLException {
    long clusterWal;
    String dbWal = "n/a (create extension pg_walinspect)";
    try (Connection c = DriverManager.getConnection(url)) {
      clusterWal = WalMark.clusterBytesBetween(c, start.lsn, lsn);
      try (PreparedStatement s =
          c.prepareStatement(
              "select coalesce(sum(record_length), 0), coalesce(sum(fpi_length), 0), count(*)"
                  + " from pg_get_wal_records_info(?::pg_lsn, ?::pg_lsn)"
                  + " where "
                  + WalMark.THIS_DATABASE_BLOCKS)) {
        s.setString(1, start.lsn);
        s.setString(2, lsn);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          dbWal =
              String.format(
                  Locale.ROOT,
                  "%.0f B/msg (records %.0f B incl. full-page images %.0f B, %.1f records)",
                  r.getLong(1) * 1.0 / messages,
                  r.getLong(1) * 1.0 / messages,
                  r.getLong(2) * 1.0 / messages,
                  r.getLong(3) * 1.0 / messages);
        }
      } catch (SQLException e) {
        // pg_walinspect not installed in this database: the cluster figure only.
      }
    }
    long upd = outboxUpdates - start.outboxUpdates;
    long hot = outboxHotUpdates - start.outboxHotUpdates;
    return String.format(
        Locale.ROOT,
        "pgstats: WAL cluster-wide %.0f B/msg; this database's relations %s; sms_outbox updates"
            + " %.2f/msg, HOT %d of %d (%.0f %%); commits %.2f/msg; CPU per message: this"
            + " database's backends %.3f ms, JVM %.3f ms",
        clusterWal * 1.0 / messages,
        dbWal,
        upd * 1.0 / messages,
        hot,
        upd,
        upd == 0 ? 0.0 : hot * 100.0 / upd,
        (commits - start.commits) * 1.0 / messages,
        (backendCpuMillis - start.backendCpuMillis) * 1.0 / messages,
        (jvmCpuNanos - start.jvmCpuNanos) / 1e6 / messages);
  }

  /** The JVM's CPU time (nanoseconds) by thread name with digits dropped, from /proc/self/task. */
  private static java.util.Map<String, Long> threadNanos() {
    java.util.Map<String, Long> byName = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return byName;
    }
    for (java.io.File task : tasks) {
      try {
        String name = Files.readString(task.toPath().resolve("comm"), StandardCharsets.UTF_8);
        name = name.strip();
        // schedstat's first field is the thread's CPU time in nanoseconds; stat's clock ticks
        // would lose up to 10 ms per thread, and a run has hundreds of threads.
        String sched = Files.readString(task.toPath().resolve("schedstat"), StandardCharsets.UTF_8);
        long t = Long.parseLong(sched.substring(0, sched.indexOf(' ')));
        // Thread ids survive in the map key so a thread that ended is not subtracted wrongly.
        byName.merge(task.getName() + " " + name.replaceAll("[0-9]+", "#"), t, Long::sum);
      } catch (java.io.IOException | RuntimeException e) {
        // the thread ended meanwhile
      }
    }
    return byName;
  }

  /**
   * JVM CPU in the interval by thread group, milliseconds, largest first (top 12, the rest, and
   * threads that ended).
   */
  String threadsSince(PgDrainStats start) {
    java.util.Map<String, Long> byGroup = new java.util.HashMap<>();
    jvmThreadNanos.forEach(
        (key, t) -> {
          long before = start.jvmThreadNanos.getOrDefault(key, 0L);
          byGroup.merge(key.substring(key.indexOf(' ') + 1), t - before, Long::sum);
        });
    StringBuilder sb = new StringBuilder("JVM CPU by thread (ms):");
    var sorted =
        byGroup.entrySet().stream()
            .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
            .toList();
    sorted.stream()
        .limit(12)
        .forEach(
            e -> sb.append(' ').append(e.getKey()).append('=').append(e.getValue() / 1_000_000));
    long listed = sorted.stream().mapToLong(java.util.Map.Entry::getValue).sum();
    long rest = sorted.stream().skip(12).mapToLong(java.util.Map.Entry::getValue).sum();
    long total = jvmCpuNanos - start.jvmCpuNanos;
    // Threads that ended before this reading are in the JVM's total but in no thread's figure.
    sb.append(" others=")
        .append(rest / 1_000_000)
        .append(" ended=")
        .append(Math.max(0, total - listed) / 1_000_000);
    return sb.toString();
  }
}
