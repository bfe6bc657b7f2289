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
  private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();
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
    Counter hops = counters.get(new Key("ussd.hops", dialect, serviceCode, outcome));
    if (hops == null) {
      hops =
          counters.computeIfAbsent(
              new Key("ussd.hops", dialect, serviceCode, outcome),
              k ->
                  Counter.builder("ussd.hops")
                      .tags("dialect", dialect, "service_code", serviceCode, "outcome", outcome)
                      .register(registry));
    }
    hops.increment();
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
    counter("ussd.sessions", event, "service_code", serviceCode).increment();
  }

  void view(String screen) {
    counter("ussd.screen.views", null, "screen", screen).increment();
  }

  void dropOff(String screen) {
    counter("ussd.screen.dropoffs", null, "screen", screen).increment();
  }

  /** The counter {@code name[.suffix]} with one tag; looked up without building a string. */
  private Counter counter(String name, String suffix, String tag, String value) {
    Key key = new Key(name, suffix, tag, value);
    Counter counter = counters.get(key);
    if (counter != null) {
      return counter;
    }
    String full = suffix == null ? name : name + "." + suffix;
    return counters.computeIfAbsent(
        key, k -> Counter.builder(full).tags(tag, value).register(registry));
  }

  /** A counter's identity in the local cache: its name and up to three distinguishing values. */
  private record Key(String name, String a, String b, String c) {}
}
