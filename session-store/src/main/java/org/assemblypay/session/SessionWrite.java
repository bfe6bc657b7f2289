package org.assemblypay.session;

import java.util.Objects;

/**
 * A compare-and-set write: applied only when the stored version equals {@code expectedVersion} (0 =
 * the session must not exist yet).
 */
public record SessionWrite(String sessionId, String msisdn, long expectedVersion, String payload) {
  /** Checks the fields. */
  public SessionWrite {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(msisdn, "msisdn");
    Objects.requireNonNull(payload, "payload");
    if (sessionId.isEmpty()) {
      throw new IllegalArgumentException("empty sessionId");
    }
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expectedVersion must be >= 0: " + expectedVersion);
    }
  }
}
