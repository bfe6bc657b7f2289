package org.assemblypay.smpp.jsmpp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** The connector's meters; names start with {@code smpp.} and carry a {@code connection} tag. */
final class ConnectorMetrics {

  private final MeterRegistry registry;
  final Counter reportsMatched;
  final Counter reportsParked;
  final Counter reportsUnparsable;
  final Counter inboundStored;
  final Counter inboundDuplicates;
  final Counter inboundRejected;
  final Counter inboundPartsBuffered;

  ConnectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.reportsMatched = registry.counter("smpp.reports", "result", "matched");
    this.reportsParked = registry.counter("smpp.reports", "result", "parked");
    this.reportsUnparsable = registry.counter("smpp.reports", "result", "unparsable");
    this.inboundStored = registry.counter("smpp.inbound", "result", "stored");
    this.inboundDuplicates = registry.counter("smpp.inbound", "result", "duplicate");
    this.inboundRejected = registry.counter("smpp.inbound", "result", "sink_failed");
    this.inboundPartsBuffered = registry.counter("smpp.inbound", "result", "part_buffered");
  }

  /** Meters of one bind. */
  BindMeters bind(String connection) {
    return new BindMeters(registry, connection);
  }

  void gauge(String name, Supplier<Number> value) {
    Gauge.builder(name, value).register(registry);
  }

  /** Counters of one bind; gauges are registered by the bind itself. */
  static final class BindMeters {
    private final MeterRegistry registry;
    private final String connection;
    final Counter submitted;
    final Counter throttled;
    final Counter temporaryErrors;
    final Counter permanentErrors;
    final Counter timeouts;
    final Counter notSent;
    final Counter reconnects;
    final Counter rateLimited;

    BindMeters(MeterRegistry registry, String connection) {
      this.registry = registry;
      this.connection = connection;
      this.submitted = counter("smpp.submitted");
      this.throttled = counter("smpp.throttled");
      this.temporaryErrors = counter("smpp.submit.temporary_errors");
      this.permanentErrors = counter("smpp.submit.permanent_errors");
      this.timeouts = counter("smpp.submit.timeouts");
      this.notSent = counter("smpp.submit.not_sent");
      this.reconnects = counter("smpp.reconnects");
      this.rateLimited = counter("smpp.rate_limit.waits");
    }

    private Counter counter(String name) {
      return registry.counter(name, "connection", connection);
    }

    void gauge(String name, Supplier<Number> value) {
      Gauge.builder(name, value).tag("connection", connection).register(registry);
    }
  }
}
