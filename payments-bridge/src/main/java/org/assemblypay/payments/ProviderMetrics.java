package org.assemblypay.payments;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.Correlation;

/**
 * Metrics every adapter records: calls by provider, operation and outcome; their latency; token
 * refreshes. Meter names are stable; tags have a small fixed set of values.
 */
public final class ProviderMetrics {

  /** Counter: provider calls, tagged provider, operation (request, status, token), outcome. */
  public static final String CALLS = "payments.provider.calls";

  /** Timer: latency of provider calls, tagged provider and operation. */
  public static final String LATENCY = "payments.provider.latency";

  /** Counter: bearer-token fetches, tagged provider and result (ok, login_failed, error). */
  public static final String TOKEN_REFRESHES = "payments.provider.token.refreshes";

  /** Counter: callbacks parsed, tagged provider and result (hint, too_large, malformed, ...). */
  public static final String CALLBACKS = "payments.provider.callbacks";

  private final MeterRegistry registry;
  private final String provider;

  /** Metrics for one provider, recorded in {@code registry}. */
  public ProviderMetrics(MeterRegistry registry, String provider) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  /** Records one finished call and its latency. */
  public void call(String operation, String outcome, long elapsedNanos) {
    Counter.builder(CALLS)
        .tag("provider", provider)
        .tag("operation", operation)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder(LATENCY)
        .tag("provider", provider)
        .tag("operation", operation)
        .register(registry)
        .record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Records a finished status query and logs its answer (PENDING at debug, the rest at info), for
   * every adapter alike, under the correlation id of the caller that asked (the answer arrives on
   * an HTTP client thread); returns the status so it can sit in a {@code thenApply}.
   */
  public ProviderStatus statusAnswered(
      ProviderStatus status,
      java.util.UUID reference,
      long startNanos,
      String correlationId,
      org.slf4j.Logger log,
      String message) {
    call("status", label(status), System.nanoTime() - startNanos);
    Correlation.run(
        correlationId,
        () ->
            (status instanceof ProviderStatus.Pending ? log.atDebug() : log.atInfo())
                .addKeyValue("provider", provider)
                .addKeyValue("reference", reference)
                .addKeyValue("status", status)
                .log(message));
    return status;
  }

  /** Records one bearer-token fetch. */
  public void tokenRefresh(String result) {
    Counter.builder(TOKEN_REFRESHES)
        .tag("provider", provider)
        .tag("result", result)
        .register(registry)
        .increment();
  }

  /** Records one parsed callback. */
  public void callback(CallbackParse parse) {
    String result =
        parse instanceof CallbackParse.Refused refused
            ? refused.refusal().name().toLowerCase(java.util.Locale.ROOT)
            : "hint";
    Counter.builder(CALLBACKS)
        .tag("provider", provider)
        .tag("result", result)
        .register(registry)
        .increment();
  }

  /** A label for a request outcome, for the {@code outcome} tag. */
  public static String label(RequestOutcome outcome) {
    if (outcome instanceof RequestOutcome.Accepted) {
      return "accepted";
    } else if (outcome instanceof RequestOutcome.AlreadyExists) {
      return "already_exists";
    } else if (outcome instanceof RequestOutcome.Rejected) {
      return "rejected";
    } else if (outcome instanceof RequestOutcome.NotSent notSent) {
      return "not_sent_" + notSent.error().name().toLowerCase(java.util.Locale.ROOT);
    } else {
      return "unknown_"
          + ((RequestOutcome.OutcomeUnknown) outcome)
              .error()
              .name()
              .toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A label for a status answer, for the {@code outcome} tag. */
  public static String label(ProviderStatus status) {
    if (status instanceof ProviderStatus.Successful) {
      return "successful";
    } else if (status instanceof ProviderStatus.Failed) {
      return "failed";
    } else if (status instanceof ProviderStatus.Pending) {
      return "pending";
    } else if (status instanceof ProviderStatus.NotFound) {
      return "not_found";
    } else {
      return "unknown_"
          + ((ProviderStatus.Unknown) status).error().name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
