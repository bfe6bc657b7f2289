package org.assemblypay.ussd;

/**
 * The engine's limits.
 *
 * @param hopDeadlineMillis time from a hop's arrival to its reply; an action that overruns ends the
 *     session politely (default 2000)
 * @param maxReprompts invalid inputs re-prompted in a row before the session ends (default 3)
 * @param defaultLanguage language when the session has no {@code lang} variable (default en)
 * @param duplicateWindowMillis for aggregators without a sequence number, how long a repeat of the
 *     same input counts as a retry rather than a new answer (default 3000)
 * @param maxInFlightHops hops processed at once on this node; more are refused politely (default
 *     10000)
 * @param maxJumpsPerHop screens entered in one hop through actions and direct dial (default 8)
 * @param maxBackDepth screens remembered for {@code 0} (default 20)
 */
public record EngineConfig(
    long hopDeadlineMillis,
    int maxReprompts,
    String defaultLanguage,
    long duplicateWindowMillis,
    int maxInFlightHops,
    int maxJumpsPerHop,
    int maxBackDepth) {

  /** The defaults above. */
  public static final EngineConfig DEFAULTS = new EngineConfig(2000, 3, "en", 3000, 10_000, 8, 20);

  /** Checks the limits. */
  public EngineConfig {
    if (hopDeadlineMillis < 1
        || maxReprompts < 0
        || duplicateWindowMillis < 0
        || maxInFlightHops < 1
        || maxJumpsPerHop < 1
        || maxBackDepth < 1
        || defaultLanguage == null
        || defaultLanguage.isBlank()) {
      throw new IllegalArgumentException("invalid engine config: " + this);
    }
  }

  /** A copy with another hop deadline. */
  public EngineConfig withHopDeadlineMillis(long millis) {
    return new EngineConfig(
        millis,
        maxReprompts,
        defaultLanguage,
        duplicateWindowMillis,
        maxInFlightHops,
        maxJumpsPerHop,
        maxBackDepth);
  }
}
