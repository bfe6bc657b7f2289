package org.assemblypay.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** CPU used so far by this JVM and by one database's PostgreSQL backends, for per-item figures. */
public final class ProcessCpu {

  private ProcessCpu() {}

  /**
   * CPU time (user + system, in milliseconds) of the backends now connected to {@code c}'s
   * database, other than {@code c}'s own; read from /proc, so PostgreSQL must run on this machine.
   * With {@code clientBackendsOnly} false, background workers of the database (autovacuum) count
   * too.
   */
  public static long databaseBackendsMillis(Connection c, boolean clientBackendsOnly)
      throws SQLException {
    long ticks = 0;
    try (var s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select pid from pg_stat_activity where datname = current_database()"
                    + (clientBackendsOnly ? " and backend_type = 'client backend'" : "")
                    + " and pid <> pg_backend_pid()")) {
      while (r.next()) {
        ticks += ticks(r.getInt(1));
      }
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  /** This JVM's CPU time in nanoseconds, or -1 where the platform does not say. */
  public static long jvmNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  private static long ticks(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (java.io.IOException | RuntimeException e) {
      return 0; // the backend ended meanwhile
    }
  }
}
