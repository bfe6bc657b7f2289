package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.UnhandledInbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sweep that settles SMS whose fate was left open, on every node (each claim is {@code
 * FOR UPDATE SKIP LOCKED}): UNKNOWN outbox rows past their quiet period are re-queued with the same
 * content (D111), and stored inbound messages whose handling never finished are handled again,
 * exactly once (D113).
 */
final class SmsRecovery implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmsRecovery.class);

  /** Rows or messages taken per assembly per sweep at most. */
  static final int PER_SWEEP_MAX = 100;

  private final Ledger ledger;
  private final ServedAssemblies assemblies;
  private final SmsConfig.Recovery settings;
  private final InboundCommandHandler handler;
  private final Runnable outboxChanged;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Counter resent;
  private final Counter recovered;
  private final Counter alreadyHandled;
  private final Counter recoveryFailures;

  SmsRecovery(
      Ledger ledger,
      ServedAssemblies assemblies,
      SmsConfig.Recovery settings,
      InboundCommandHandler handler,
      Runnable outboxChanged,
      Clock clock,
      MeterRegistry registry) {
    this.ledger = ledger;
    this.assemblies = assemblies;
    this.settings = settings;
    this.handler = handler;
    this.outboxChanged = outboxChanged;
    this.clock = clock;
    this.resent = registry.counter("sms.outbox.unknown_resent");
    this.recovered = registry.counter("sms.inbound.recovered", "result", "handled");
    this.alreadyHandled = registry.counter("sms.inbound.recovered", "result", "already_handled");
    this.recoveryFailures = registry.counter("sms.inbound.recovered", "result", "failed");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sms-recovery");
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    timer.scheduleWithFixedDelay(
        this::sweepQuietly,
        settings.sweepIntervalMillis(),
        settings.sweepIntervalMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("SMS recovery sweep failed: {}", e.toString());
    }
  }

  /** One pass over every served, active assembly; a failing assembly does not stop the others. */
  void sweep() {
    for (String code : assemblies.activeCodes()) {
      try {
        sweep(code);
      } catch (RuntimeException e) {
        log.warn("SMS recovery of assembly {} failed: {}", code, e.toString());
      }
    }
  }

  private void sweep(String code) {
    AssemblyLedger l = ledger.assembly(code);
    Instant now = clock.instant();
    if (settings.unknownMaxResends() > 0) {
      List<Long> ids =
          l.resendUnknownSms(
              settings.unknownQuietSeconds(), settings.unknownMaxResends(), PER_SWEEP_MAX, now);
      if (!ids.isEmpty()) {
        resent.increment(ids.size());
        log.warn(
            "assembly {}: {} SMS re-sent after {} s with an unknown outcome",
            code,
            ids.size(),
            settings.unknownQuietSeconds());
        outboxChanged.run();
      }
    }
    List<UnhandledInbound> open =
        l.claimUnhandledInbound(
            PER_SWEEP_MAX, settings.inboundLeaseSeconds(), settings.inboundMaxHandlings(), now);
    for (UnhandledInbound m : open) {
      handleAgain(code, l, m);
    }
  }

  /**
   * Handles a recovered message unless its first handling left a trace (cash posted, a reply
   * queued): that handling got through its transaction and only the "handled" mark was lost.
   */
  private void handleAgain(String code, AssemblyLedger l, UnhandledInbound m) {
    try {
      if (l.inboundLeftTrace(m.inboundKey())) {
        l.markInboundHandled(m.inboundKey());
        alreadyHandled.increment();
      } else {
        log.warn(
            "assembly {}: inbound SMS {} was stored but not handled; handling it now (attempt {})",
            code,
            m.inboundKey(),
            m.handlingAttempts());
        handler.handle(code, m.inboundKey(), m.senderMsisdn(), m.text());
        l.markInboundHandled(m.inboundKey());
        recovered.increment();
        outboxChanged.run();
      }
    } catch (RuntimeException e) {
      recoveryFailures.increment();
      log.warn("assembly {}: handling inbound SMS {} again failed: {}", code, m.inboundKey(), e);
      // Left leased: offered again when the lease runs out, up to the handling limit.
    }
  }

  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      timer.shutdownNow();
    }
  }
}
