package org.assemblypay.payments.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The lifecycle's meters; names are stable and tag values come from small fixed sets. */
final class PaymentMetrics {

  /** Counter: payments reaching a state, tagged provider and status. */
  static final String PAYMENTS = "payments.lifecycle.payments";

  /** Timer: from the trader's confirmation (intent stored) to the first settlement. */
  static final String CONFIRM_TO_SETTLE = "payments.lifecycle.confirm_to_settle";

  /** Counter: callbacks, tagged provider and result. */
  static final String CALLBACKS = "payments.lifecycle.callbacks";

  /** Gauge: payments found due for a status check in the last poll round (the backlog). */
  static final String BACKLOG = "payments.lifecycle.backlog";

  /** Gauge: status checks the poller has in flight (bound: maxConcurrentChecks). */
  static final String CHECKS_IN_FLIGHT = "payments.lifecycle.checks.in_flight";

  /** Gauge: tasks waiting for a worker (bound: workerQueueCapacity). */
  static final String WORKER_QUEUE = "payments.lifecycle.workers.queue";

  /** Gauge: callbacks held for references not yet visible (bound: maxEarlyHints). */
  static final String EARLY_HINTS = "payments.lifecycle.early_hints";

  /** Counter: reference lookups for callbacks, tagged result (cache, index, not_indexed, …). */
  static final String REFERENCE_LOOKUPS = "payments.lifecycle.reference_lookups";

  /** Counter: payment reads in one assembly to resolve a reference, tagged assembly. */
  static final String ASSEMBLY_LOOKUPS = "payments.lifecycle.assembly_lookups";

  private final MeterRegistry registry;
  private final AtomicLong backlog = new AtomicLong();

  PaymentMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(BACKLOG, backlog, AtomicLong::get)
        .description("payments due for a status check in the last poll round")
        .register(registry);
  }

  void gauge(String name, Supplier<Number> value) {
    Gauge.builder(name, value).register(registry);
  }

  void backlog(long due) {
    backlog.set(due);
  }

  void payment(String provider, String status) {
    Counter.builder(PAYMENTS)
        .tag("provider", provider)
        .tag("status", status)
        .register(registry)
        .increment();
  }

  void settled(String provider, Duration sinceConfirmation) {
    Timer.builder(CONFIRM_TO_SETTLE)
        .tag("provider", provider)
        .publishPercentileHistogram()
        .register(registry)
        .record(sinceConfirmation.isNegative() ? Duration.ZERO : sinceConfirmation);
  }

  void callback(String provider, String result) {
    Counter.builder(CALLBACKS)
        .tag("provider", provider)
        .tag("result", result)
        .register(registry)
        .increment();
  }

  void lookup(String result) {
    Counter.builder(REFERENCE_LOOKUPS).tag("result", result).register(registry).increment();
  }

  void assemblyLookup(String assemblyCode) {
    Counter.builder(ASSEMBLY_LOOKUPS).tag("assembly", assemblyCode).register(registry).increment();
  }
}
