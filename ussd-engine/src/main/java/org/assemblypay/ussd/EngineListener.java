package org.assemblypay.ussd;

/**
 * Hooks for events the caller may act on; called on an engine or executor thread, never awaited.
 */
public interface EngineListener {

  /** An action missed the hop deadline (e.g. send a follow-up SMS). */
  default void onDeadlineMissed(DeadlineMissed event) {}

  /**
   * A hop was answered and its session saved (not a replay): for counting sessions and drop-off per
   * screen. Called on the hop's completion thread; must be quick and must not block.
   */
  default void onHop(ScreenHop hop) {}

  /** Does nothing. */
  EngineListener NONE = new EngineListener() {};
}
