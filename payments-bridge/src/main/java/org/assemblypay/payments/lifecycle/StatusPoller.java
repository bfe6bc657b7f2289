package org.assemblypay.payments.lifecycle;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.Payment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles payments whose callback never came. Each round claims due payments per served assembly
 * ({@code claimDuePayments}: FOR UPDATE SKIP LOCKED and a lease, so several nodes share the work
 * without a coordinator), at most as many as there are free check permits, and checks each one.
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
   * round is done, with the number claimed. Rounds do not overlap their claiming.
   */
  CompletableFuture<Integer> pollOnce() {
    if (!claiming.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(0);
    }
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    int claimed = 0;
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
        for (Payment payment : due) {
          if (!permits.tryAcquire()) {
            break; // the claim lease brings the rest back
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
    } finally {
      claiming.set(false);
    }
    metrics.backlog(claimed);
    int total = claimed;
    return CompletableFuture.allOf(
            checks.stream().map(c -> c.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
        .thenApply(ignored -> total);
  }

  private CompletableFuture<Void> recheck(AssemblyLedger assembly, Payment claimed) {
    return assembly
        .payment(claimed.reference())
        .map(fresh -> lifecycle.check(assembly, fresh))
        .orElseGet(() -> CompletableFuture.completedFuture(null));
  }
}
