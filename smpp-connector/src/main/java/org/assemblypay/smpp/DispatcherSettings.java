package org.assemblypay.smpp;

import java.util.Map;
import java.util.Objects;

/**
 * Limits and policies of the outbound dispatcher.
 *
 * @param claimBatchSize most messages claimed from the outbox at once
 * @param maxQueuedPerBind most messages waiting in one bind's queue (bounds what is claimed)
 * @param pollIntervalMillis how often the outbox is polled when no wake-up signal comes
 * @param maxAttempts submit attempts per message (temporary errors and timeout resends)
 * @param retryDelayMillis delay before resubmitting after a temporary error
 * @param noBindRetryDelayMillis delay before a message is due again when no connection is up
 * @param failoverAfterMillis how long queued messages wait for their bind to come back before they
 *     are routed elsewhere
 * @param timeoutPolicy what a response timeout does
 * @param throttlePauseMinMillis first pause of a bind after ESME_RTHROTTLED/ESME_RMSGQFUL
 * @param throttlePauseMaxMillis ceiling of that pause's exponential back-off
 * @param responseActions overrides of the default command_status → action table
 * @param maxParts most parts of one message (longer texts fail permanently)
 */
public record DispatcherSettings(
    int claimBatchSize,
    int maxQueuedPerBind,
    long pollIntervalMillis,
    int maxAttempts,
    long retryDelayMillis,
    long noBindRetryDelayMillis,
    long failoverAfterMillis,
    ResponseTimeoutPolicy timeoutPolicy,
    long throttlePauseMinMillis,
    long throttlePauseMaxMillis,
    Map<Integer, ResponseAction> responseActions,
    int maxParts) {

  /** Checks every bound. */
  public DispatcherSettings {
    Objects.requireNonNull(timeoutPolicy, "timeoutPolicy");
    responseActions = Map.copyOf(responseActions);
    if (claimBatchSize < 1
        || maxQueuedPerBind < 1
        || pollIntervalMillis < 1
        || maxAttempts < 1
        || retryDelayMillis < 0
        || noBindRetryDelayMillis < 0
        || failoverAfterMillis < 0
        || throttlePauseMinMillis < 1
        || throttlePauseMaxMillis < throttlePauseMinMillis
        || maxParts < 1
        || maxParts > 255) {
      throw new IllegalArgumentException("invalid dispatcher settings: " + this);
    }
  }

  /** Defaults: batches of 200, 1,000 queued per bind, poll every second, 3 attempts, resend. */
  public static DispatcherSettings defaults() {
    return new DispatcherSettings(
        200,
        1_000,
        1_000,
        3,
        5_000,
        10_000,
        5_000,
        ResponseTimeoutPolicy.RESEND,
        1_000,
        30_000,
        Map.of(),
        6);
  }

  /** A copy with another timeout policy. */
  public DispatcherSettings withTimeoutPolicy(ResponseTimeoutPolicy policy) {
    return new DispatcherSettings(
        claimBatchSize,
        maxQueuedPerBind,
        pollIntervalMillis,
        maxAttempts,
        retryDelayMillis,
        noBindRetryDelayMillis,
        failoverAfterMillis,
        policy,
        throttlePauseMinMillis,
        throttlePauseMaxMillis,
        responseActions,
        maxParts);
  }

  /** A copy with other timings, for tests and demos that cannot wait seconds. */
  public DispatcherSettings withTimings(
      long pollMillis,
      long retryMillis,
      long noBindRetryMillis,
      long failoverMillis,
      long throttleMinMillis,
      long throttleMaxMillis) {
    return new DispatcherSettings(
        claimBatchSize,
        maxQueuedPerBind,
        pollMillis,
        maxAttempts,
        retryMillis,
        noBindRetryMillis,
        failoverMillis,
        timeoutPolicy,
        throttleMinMillis,
        throttleMaxMillis,
        responseActions,
        maxParts);
  }
}
