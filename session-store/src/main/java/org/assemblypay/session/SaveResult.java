package org.assemblypay.session;

/** The outcome of a compare-and-set save. */
public sealed interface SaveResult {

  /** The write was applied; the session now has {@code version}. */
  record Saved(long version) implements SaveResult {}

  /**
   * Another writer got there first: the stored version is {@code currentVersion} (0 = the session
   * does not exist). Nothing was written.
   */
  record Conflict(long currentVersion) implements SaveResult {}

  /** The store is at its configured capacity; nothing was written. */
  record CapacityExceeded(int maxSessions) implements SaveResult {}
}
