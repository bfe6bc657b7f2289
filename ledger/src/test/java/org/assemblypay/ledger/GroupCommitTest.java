package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.PAYMENTS;
import static org.assemblypay.ledger.jooq.Tables.RECEIPTS;
import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The group-commit settler: batches with bad items, gapless receipts, two nodes, replays. */
class GroupCommitTest extends FixtureTest {
  /** A second settler on the same assembly, as another gateway node would have. */
  private static Settler settler(AssemblyLedger a) {
    return new Settler(a.dsl(), new Journal(a.assembly(), a.dsl()));
  }

  private static Settler.Momo momo(AssemblyLedger a, UUID reference, long amount, Notifier n) {
    return new Settler.Momo(
        reference,
        amount,
        "TX-" + reference,
        new Journal(a.assembly(), a.dsl()).collectionShard(reference.hashCode()),
        n,
        Instant.now());
  }

  private static Settler.Cash cash(
      String key, long traderId, long collectorId, long amount, Notifier n) {
    String k = "cash:" + key;
    return new Settler.Cash(
        k,
        Journal.hash("CASH", collectorId, traderId, amount),
        traderId,
        collectorId,
        amount,
        n,
        Instant.now());
  }

  /**
   * Fails the receipt SMS of one trader (an empty text), so that trader's item breaks its batch.
   */
  private static Notifier failingFor(int badNumber) {
    return facts ->
        facts.customerNumber().equals("BAD" + badNumber)
            ? List.of(new OutboundSmsDraft(facts.traderPhone(), "", facts.traderLanguage(), null))
            : Fixture.NOTIFIER.messagesFor(facts);
  }

  private static Trader namedTrader(AssemblyLedger a, String customerNumber) {
    return a.registerTrader(
        new NewTrader(
            customerNumber, "Esi Owusu", Fixture.phone(), "MKT", null, null, Language.EN));
  }

  private static int transfersWithKey(AssemblyLedger a, String key) {
    return a.dsl().fetchCount(TRANSFERS, TRANSFERS.IDEMPOTENCY_KEY.eq(key));
  }

  @Test
  void aLoneCallerIsNeverHeldForAFullerBatch() {
    // Lingering (D183) only happens while another batch is in flight: one caller at a time, even
    // with the longest linger allowed, posts straight away.
    AssemblyLedger a = fx.newAssembly();
    Trader t = Fixture.trader(a, "MKT");
    Settler s = new Settler(a.dsl(), new Journal(a.assembly(), a.dsl()), Settler.MAX_LINGER_NANOS);
    for (int i = 0; i < 3; i++) {
      Payment p = Fixture.intent(a, t.id(), 100 + i);
      assertThat(s.submit(momo(a, p.reference(), 100 + i, Fixture.NOTIFIER)))
          .isInstanceOf(Settlement.class);
    }
    assertThat(s.lingers()).isZero();
    Fixture.assertInvariants(a);
  }

  @Test
  void aLingeredBatchGivesEachCallerItsOwnOutcome() throws Exception {
    // The first batch is held in flight (its notifier waits) until a second writer has chosen to
    // linger; the lingered batch then holds a bad item, which stays its own error, while every
    // other caller gets its own settlement and the books balance.
    AssemblyLedger a = fx.newAssembly();
    a.accrueCharges(LocalDate.of(2026, 3, 2));
    Trader held = namedTrader(a, "HELD1");
    Trader bad = namedTrader(a, "BAD2");
    AtomicReference<Settler> settler = new AtomicReference<>();
    CountDownLatch inFlight = new CountDownLatch(1);
    Notifier failing = failingFor(2);
    Notifier n =
        facts -> {
          if (facts.customerNumber().equals("HELD1")) {
            inFlight.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (settler.get().lingers() == 0 && System.nanoTime() < until) {
              Thread.onSpinWait();
            }
          }
          return failing.messagesFor(facts);
        };
    Settler s = new Settler(a.dsl(), new Journal(a.assembly(), a.dsl()), Settler.MAX_LINGER_NANOS);
    settler.set(s);
    Payment first = Fixture.intent(a, held.id(), 900);
    Payment pBad = Fixture.intent(a, bad.id(), 400);
    List<Payment> good = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      good.add(Fixture.intent(a, Fixture.trader(a, "MKT").id(), 200 + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<Object> heldOut = pool.submit(() -> s.submit(momo(a, first.reference(), 900, n)));
      assertThat(inFlight.await(20, TimeUnit.SECONDS)).isTrue();
      Future<List<Settler.Outcome>> batch =
          pool.submit(
              () ->
                  s.submitAll(
                      List.of(
                          momo(a, good.get(0).reference(), 200, n),
                          momo(a, pBad.reference(), 400, n),
                          momo(a, good.get(1).reference(), 201, n))));
      List<Future<Object>> singles = new ArrayList<>();
      for (int i = 2; i < 6; i++) {
        Payment p = good.get(i);
        long amount = 200 + i;
        singles.add(pool.submit(() -> s.submit(momo(a, p.reference(), amount, n))));
      }
      assertThat(heldOut.get(30, TimeUnit.SECONDS)).isInstanceOf(Settlement.class);
      List<Settler.Outcome> out = batch.get(30, TimeUnit.SECONDS);
      assertThat(out.get(0).result()).isInstanceOf(Settlement.class);
      assertThat(out.get(1).error())
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("SMS text");
      assertThat(out.get(2).result()).isInstanceOf(Settlement.class);
      for (Future<Object> f : singles) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOf(Settlement.class);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(s.lingers()).isPositive();
    for (Payment p : good) {
      assertThat(a.payment(p.reference()).orElseThrow().status())
          .isEqualTo(PaymentStatus.SUCCESSFUL);
    }
    assertThat(a.payment(pBad.reference()).orElseThrow().status())
        .isEqualTo(PaymentStatus.INITIATED);
    assertThat(transfersWithKey(a, "mtn:" + pBad.reference())).isZero();
    assertThat(a.dsl().fetchCount(RECEIPTS)).isEqualTo(7);
    Fixture.assertInvariants(a);
  }

  @Test
  void aBadItemFailsAloneWithItsTypedErrorAndWritesNothing() {
    AssemblyLedger a = fx.newAssembly();
    a.accrueCharges(LocalDate.of(2026, 3, 2));
    Trader t1 = Fixture.trader(a, "MKT");
    Trader t2 = Fixture.trader(a, "MKT");
    Trader bad = namedTrader(a, "BAD1");
    Collector c = Fixture.collector(a, "MKT");
    Collector elsewhere = Fixture.collector(a, "KAN");
    Payment p1 = Fixture.intent(a, t1.id(), 300);
    Payment p2 = Fixture.intent(a, t2.id(), 500);
    Payment pBad = Fixture.intent(a, bad.id(), 400);
    Payment failed = Fixture.intent(a, t2.id(), 200);
    a.markFailed(failed.reference(), "NOT_ENOUGH_FUNDS", Notifier.silent());
    Notifier n = failingFor(1);
    UUID unknown = UUID.randomUUID();

    List<Settler.Outcome> out =
        settler(a)
            .submitAll(
                List.of(
                    momo(a, p1.reference(), 300, n),
                    momo(a, unknown, 300, n),
                    cash("k-good", t2.id(), c.id(), 250, n),
                    momo(a, pBad.reference(), 400, n),
                    cash("k-unknown-trader", 999_999_999L, c.id(), 250, n),
                    cash("k-not-assigned", t1.id(), elsewhere.id(), 250, n),
                    momo(a, failed.reference(), 200, n),
                    momo(a, p2.reference(), 500, n)));

    assertThat(out.get(0).result()).isInstanceOf(Settlement.class);
    assertThat(out.get(1).error()).isInstanceOf(UnknownEntityException.class);
    assertThat(out.get(2).result()).isInstanceOf(CashPosting.class);
    assertThat(out.get(3).error())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("SMS text");
    assertThat(((UnknownEntityException) out.get(4).error()).entity()).isEqualTo("TRADER");
    assertThat(out.get(5).error())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not assigned");
    assertThat(out.get(6).error()).isInstanceOf(IllegalTransitionException.class);
    assertThat(out.get(7).result()).isInstanceOf(Settlement.class);

    // Good ones committed with receipt and SMS; bad ones left nothing behind.
    assertThat(a.payment(p1.reference()).orElseThrow().status())
        .isEqualTo(PaymentStatus.SUCCESSFUL);
    assertThat(a.payment(p2.reference()).orElseThrow().status())
        .isEqualTo(PaymentStatus.SUCCESSFUL);
    assertThat(a.payment(pBad.reference()).orElseThrow().status())
        .isEqualTo(PaymentStatus.INITIATED);
    assertThat(transfersWithKey(a, "mtn:" + pBad.reference())).isZero();
    assertThat(transfersWithKey(a, "cash:k-unknown-trader")).isZero();
    assertThat(transfersWithKey(a, "cash:k-not-assigned")).isZero();
    assertThat(transfersWithKey(a, "cash:k-good")).isOne();
    assertThat(a.dsl().fetchCount(RECEIPTS)).isEqualTo(3);
    assertThat(a.dsl().fetchCount(SMS_OUTBOX, SMS_OUTBOX.TRANSFER_ID.isNotNull())).isEqualTo(3);
    assertThat(a.payment(failed.reference()).orElseThrow().status())
        .isEqualTo(PaymentStatus.FAILED);
    Fixture.assertInvariants(a);

    // The bad item, fixed (a working notifier), posts on its own later.
    Settlement later = a.settleSuccessful(pBad.reference(), 400, "TX-late", Fixture.NOTIFIER);
    assertThat(later.receipt()).isPresent();
    Fixture.assertInvariants(a);
  }

  @Test
  void receiptNumbersStayGaplessAcrossBatchesWithFailures() {
    AssemblyLedger a = fx.newAssembly();
    a.accrueCharges(LocalDate.of(2026, 3, 2));
    Settler s = settler(a);
    Collector c = Fixture.collector(a, "MKT");
    int posted = 0;
    for (int batch = 0; batch < 5; batch++) {
      Trader bad = namedTrader(a, "BAD" + (100 + batch));
      Notifier n = failingFor(100 + batch);
      List<Settler.Item> items = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Trader t = Fixture.trader(a, "MKT");
        items.add(momo(a, Fixture.intent(a, t.id(), 200 + i).reference(), 200 + i, n));
        items.add(cash("g-" + batch + "-" + i, t.id(), c.id(), 150, n));
      }
      // A suspense settlement (amount differs) takes no receipt number.
      Trader t = Fixture.trader(a, "MKT");
      items.add(momo(a, Fixture.intent(a, t.id(), 500).reference(), 499, n));
      items.add(momo(a, Fixture.intent(a, bad.id(), 300).reference(), 300, n));
      items.add(momo(a, UUID.randomUUID(), 300, n));
      items.add(cash("unknown-" + batch, 999_999_999L, c.id(), 150, n));
      List<Settler.Outcome> out = s.submitAll(items);
      for (int i = 0; i < 12; i++) {
        assertThat(out.get(i).error()).isNull();
      }
      assertThat(((Settlement) out.get(12).result()).suspense()).isTrue();
      assertThat(out.get(13).error()).isInstanceOf(InvalidInputException.class);
      assertThat(out.get(14).error()).isInstanceOf(UnknownEntityException.class);
      assertThat(out.get(15).error()).isInstanceOf(UnknownEntityException.class);
      posted += 12;
    }
    List<Long> seqs =
        a.dsl().select(RECEIPTS.SEQ).from(RECEIPTS).orderBy(RECEIPTS.SEQ).fetch(RECEIPTS.SEQ);
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= posted; i++) {
      expected.add(i);
    }
    assertThat(seqs).isEqualTo(expected);
    int year = a.dsl().select(RECEIPTS.YEAR).from(RECEIPTS).limit(1).fetchSingle().value1();
    assertThat(
            a.dsl()
                .fetchCount(
                    RECEIPTS,
                    RECEIPTS.NUMBER.ne(
                        org.jooq.impl.DSL.concat(
                            org.jooq.impl.DSL.val(a.assembly().code() + "-" + year + "-"),
                            org.jooq.impl.DSL.lpad(RECEIPTS.SEQ.cast(String.class), 6, "0")))))
        .isZero();
    Fixture.assertInvariants(a);
  }

  @Test
  void twoLedgerInstancesSettlingTheSamePaymentsCountEachOnce() throws Exception {
    AssemblyLedger a = fx.newAssembly();
    for (int d = 0; d < 5; d++) {
      a.accrueCharges(LocalDate.of(2026, 3, 2).plusDays(d));
    }
    List<Trader> traders = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      traders.add(Fixture.trader(a, "MKT"));
    }
    Collector c = Fixture.collector(a, "MKT");
    java.util.Set<Integer> cashKeys = new java.util.HashSet<>();
    for (int th = 0; th < 16; th++) {
      for (int k = 0; k < 96; k += 4) {
        cashKeys.add((k + th * 7) % 96);
      }
    }
    List<Payment> payments = new ArrayList<>();
    for (int i = 0; i < 96; i++) {
      payments.add(Fixture.intent(a, traders.get(i % traders.size()).id(), 150 + i));
    }
    try (Ledger other =
        Ledger.open(
            LedgerSettings.of(fx.db.jdbcUrl(), fx.db.user(), fx.db.password())
                .withMaxPoolSizePerDatabase(8))) {
      AssemblyLedger b = other.assembly(a.assembly().code());
      List<Callable<Map<String, Object>>> tasks = new ArrayList<>();
      for (int thread = 0; thread < 16; thread++) {
        final AssemblyLedger node = thread % 2 == 0 ? a : b;
        final int th = thread;
        tasks.add(
            () -> {
              Map<String, Object> seen = new HashMap<>();
              // Both nodes walk all payments and cash keys, each thread from another start.
              for (int k = 0; k < payments.size(); k++) {
                Payment p = payments.get((k + th * 7) % payments.size());
                seen.put(
                    p.reference().toString(),
                    node.settleSuccessful(
                        p.reference(), p.amountPesewas(), "TX", Fixture.NOTIFIER));
                if (k % 4 == 0) {
                  int key = (k + th * 7) % payments.size();
                  Trader t = traders.get(key % traders.size());
                  seen.put(
                      "cash-" + key,
                      node.postCashPayment(
                          new CashPayment("two-nodes-" + key, c.id(), t.id(), 120),
                          Fixture.NOTIFIER));
                }
              }
              return seen;
            });
      }
      ExecutorService pool = Executors.newFixedThreadPool(16);
      Map<String, Object> first = new HashMap<>();
      try {
        for (Future<Map<String, Object>> f : pool.invokeAll(tasks, 180, TimeUnit.SECONDS)) {
          for (Map.Entry<String, Object> e : f.get().entrySet()) {
            Object before = first.putIfAbsent(e.getKey(), e.getValue());
            if (before != null) {
              // Every node and every replay hands back the same settlement.
              assertThat(e.getValue()).isEqualTo(before);
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(a.dsl().fetchCount(PAYMENTS, PAYMENTS.STATUS.eq("SUCCESSFUL"))).isEqualTo(96);
    assertThat(a.dsl().fetchCount(TRANSFERS, TRANSFERS.KIND.eq("MOMO_PAYMENT"))).isEqualTo(96);
    assertThat(a.dsl().fetchCount(TRANSFERS, TRANSFERS.KIND.eq("CASH_PAYMENT")))
        .isEqualTo(cashKeys.size());
    assertThat(a.dsl().fetchCount(RECEIPTS)).isEqualTo(96 + cashKeys.size());
    assertThat(a.dsl().fetchCount(SMS_OUTBOX, SMS_OUTBOX.TRANSFER_ID.isNotNull()))
        .isEqualTo(96 + cashKeys.size());
    Fixture.assertInvariants(a);
  }

  @Test
  void eachMoneyPathReplayedTwiceCountsOnceUnderBatching() {
    AssemblyLedger a = fx.newAssembly();
    a.accrueCharges(LocalDate.of(2026, 3, 2));
    Trader t = Fixture.trader(a, "MKT");
    Collector c = Fixture.collector(a, "MKT");
    Settler s = settler(a);
    Payment p = Fixture.intent(a, t.id(), 180);
    Payment susp = Fixture.intent(a, t.id(), 180);
    // The same payment and the same cash key twice in one submission: the repeat goes to the
    // next batch and replays.
    List<Settler.Outcome> out =
        s.submitAll(
            List.of(
                momo(a, p.reference(), 180, Fixture.NOTIFIER),
                cash("twice", t.id(), c.id(), 70, Fixture.NOTIFIER),
                momo(a, susp.reference(), 170, Fixture.NOTIFIER),
                momo(a, p.reference(), 180, Fixture.NOTIFIER),
                cash("twice", t.id(), c.id(), 70, Fixture.NOTIFIER),
                momo(a, susp.reference(), 170, Fixture.NOTIFIER)));
    for (Settler.Outcome o : out) {
      assertThat(o.error()).isNull();
    }
    assertThat(out.get(3).result()).isEqualTo(out.get(0).result());
    assertThat(out.get(4).result()).isEqualTo(out.get(1).result());
    assertThat(out.get(5).result()).isEqualTo(out.get(2).result());
    // And again through the public API, after the fact.
    assertThat(a.settleSuccessful(p.reference(), 180, "again", Fixture.NOTIFIER))
        .isEqualTo(out.get(0).result());
    assertThat(a.settleSuccessful(susp.reference(), 170, "again", Fixture.NOTIFIER))
        .isEqualTo(out.get(2).result());
    assertThat(a.postCashPayment(new CashPayment("twice", c.id(), t.id(), 70), Fixture.NOTIFIER))
        .isEqualTo(out.get(1).result());
    // A different amount under the same key is a conflict, not a second posting.
    Settler.Outcome conflict =
        s.submitAll(List.of(cash("twice", t.id(), c.id(), 71, Fixture.NOTIFIER))).get(0);
    assertThat(conflict.error()).isInstanceOf(IdempotencyConflictException.class);
    Settler.Outcome amountConflict =
        s.submitAll(List.of(momo(a, p.reference(), 181, Fixture.NOTIFIER))).get(0);
    assertThat(amountConflict.error()).isInstanceOf(IdempotencyConflictException.class);

    assertThat(transfersWithKey(a, "mtn:" + p.reference())).isOne();
    assertThat(transfersWithKey(a, "mtn:" + susp.reference())).isOne();
    assertThat(transfersWithKey(a, "cash:twice")).isOne();
    assertThat(a.dsl().fetchCount(RECEIPTS)).isEqualTo(2);
    assertThat(a.dsl().fetchCount(SMS_OUTBOX, SMS_OUTBOX.TRANSFER_ID.isNotNull())).isEqualTo(2);
    Settlement s1 = (Settlement) out.get(0).result();
    assertThat(s1.receipt().map(Receipt::number)).isNotEqualTo(Optional.empty());
    Fixture.assertInvariants(a);
  }

  private static Settler.Intent intent(UUID reference, long traderId, long amount) {
    Instant now = Instant.now();
    return new Settler.Intent(
        new org.assemblypay.ledger.jooq.tables.records.PaymentsRecord()
            .with(PAYMENTS.REFERENCE, reference)
            .with(PAYMENTS.PROVIDER, "mtn")
            .with(PAYMENTS.TRADER_ID, traderId)
            .with(PAYMENTS.PAYER_MSISDN, "233244000001")
            .with(PAYMENTS.AMOUNT_PESEWAS, amount)
            .with(PAYMENTS.PURPOSE, "AMOUNT")
            .with(PAYMENTS.PAYER_LANGUAGE, "en")
            .with(PAYMENTS.CREATED_AT, Payments.utc(now))
            .with(PAYMENTS.UPDATED_AT, Payments.utc(now))
            .with(PAYMENTS.NEXT_POLL_AT, Payments.utc(now.plusSeconds(20))),
        now);
  }

  @Test
  void intentsInOneBatchStoreTheGoodOnesAndReplayOnce() {
    AssemblyLedger a = fx.newAssembly();
    Trader t = Fixture.trader(a, "MKT");
    Payment before = Fixture.intent(a, t.id(), 300);
    UUID fresh = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    List<Settler.Outcome> out =
        settler(a)
            .submitAll(
                List.of(
                    intent(fresh, t.id(), 200),
                    intent(UUID.randomUUID(), 999_999_999L, 200),
                    intent(before.reference(), t.id(), 301),
                    intent(fresh, t.id(), 200),
                    intent(other, t.id(), 250),
                    intent(fresh, t.id(), 201),
                    intent(before.reference(), t.id(), 300)));
    assertThat(((Payment) out.get(0).result()).reference()).isEqualTo(fresh);
    assertThat(((UnknownEntityException) out.get(1).error()).entity()).isEqualTo("TRADER");
    assertThat(out.get(2).error()).isInstanceOf(IdempotencyConflictException.class);
    assertThat(out.get(3).result()).isEqualTo(out.get(0).result());
    assertThat(((Payment) out.get(4).result()).amountPesewas()).isEqualTo(250);
    assertThat(out.get(5).error()).isInstanceOf(IdempotencyConflictException.class);
    // A replay of an intent stored earlier, same content: the stored intent, still INITIATED.
    assertThat(((Payment) out.get(6).result()).reference()).isEqualTo(before.reference());
    assertThat(a.payment(fresh).orElseThrow().status()).isEqualTo(PaymentStatus.INITIATED);
    assertThat(a.dsl().fetchCount(PAYMENTS)).isEqualTo(3);
    assertThat(a.payment(before.reference()).orElseThrow().amountPesewas()).isEqualTo(300);
    // The public API replays the same intent as a no-op.
    assertThat(
            a.createPaymentIntent(
                new NewPayment(
                    other, "mtn", t.id(), "0244000001", 250, PaymentPurpose.AMOUNT, Language.EN)))
        .isEqualTo(out.get(4).result());
    assertThat(a.dsl().fetchCount(PAYMENTS)).isEqualTo(3);
  }
}
