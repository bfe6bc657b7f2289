package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An EXPIRED payment stays due for a slow re-check (every 30 minutes, until 48 hours after it was
 * created), so that a late success whose callback was lost still posts; then it is left alone.
 */
class ExpiredRecheckTest extends FixtureTest {

  private static final Duration PAUSE =
      Duration.ofSeconds(LedgerSettings.DEFAULT_EXPIRED_RECHECK_SECONDS);
  private static final Duration WINDOW =
      Duration.ofSeconds(LedgerSettings.DEFAULT_EXPIRED_RECHECK_WINDOW_SECONDS);

  private static Payment expired(AssemblyLedger a) {
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 500);
    a.markPending(p.reference());
    return a.markExpired(p.reference());
  }

  private static List<UUID> recheck(AssemblyLedger a, Instant now) {
    return a.claimExpiredForRecheck(100, now).stream().map(Payment::reference).toList();
  }

  @Test
  void anExpiredPaymentIsReCheckedEveryPauseAndNeverByTheLiveClaim() {
    AssemblyLedger a = fx.newAssembly();
    Payment p = expired(a);
    assertThat(p.status()).isEqualTo(PaymentStatus.EXPIRED);
    Instant first = p.nextPollAt().orElseThrow();
    assertThat(first).isAfter(p.createdAt().plus(PAUSE.minusMinutes(1)));

    assertThat(recheck(a, first.minusSeconds(1))).isEmpty();
    assertThat(a.claimDuePayments(100, first.plus(Duration.ofDays(1)))).isEmpty();

    List<Payment> claimed = a.claimExpiredForRecheck(100, first);
    assertThat(claimed).extracting(Payment::reference).containsExactly(p.reference());
    assertThat(claimed.get(0).status()).isEqualTo(PaymentStatus.EXPIRED);
    assertThat(claimed.get(0).nextPollAt()).contains(first.plus(PAUSE));
    // Claimed means leased until the next re-check: not handed out again before it.
    assertThat(recheck(a, first.plus(PAUSE).minusSeconds(1))).isEmpty();
    assertThat(recheck(a, first.plus(PAUSE))).containsExactly(p.reference());
  }

  @Test
  void afterTheWindowAnExpiredPaymentIsNoLongerClaimed() {
    AssemblyLedger a = fx.newAssembly();
    Payment p = expired(a);
    Instant closed = p.createdAt().plus(WINDOW).plusSeconds(1);

    assertThat(recheck(a, closed)).isEmpty();
    Payment after = a.payment(p.reference()).orElseThrow();
    assertThat(after.status()).isEqualTo(PaymentStatus.EXPIRED);
    assertThat(after.nextPollAt()).isEmpty();
    assertThat(recheck(a, closed.plus(Duration.ofDays(30)))).isEmpty();

    // The last re-check inside the window schedules none beyond it.
    Payment q = expired(a);
    Instant lastInside = q.createdAt().plus(WINDOW).minus(PAUSE).plusSeconds(1);
    assertThat(recheck(a, lastInside)).containsExactly(q.reference());
    assertThat(a.payment(q.reference()).orElseThrow().nextPollAt()).isEmpty();
    assertThat(recheck(a, lastInside.plus(Duration.ofDays(3)))).isEmpty();
  }

  @Test
  void aLateSuccessSettlesOnceAndEndsTheReChecks() {
    AssemblyLedger a = fx.newAssembly();
    Payment p = expired(a);
    Instant due = p.nextPollAt().orElseThrow();
    assertThat(recheck(a, due)).containsExactly(p.reference());

    Settlement late = a.settleSuccessful(p.reference(), 500, "LATE-1", Fixture.NOTIFIER);
    Settlement replay = a.settleSuccessful(p.reference(), 500, "LATE-1", Fixture.NOTIFIER);
    assertThat(replay.transferId()).isEqualTo(late.transferId());
    assertThat(a.payment(p.reference()).orElseThrow().status()).isEqualTo(PaymentStatus.SUCCESSFUL);
    assertThat(recheck(a, due.plus(Duration.ofHours(1)))).isEmpty();
    Fixture.assertInvariants(a);
  }

  @Test
  void aProviderFailureLeavesItExpiredWithoutFurtherReChecks() {
    AssemblyLedger a = fx.newAssembly();
    Payment p = expired(a);
    Payment after = a.markFailed(p.reference(), "APPROVAL_REJECTED", Fixture.NOTIFIER);
    assertThat(after.status()).isEqualTo(PaymentStatus.EXPIRED);
    assertThat(after.nextPollAt()).isEmpty();
    assertThat(recheck(a, p.createdAt().plus(Duration.ofHours(1)))).isEmpty();
  }

  @Test
  void aZeroWindowMeansNoReCheck() {
    AssemblyLedger a = fx.newAssembly();
    try (Ledger noRecheck =
        Ledger.open(
            LedgerSettings.of(fx.db.jdbcUrl(), fx.db.user(), fx.db.password())
                .withMaxPoolSizePerDatabase(2)
                .withExpiredRecheck(1800, 0))) {
      Payment p = expired(noRecheck.assembly(a.assembly().code()));
      assertThat(p.nextPollAt()).isEmpty();
      assertThat(recheck(a, p.createdAt().plus(Duration.ofHours(1)))).isEmpty();
    }
  }

  @Test
  void severalNodesNeverClaimTheSameExpiredPayment() throws Exception {
    AssemblyLedger a = fx.newAssembly();
    List<UUID> created = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      created.add(expired(a).reference());
    }
    Instant later = Instant.now().plus(Duration.ofHours(1));
    List<Callable<List<UUID>>> tasks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tasks.add(() -> a.claimExpiredForRecheck(7, later).stream().map(Payment::reference).toList());
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<UUID> claimed = new ArrayList<>();
    try {
      for (Future<List<UUID>> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
        claimed.addAll(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(claimed).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(30);
    assertThat(created).containsAll(claimed);
  }
}
