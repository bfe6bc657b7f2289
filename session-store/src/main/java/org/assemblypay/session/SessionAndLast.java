package org.assemblypay.session;

import java.util.Objects;
import java.util.Optional;

/** A session (if any) and its phone's last-session record (if any), read together (D221). */
public record SessionAndLast(Optional<StoredSession> session, Optional<LastSession> last) {
  /** Checks the fields. */
  public SessionAndLast {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(last, "last");
  }
}
