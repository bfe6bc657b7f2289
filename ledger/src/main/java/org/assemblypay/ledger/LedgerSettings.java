package org.assemblypay.ledger;

import java.util.Objects;

/** Where the main database is and how the ledger sizes its pools and leases. */
public record LedgerSettings(
    String jdbcUrl,
    String user,
    String password,
    int maxPoolSizePerDatabase,
    int claimLeaseSeconds,
    int firstPollDelaySeconds,
    int expiredRecheckSeconds,
    int expiredRecheckWindowSeconds) {

  /** 30 minutes between re-checks of an expired payment at the provider. */
  public static final int DEFAULT_EXPIRED_RECHECK_SECONDS = 30 * 60;

  /** Expired payments are re-checked until 48 hours after they were created. */
  public static final int DEFAULT_EXPIRED_RECHECK_WINDOW_SECONDS = 48 * 3600;

  /** Checks the bounds. */
  public LedgerSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (maxPoolSizePerDatabase < 1 || maxPoolSizePerDatabase > 200) {
      throw new IllegalArgumentException("maxPoolSizePerDatabase must be 1..200");
    }
    if (claimLeaseSeconds < 1 || firstPollDelaySeconds < 0) {
      throw new IllegalArgumentException("lease and poll delay must be positive");
    }
    if (expiredRecheckSeconds < 1 || expiredRecheckWindowSeconds < 0) {
      throw new IllegalArgumentException("expired re-check pause and window must be positive");
    }
  }

  /** Settings with the default re-check of expired payments (every 30 minutes for 48 hours). */
  public LedgerSettings(
      String jdbcUrl,
      String user,
      String password,
      int maxPoolSizePerDatabase,
      int claimLeaseSeconds,
      int firstPollDelaySeconds) {
    this(
        jdbcUrl,
        user,
        password,
        maxPoolSizePerDatabase,
        claimLeaseSeconds,
        firstPollDelaySeconds,
        DEFAULT_EXPIRED_RECHECK_SECONDS,
        DEFAULT_EXPIRED_RECHECK_WINDOW_SECONDS);
  }

  /** Settings with default pool size (10), a 30 s claim lease and a 20 s first poll delay. */
  public static LedgerSettings of(String jdbcUrl, String user, String password) {
    return new LedgerSettings(jdbcUrl, user, password, 10, 30, 20);
  }

  /** The same settings with another pool size. */
  public LedgerSettings withMaxPoolSizePerDatabase(int size) {
    return new LedgerSettings(
        jdbcUrl,
        user,
        password,
        size,
        claimLeaseSeconds,
        firstPollDelaySeconds,
        expiredRecheckSeconds,
        expiredRecheckWindowSeconds);
  }

  /**
   * The same settings with another re-check of expired payments: one look at the provider every
   * {@code pauseSeconds}, until {@code windowSeconds} after the payment was created (0: never).
   */
  public LedgerSettings withExpiredRecheck(int pauseSeconds, int windowSeconds) {
    return new LedgerSettings(
        jdbcUrl,
        user,
        password,
        maxPoolSizePerDatabase,
        claimLeaseSeconds,
        firstPollDelaySeconds,
        pauseSeconds,
        windowSeconds);
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
