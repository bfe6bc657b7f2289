package org.assemblypay.payments.lifecycle;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.Payment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles payments whose callback never came. Each round claims due payments per served assembly
 * ({@code claimDuePayments}: FOR UPDATE SKIP LOCKED and a lease, so several nodes share the work
 * without a coordinator), at most as many as there are free check permits, and checks each one;
 * then, at a slower pace, EXPIRED payments whose re-check is due ({@code claimExpiredForRecheck}).
 */
final class StatusPoller {

  private static final Logger LOG = LoggerFactory.getLogger(StatusPoller.class);

  private final Ledger ledger;
  private final PaymentSettings settings;
  private final PaymentLocator locator;
  private final Coalescer coalescer;
  private final Lifecycle lifecycle;
  private final PaymentMetrics metrics;
  private final InstantSource clock;
  private final Semaphore permits;
  private final AtomicBoolean claiming = new AtomicBoolean();
  private final AtomicReference<Instant> nextExpiredSweep = new AtomicReference<>(Instant.MIN);

  StatusPoller(
      Ledger ledger,
      PaymentSettings settings,
      PaymentLocator locator,
      Coalescer coalescer,
      Lifecycle lifecycle,
      PaymentMetrics metrics,
      InstantSource clock) {
    this.ledger = ledger;
    this.settings = settings;
    this.locator = locator;
    this.coalescer = coalescer;
    this.lifecycle = lifecycle;
    this.metrics = metrics;
    this.clock = clock;
    this.permits = new Semaphore(settings.maxConcurrentChecks());
    metrics.gauge(
        PaymentMetrics.CHECKS_IN_FLIGHT,
        () -> settings.maxConcurrentChecks() - permits.availablePermits());
  }

  /**
   * One round: claims what is due and checks it. The future completes when every check of this
   * round is done, with the number claimed (live payments and expired re-checks). Rounds do not
   * overlap their claiming.
   */
  CompletableFuture<Integer> pollOnce() {
    if (!claiming.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(0);
    }
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    int claimed = 0;
    int rechecked = 0;
    try {
      List<String> codes;
      try {
        codes = locator.servedCodes();
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).log("cannot read the assembly registry; poll round skipped");
        return CompletableFuture.completedFuture(0);
      }
      for (String code : codes) {
        int free = Math.min(settings.pollBatchSize(), permits.availablePermits());
        if (free <= 0) {
          break;
        }
        List<Payment> due;
        AssemblyLedger assembly;
        try {
          assembly = ledger.assembly(code);
          due = assembly.claimDuePayments(free, clock.instant());
        } catch (RuntimeException e) {
          LOG.atWarn()
              .addKeyValue("assembly", code)
              .setCause(e)
              .log("claiming due payments failed");
          continue;
        }
        claimed += due.size();
        checkAll(code, assembly, due, checks);
      }
      rechecked = sweepExpired(codes, checks);
    } finally {
      claiming.set(false);
    }
    metrics.backlog(claimed); // live payments only; expired re-checks are not backlog
    int total = claimed + rechecked;
    return CompletableFuture.allOf(
            checks.stream().map(c -> c.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
        .thenApply(ignored -> total);
  }

  /**
   * At most once per {@code expiredRecheckSweepMillis}: claims EXPIRED payments whose slow re-check
   * is due (the ledger schedules the next one as it claims) and asks the provider once more, so a
   * late success whose callback was lost still settles. Live payments are served first.
   */
  private int sweepExpired(List<String> codes, List<CompletableFuture<Void>> checks) {
    Instant now = clock.instant();
    Instant due = nextExpiredSweep.get();
    if (now.isBefore(due)
        || !nextExpiredSweep.compareAndSet(
            due, now.plusMillis(settings.expiredRecheckSweepMillis()))) {
      return 0;
    }
    int claimed = 0;
    for (String code : codes) {
      int free = Math.min(settings.expiredRecheckBatchSize(), permits.availablePermits());
      if (free <= 0) {
        // Nothing claimed, nothing lost: the rest is swept on a later round.
        nextExpiredSweep.set(now);
        break;
      }
      List<Payment> expired;
      AssemblyLedger assembly;
      try {
        assembly = ledger.assembly(code);
        expired = assembly.claimExpiredForRecheck(free, now);
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("assembly", code)
            .setCause(e)
            .log("claiming expired payments for a re-check failed");
        continue;
      }
      if (!expired.isEmpty()) {
        LOG.atInfo()
            .addKeyValue("assembly", code)
            .addKeyValue("count", expired.size())
            .log("re-checking expired payments for a late success");
      }
      claimed += expired.size();
      checkAll(code, assembly, expired, checks);
    }
    return claimed;
  }

  private void checkAll(
      String code,
      AssemblyLedger assembly,
      List<Payment> due,
      List<CompletableFuture<Void>> checks) {
    locator.indexClaimed(code, due);
    for (Payment payment : due) {
      if (!permits.tryAcquire()) {
        break; // the claim lease (or the next re-check) brings the rest back
      }
      locator.remember(payment.reference(), code);
      CompletableFuture<Void> check;
      try {
        check =
            coalescer.run(
                payment.reference(),
                () -> lifecycle.check(assembly, payment),
                () -> recheck(assembly, payment));
      } catch (RuntimeException e) {
        check = CompletableFuture.failedFuture(e);
      }
      checks.add(
          check.whenComplete(
              (ignored, failure) -> {
                permits.release();
                if (failure != null) {
                  LOG.atWarn()
                      .addKeyValue("reference", payment.reference())
                      .setCause(failure)
                      .log("status check failed; the claim lease brings it back");
                }
              }));
    }
  }

  private CompletableFuture<Void> recheck(AssemblyLedger assembly, Payment claimed) {
    return assembly
        .payment(claimed.reference())
        .map(fresh -> lifecycle.check(assembly, fresh))
        .orElseGet(() -> CompletableFuture.completedFuture(null));
  }
}
