package org.assemblypay.payments.lifecycle;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Callbacks naming a reference no served assembly shows yet (the intent's transaction has not
 * committed, or is not visible on this node yet). Each is retried with doubling pauses for a
 * bounded window; after that the poller, which claims the payment once it is visible, settles it.
 */
final class EarlyHints {

  /** A held callback: which provider sent it and when it was first seen. */
  record Held(String provider, long firstSeenNanos, long nextPauseMillis) {}

  private final int maxHeld;
  private final Map<UUID, Held> held = new ConcurrentHashMap<>();

  EarlyHints(int maxHeld) {
    this.maxHeld = maxHeld;
  }

  /** Holds a hint; false when the bound is reached or it is already held. */
  boolean hold(UUID reference, String provider, long firstPauseMillis) {
    if (held.size() >= maxHeld) {
      return false;
    }
    return held.putIfAbsent(reference, new Held(provider, System.nanoTime(), firstPauseMillis))
        == null;
  }

  Held get(UUID reference) {
    return held.get(reference);
  }

  void replace(UUID reference, Held next) {
    held.replace(reference, next);
  }

  void release(UUID reference) {
    held.remove(reference);
  }

  int size() {
    return held.size();
  }
}
