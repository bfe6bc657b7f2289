package org.assemblypay.ussd;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's meters: hops, hop latency, session lifecycle, screen views and drop-offs. */
final class EngineMetrics {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  EngineMetrics(MeterRegistry registry, AtomicInteger inFlight, int maxInFlight) {
    this.registry = registry;
    Gauge.builder("ussd.hops.in_flight", inFlight, AtomicInteger::get)
        .description("Hops being answered on this node")
        .strongReference(true)
        .register(registry);
    Gauge.builder("ussd.hops.in_flight.max", () -> maxInFlight)
        .description("Hops this node answers at once before refusing")
        .register(registry);
  }

  void hop(String dialect, String serviceCode, String outcome, long elapsedNanos) {
    counter("ussd.hops", "dialect", dialect, "service_code", serviceCode, "outcome", outcome)
        .increment();
    timers
        .computeIfAbsent(
            dialect,
            d ->
                Timer.builder("ussd.hop.latency")
                    .description("Time from a hop's arrival to its reply")
                    .tag("dialect", d)
                    .publishPercentileHistogram()
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry))
        .record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  void session(String event, String serviceCode) {
    counter("ussd.sessions." + event, "service_code", serviceCode).increment();
  }

  void view(String screen) {
    counter("ussd.screen.views", "screen", screen).increment();
  }

  void dropOff(String screen) {
    counter("ussd.screen.dropoffs", "screen", screen).increment();
  }

  private Counter counter(String name, String... tags) {
    String key = name + '|' + String.join("|", tags);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
  }
}
