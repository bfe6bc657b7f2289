package org.assemblypay.payments;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

/**
 * Bounds the calls one provider has in flight (setting {@code maxInFlight}, default 256): over the
 * bound a call is answered at once as {@link ProviderError#RATE_LIMITED} without reaching the
 * provider, so a draining backlog cannot open unbounded connections.
 */
final class InFlightLimited implements MobileMoneyProvider {

  /** Gauge: calls in flight, tagged provider. */
  static final String IN_FLIGHT = "payments.provider.in_flight";

  private final MobileMoneyProvider delegate;
  private final Semaphore permits;
  private final ProviderMetrics metrics;

  InFlightLimited(MobileMoneyProvider delegate, int maxInFlight, MeterRegistry meters) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.delegate = delegate;
    this.permits = new Semaphore(maxInFlight);
    this.metrics = new ProviderMetrics(meters, delegate.name());
    Gauge.builder(IN_FLIGHT, permits, p -> maxInFlight - p.availablePermits())
        .tag("provider", delegate.name())
        .register(meters);
    Gauge.builder(IN_FLIGHT + ".limit", () -> maxInFlight)
        .tag("provider", delegate.name())
        .register(meters);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public CompletionStage<RequestOutcome> requestToPay(CollectionRequest request) {
    if (!permits.tryAcquire()) {
      metrics.call("request", "local_limit", 0);
      return CompletableFuture.completedFuture(
          new RequestOutcome.NotSent(ProviderError.RATE_LIMITED, "local in-flight limit"));
    }
    return release(delegate.requestToPay(request));
  }

  @Override
  public CompletionStage<ProviderStatus> status(UUID reference) {
    if (!permits.tryAcquire()) {
      metrics.call("status", "local_limit", 0);
      return CompletableFuture.completedFuture(
          new ProviderStatus.Unknown(ProviderError.RATE_LIMITED, "local in-flight limit"));
    }
    return release(delegate.status(reference));
  }

  private <T> CompletionStage<T> release(CompletionStage<T> call) {
    CompletableFuture<T> released = new CompletableFuture<>();
    call.whenComplete(
        (value, failure) -> {
          permits.release();
          if (failure != null) {
            released.completeExceptionally(failure);
          } else {
            released.complete(value);
          }
        });
    return released;
  }

  @Override
  public CallbackParse parseCallback(Map<String, List<String>> headers, byte[] body) {
    return delegate.parseCallback(headers, body);
  }

  @Override
  public long statusQuietMillis() {
    return delegate.statusQuietMillis();
  }

  @Override
  public String toString() {
    return "InFlightLimited[" + delegate.name() + "]";
  }
}
