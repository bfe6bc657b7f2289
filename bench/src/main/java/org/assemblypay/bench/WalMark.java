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

  /**
   * The {@code pg_get_wal_records_info} condition (pg_walinspect) that keeps the records touching
   * this database's relations.
   */
  public static final String THIS_DATABASE_BLOCKS =
      "block_ref like '%/' || (select oid from pg_database where datname = current_database())"
          + " || '/%'";

  /** WAL bytes the whole cluster wrote between two positions. */
  public static long clusterBytesBetween(Connection c, String fromLsn, String toLsn)
      throws SQLException {
    try (var s = c.prepareStatement("select pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)::bigint")) {
      s.setString(1, toLsn);
      s.setString(2, fromLsn);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
