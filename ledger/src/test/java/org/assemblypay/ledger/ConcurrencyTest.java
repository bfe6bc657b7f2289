package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.RECEIPTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many posters at once on the same trader, collector and receipt sequence. */
class ConcurrencyTest extends OneAssemblyTest {
  static final int THREADS = 8;

  private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(tasks, 120, TimeUnit.SECONDS)) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eightThreadsPayingTheSameTraderAndCollectorLoseNothing() throws Exception {
    Trader t = Fixture.trader(a, "MKT");
    Collector c = Fixture.collector(a, "MKT");
    for (int d = 0; d < 10; d++) {
      a.accrueCharges(LocalDate.of(2026, 2, 2).plusDays(d));
    }
    int perThread = 12;
    List<Callable<Long>> tasks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      final int thread = i;
      tasks.add(
          () -> {
            long total = 0;
            for (int j = 0; j < perThread; j++) {
              if ((thread + j) % 2 == 0) {
                Payment p = Fixture.intent(a, t.id(), 110);
                a.settleSuccessful(p.reference(), 110, "M" + thread + "-" + j, Fixture.NOTIFIER);
                // The provider's callback and the poller both report the same success.
                a.settleSuccessful(p.reference(), 110, "M" + thread + "-" + j, Fixture.NOTIFIER);
              } else {
                CashPayment cash = new CashPayment("c-" + thread + "-" + j, c.id(), t.id(), 90);
                a.postCashPayment(cash, Fixture.NOTIFIER);
                a.postCashPayment(cash, Fixture.NOTIFIER);
              }
              total += (thread + j) % 2 == 0 ? 110 : 90;
            }
            return total;
          });
    }
    long paid = runAll(tasks).stream().mapToLong(Long::longValue).sum();
    long charged = 10 * Fixture.TOLL_PESEWAS;
    Arrears arrears = a.arrears(t.id());
    assertThat(arrears.totalPesewas()).isEqualTo(Math.max(0, charged - paid));
    assertThat(arrears.creditPesewas()).isEqualTo(Math.max(0, paid - charged));
    assertThat(a.recentReceipts(t.id(), 50)).hasSize(50);
    long cashTaken = a.collectorDay(c.id(), LocalDate.now(a.assembly().timeZone())).totalPesewas();
    assertThat(cashTaken).isEqualTo(THREADS * perThread / 2 * 90L);
    Fixture.assertInvariants(a);
  }

  @Test
  void receiptNumbersStayGaplessUnderConcurrencyAndFailures() throws Exception {
    List<Trader> traders = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      traders.add(Fixture.trader(a, "MKT"));
    }
    Collector c = Fixture.collector(a, "MKT");
    // A notifier that fails now and then rolls its whole transaction back, receipt number included.
    Notifier flaky =
        facts -> {
          if (facts.amountPesewas() % 7 == 0) {
            throw new IllegalStateException("template broke");
          }
          return Fixture.NOTIFIER.messagesFor(facts);
        };
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      final Trader t = traders.get(i);
      tasks.add(
          () -> {
            int ok = 0;
            for (int j = 1; j <= 15; j++) {
              try {
                a.postCashPayment(
                    new CashPayment(UUID.randomUUID().toString(), c.id(), t.id(), 100 + j), flaky);
                ok++;
              } catch (IllegalStateException expected) {
                // rolled back
              }
            }
            return ok;
          });
    }
    runAll(tasks);
    Set<Long> seqs = new HashSet<>(a.dsl().select(RECEIPTS.SEQ).from(RECEIPTS).fetch(RECEIPTS.SEQ));
    long max = seqs.stream().mapToLong(Long::longValue).max().orElse(0);
    assertThat(seqs).hasSize((int) max);
    Fixture.assertInvariants(a);
  }

  @Test
  void pollersOnSeveralNodesNeverClaimTheSamePayment() throws Exception {
    Trader t = Fixture.trader(a, "MKT");
    Set<UUID> created = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      created.add(Fixture.intent(a, t.id(), 100).reference());
    }
    Instant later = Instant.now().plusSeconds(3600);
    List<Callable<List<UUID>>> tasks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      tasks.add(() -> a.claimDuePayments(7, later).stream().map(Payment::reference).toList());
    }
    List<UUID> claimed = runAll(tasks).stream().flatMap(List::stream).toList();
    assertThat(claimed).doesNotHaveDuplicates();
    assertThat(created).containsAll(claimed.stream().filter(created::contains).toList());
  }
}
