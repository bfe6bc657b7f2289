package org.assemblypay.ussd;

/**
 * Hooks for events the caller may act on; called on an engine or executor thread, never awaited.
 */
public interface EngineListener {

  /** An action missed the hop deadline (e.g. send a follow-up SMS). */
  default void onDeadlineMissed(DeadlineMissed event) {}

  /** Does nothing. */
  EngineListener NONE = new EngineListener() {};
}
