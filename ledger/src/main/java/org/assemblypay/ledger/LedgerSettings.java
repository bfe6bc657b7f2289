package org.assemblypay.ledger;

import java.util.Objects;

/** Where the main database is and how the ledger sizes its pools and leases. */
public record LedgerSettings(
    String jdbcUrl,
    String user,
    String password,
    int maxPoolSizePerDatabase,
    int claimLeaseSeconds,
    int firstPollDelaySeconds) {

  /** Checks the bounds. */
  public LedgerSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (maxPoolSizePerDatabase < 1 || maxPoolSizePerDatabase > 200) {
      throw new IllegalArgumentException("maxPoolSizePerDatabase must be 1..200");
    }
    if (claimLeaseSeconds < 1 || firstPollDelaySeconds < 0) {
      throw new IllegalArgumentException("lease and poll delay must be positive");
    }
  }

  /** Settings with default pool size (10), a 30 s claim lease and a 20 s first poll delay. */
  public static LedgerSettings of(String jdbcUrl, String user, String password) {
    return new LedgerSettings(jdbcUrl, user, password, 10, 30, 20);
  }

  /** The same settings with another pool size. */
  public LedgerSettings withMaxPoolSizePerDatabase(int size) {
    return new LedgerSettings(
        jdbcUrl, user, password, size, claimLeaseSeconds, firstPollDelaySeconds);
  }

  @Override
  public String toString() {
    return "LedgerSettings[jdbcUrl="
        + jdbcUrl
        + ", user="
        + user
        + ", pool="
        + maxPoolSizePerDatabase
        + "]";
  }
}
