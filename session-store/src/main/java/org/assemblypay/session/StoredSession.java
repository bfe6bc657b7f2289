package org.assemblypay.session;

import java.util.Objects;

/** A session as stored: its id, phone number, version (1 after the first save) and payload. */
public record StoredSession(String sessionId, String msisdn, long version, String payload) {
  /** Checks the fields. */
  public StoredSession {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(msisdn, "msisdn");
    Objects.requireNonNull(payload, "payload");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1: " + version);
    }
  }
}
