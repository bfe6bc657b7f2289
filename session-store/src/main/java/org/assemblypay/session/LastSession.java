package org.assemblypay.session;

import java.util.Objects;

/**
 * The most recent session of a phone number, with a snapshot of its payload, kept for the resume
 * window after the session itself has expired.
 */
public record LastSession(
    String msisdn, String sessionId, String payload, long savedAtEpochMillis) {
  /** Checks the fields. */
  public LastSession {
    Objects.requireNonNull(msisdn, "msisdn");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(payload, "payload");
  }
}
