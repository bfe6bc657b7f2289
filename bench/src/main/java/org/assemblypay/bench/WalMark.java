package org.assemblypay.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where the WAL stood and how many transactions a database had committed at one moment, for
 * per-item WAL and commit figures between two marks.
 *
 * @param lsn the current WAL insert position ({@code pg_current_wal_lsn()})
 * @param commits the database's committed transactions so far
 */
public record WalMark(String lsn, long commits) {

  /** Reads the mark through {@code c}. */
  public static WalMark take(Connection c) throws SQLException {
    try (var s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select pg_current_wal_lsn()::text, xact_commit from pg_stat_database"
                    + " where datname = current_database()")) {
      r.next();
      return new WalMark(r.getString(1), r.getLong(2));
    }
  }
}
