package org.assemblypay.gateway.admin;

/**
 * Bounds of the admin API: the per-credential token bucket, request body sizes, and the pending
 * reversal requests kept for a second officer's approval.
 */
public record AdminSettings(
    double requestsPerSecond,
    int burst,
    int maxJsonBodyBytes,
    int maxImportBodyBytes,
    int maxPendingReversals,
    long pendingReversalTtlSeconds) {
  /** Checks the bounds. */
  public AdminSettings {
    if (!(requestsPerSecond > 0) || requestsPerSecond > 100_000) {
      throw new IllegalArgumentException("requestsPerSecond must be in (0, 100000]");
    }
    if (burst < 1 || burst > 100_000) {
      throw new IllegalArgumentException("burst must be 1..100000");
    }
    if (maxJsonBodyBytes < 1_024 || maxJsonBodyBytes > 1_048_576) {
      throw new IllegalArgumentException("maxJsonBodyBytes must be 1 KiB..1 MiB");
    }
    if (maxImportBodyBytes < 1_024 || maxImportBodyBytes > 64 * 1_048_576) {
      throw new IllegalArgumentException("maxImportBodyBytes must be 1 KiB..64 MiB");
    }
    if (maxPendingReversals < 1 || maxPendingReversals > 100_000) {
      throw new IllegalArgumentException("maxPendingReversals must be 1..100000");
    }
    if (pendingReversalTtlSeconds < 60 || pendingReversalTtlSeconds > 30L * 24 * 3600) {
      throw new IllegalArgumentException("pendingReversalTtlSeconds must be 60 s..30 days");
    }
  }

  /**
   * 20 requests a second with bursts of 40 per credential, 64 KiB JSON bodies, 8 MiB CSV imports,
   * up to 1,000 reversal requests pending for at most 7 days.
   */
  public static AdminSettings defaults() {
    return new AdminSettings(20, 40, 65_536, 8 * 1_048_576, 1_000, 7L * 24 * 3600);
  }

  /** The same settings with another rate limit. */
  public AdminSettings withRateLimit(double perSecond, int burstSize) {
    return new AdminSettings(
        perSecond,
        burstSize,
        maxJsonBodyBytes,
        maxImportBodyBytes,
        maxPendingReversals,
        pendingReversalTtlSeconds);
  }
}
