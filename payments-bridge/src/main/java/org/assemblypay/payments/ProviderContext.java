package org.assemblypay.payments;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What adapters share, supplied by the composition root.
 *
 * @param http the HTTP client for provider calls (see {@link MobileMoneyProviders#httpClient})
 * @param meters where provider metrics go
 * @param clock decides token expiry and simulated delays
 * @param scheduler runs the simulator's delayed answers and callbacks
 * @param callbackSink receives the simulator's callbacks
 */
public record ProviderContext(
    HttpClient http,
    MeterRegistry meters,
    InstantSource clock,
    ScheduledExecutorService scheduler,
    CallbackSink callbackSink) {

  /** Checks for null. */
  public ProviderContext {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(meters, "meters");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(callbackSink, "callbackSink");
  }
}
