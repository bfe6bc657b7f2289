package org.assemblypay.session;

/**
 * Limits of a session store: session TTL (default 180 s), resume window (default 300 s), and the
 * in-memory adapter's capacity.
 */
public record SessionStoreSettings(long ttlSeconds, long resumeWindowSeconds, int maxSessions) {

  /** 180 s sessions, 5-minute resume window, 100,000 sessions in memory. */
  public static final SessionStoreSettings DEFAULTS = new SessionStoreSettings(180, 300, 100_000);

  /** Checks the limits. */
  public SessionStoreSettings {
    if (ttlSeconds < 1) {
      throw new IllegalArgumentException("ttlSeconds must be >= 1: " + ttlSeconds);
    }
    if (resumeWindowSeconds < 1) {
      throw new IllegalArgumentException(
          "resumeWindowSeconds must be >= 1: " + resumeWindowSeconds);
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be >= 1: " + maxSessions);
    }
  }

  /** A copy with another session TTL. */
  public SessionStoreSettings withTtlSeconds(long seconds) {
    return new SessionStoreSettings(seconds, resumeWindowSeconds, maxSessions);
  }

  /** A copy with another resume window. */
  public SessionStoreSettings withResumeWindowSeconds(long seconds) {
    return new SessionStoreSettings(ttlSeconds, seconds, maxSessions);
  }

  /** A copy with another in-memory capacity. */
  public SessionStoreSettings withMaxSessions(int max) {
    return new SessionStoreSettings(ttlSeconds, resumeWindowSeconds, max);
  }
}
