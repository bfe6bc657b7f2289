package org.assemblypay.session;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous port for USSD session state: versioned sessions and last-session-per-phone records.
 *
 * <p>Every method returns at once; the stage completes on the adapter's I/O thread. A stage
 * completes exceptionally only when the store itself fails (connection lost, timeout); a lost race
 * is a normal {@link SaveResult.Conflict}.
 */
public interface SessionStore extends AutoCloseable {

  /** The session with this id, if it exists and has not expired. */
  CompletionStage<Optional<StoredSession>> load(String sessionId);

  /**
   * Saves a session if its current version equals {@code write.expectedVersion()} (0 = must not
   * exist), and restarts its TTL.
   */
  CompletionStage<SaveResult> save(SessionWrite write);

  /**
   * Saves like {@link #save} and, only if the save applied, records the session as the phone's last
   * ({@code write.payload()} at {@code savedAtEpochMillis}), as {@link #rememberLast} would. An
   * adapter that can do both in one round trip overrides this; the default makes the two calls.
   */
  default CompletionStage<SaveResult> saveAndRemember(SessionWrite write, long savedAtEpochMillis) {
    return save(write)
        .thenCompose(
            result ->
                result instanceof SaveResult.Saved
                    ? rememberLast(
                            new LastSession(
                                write.msisdn(),
                                write.sessionId(),
                                write.payload(),
                                savedAtEpochMillis))
                        .thenApply(ignored -> result)
                    : java.util.concurrent.CompletableFuture.completedFuture(result));
  }

  /**
   * The session and the phone's last-session record, as {@link #load} and {@link #lastSession}
   * would answer them (the hop that may start a session needs both). An adapter that can read both
   * in one round trip overrides this; the default makes the two calls at once (D221).
   */
  default CompletionStage<SessionAndLast> loadWithLast(String sessionId, String msisdn) {
    return load(sessionId)
        .toCompletableFuture()
        .thenCombine(lastSession(msisdn), SessionAndLast::new);
  }

  /**
   * Saves like {@link #save} and, only if the save applied, forgets the phone's last-session record
   * if it still names {@code write.sessionId()}, as {@link #forgetLast} would (the session has
   * ended). An adapter that can do both in one round trip overrides this; the default makes the two
   * calls (D221), and a failed forget does not fail the save: it only leaves a resume offer behind.
   */
  default CompletionStage<SaveResult> saveAndForget(SessionWrite write) {
    return save(write)
        .thenCompose(
            result ->
                result instanceof SaveResult.Saved
                    ? forgetLast(write.msisdn(), write.sessionId())
                        .handle((ignored, failure) -> result)
                    : java.util.concurrent.CompletableFuture.completedFuture(result));
  }

  /** Removes a session; completes normally whether or not it existed. */
  CompletionStage<Void> delete(String sessionId);

  /** Records (replaces) the last session of a phone number, kept for the resume window. */
  CompletionStage<Void> rememberLast(LastSession last);

  /** The last session recorded for this phone number within the resume window. */
  CompletionStage<Optional<LastSession>> lastSession(String msisdn);

  /**
   * Forgets the last-session record of a phone number, but only if it still refers to {@code
   * sessionId} (a newer session's record is left alone).
   */
  CompletionStage<Void> forgetLast(String msisdn, String sessionId);

  /** Completes normally when the store answers; for readiness checks. */
  CompletionStage<Void> ping();

  /** The limits this store applies. */
  SessionStoreSettings settings();

  /** Releases connections and timers. */
  @Override
  void close();
}
