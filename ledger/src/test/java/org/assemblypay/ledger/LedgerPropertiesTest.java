package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.CHARGES;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jooq.impl.DSL;

/**
 * Random sequences of accruals, mobile-money and cash payments, duplicate deliveries, reversals and
 * concurrent bursts over two assemblies; after each sequence every ledger rule must hold and each
 * trader's balance must equal charges minus the payments counted exactly once.
 */
class LedgerPropertiesTest {
  static final int TRADERS = 3;
  static Fixture fx;
  static final List<AssemblyLedger> assemblies = new ArrayList<>();
  static final List<List<Trader>> traders = new ArrayList<>();
  static final List<Collector> collectors = new ArrayList<>();

  /** Net money each trader paid, as the test counts it: key "assembly:trader". */
  static final Map<String, AtomicLong> netPaid = new ConcurrentHashMap<>();

  /** Payment transfers that may still be reversed, with their trader and amount. */
  static final List<List<long[]>> reversible = new ArrayList<>();

  @BeforeContainer
  static void setUp() {
    fx = new Fixture();
    for (int i = 0; i < 2; i++) {
      AssemblyLedger a = fx.newAssembly();
      assemblies.add(a);
      List<Trader> ts = new ArrayList<>();
      for (int t = 0; t < TRADERS; t++) {
        ts.add(Fixture.trader(a, "MKT"));
      }
      traders.add(ts);
      collectors.add(Fixture.collector(a, "MKT"));
      reversible.add(java.util.Collections.synchronizedList(new ArrayList<>()));
    }
  }

  @AfterContainer
  static void tearDown() throws Exception {
    fx.close();
  }

  sealed interface Op {}

  record Accrue(int assembly, int dayOffset) implements Op {}

  record MobileMoney(
      int assembly, int trader, long amount, boolean providerAmountDiffers, boolean deliveredTwice)
      implements Op {}

  record Cash(int assembly, int trader, long amount, boolean resent) implements Op {}

  record Reverse(int assembly, int pick) implements Op {}

  record Burst(int assembly, int threads, long amount) implements Op {}

  @Provide
  Arbitrary<List<Op>> sequences() {
    Arbitrary<Integer> asm = Arbitraries.integers().between(0, 1);
    Arbitrary<Integer> trader = Arbitraries.integers().between(0, TRADERS - 1);
    Arbitrary<Long> amount = Arbitraries.longs().between(100, 2_000);
    Arbitrary<Op> accrue =
        Combinators.combine(asm, Arbitraries.integers().between(0, 40)).as(Accrue::new);
    Arbitrary<Op> momo =
        Combinators.combine(
                asm,
                trader,
                amount,
                Arbitraries.of(false, false, false, true),
                Arbitraries.of(true, false))
            .as(MobileMoney::new);
    Arbitrary<Op> cash =
        Combinators.combine(asm, trader, amount, Arbitraries.of(true, false)).as(Cash::new);
    Arbitrary<Op> reverse =
        Combinators.combine(asm, Arbitraries.integers().between(0, 1_000)).as(Reverse::new);
    Arbitrary<Op> burst =
        Combinators.combine(asm, Arbitraries.integers().between(2, 6), amount).as(Burst::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, accrue),
            net.jqwik.api.Tuple.of(4, momo),
            net.jqwik.api.Tuple.of(3, cash),
            net.jqwik.api.Tuple.of(2, reverse),
            net.jqwik.api.Tuple.of(1, burst))
        .list()
        .ofMinSize(1)
        .ofMaxSize(10);
  }

  @Property(tries = 25)
  void everyRuleHoldsAfterAnySequence(@ForAll("sequences") List<Op> ops) throws Exception {
    for (Op op : ops) {
      apply(op);
    }
    for (int i = 0; i < assemblies.size(); i++) {
      AssemblyLedger a = assemblies.get(i);
      Fixture.assertInvariants(a);
      for (Trader t : traders.get(i)) {
        long charged =
            Optional.ofNullable(
                    a.dsl()
                        .select(DSL.sum(CHARGES.AMOUNT_PESEWAS).cast(Long.class))
                        .from(CHARGES)
                        .where(CHARGES.TRADER_ID.eq(t.id()))
                        .fetchSingle()
                        .value1())
                .orElse(0L);
        long balance =
            a.dsl()
                .select(ACCOUNTS.BALANCE_PESEWAS)
                .from(ACCOUNTS)
                .where(ACCOUNTS.KIND.eq("TRADER"), ACCOUNTS.OWNER_ID.eq(t.id()))
                .fetchSingle()
                .value1();
        assertThat(balance)
            .as("trader %s balance = charged - paid once", t.id())
            .isEqualTo(charged - paid(i, t.id()).get());
      }
    }
  }

  private static AtomicLong paid(int assembly, long traderId) {
    return netPaid.computeIfAbsent(assembly + ":" + traderId, k -> new AtomicLong());
  }

  private static void apply(Op op) throws Exception {
    if (op instanceof Accrue x) {
      assemblies.get(x.assembly()).accrueCharges(LocalDate.of(2026, 1, 5).plusDays(x.dayOffset()));
    } else if (op instanceof MobileMoney x) {
      AssemblyLedger a = assemblies.get(x.assembly());
      Trader t = traders.get(x.assembly()).get(x.trader());
      Payment p = Fixture.intent(a, t.id(), x.amount());
      long reported = x.providerAmountDiffers() ? x.amount() - 1 : x.amount();
      Settlement s = a.settleSuccessful(p.reference(), reported, "P" + p.id(), Fixture.NOTIFIER);
      if (x.deliveredTwice()) {
        assertThat(a.settleSuccessful(p.reference(), reported, "P" + p.id(), Fixture.NOTIFIER))
            .isEqualTo(s);
      }
      if (!s.suspense()) {
        paid(x.assembly(), t.id()).addAndGet(x.amount());
        reversible.get(x.assembly()).add(new long[] {s.transferId(), t.id(), x.amount()});
      }
    } else if (op instanceof Cash x) {
      AssemblyLedger a = assemblies.get(x.assembly());
      Trader t = traders.get(x.assembly()).get(x.trader());
      CashPayment c =
          new CashPayment(
              UUID.randomUUID().toString(), collectors.get(x.assembly()).id(), t.id(), x.amount());
      CashPosting posted = a.postCashPayment(c, Fixture.NOTIFIER);
      if (x.resent()) {
        assertThat(a.postCashPayment(c, Fixture.NOTIFIER).transferId())
            .isEqualTo(posted.transferId());
      }
      paid(x.assembly(), t.id()).addAndGet(x.amount());
      reversible.get(x.assembly()).add(new long[] {posted.transferId(), t.id(), x.amount()});
    } else if (op instanceof Reverse x) {
      List<long[]> candidates = reversible.get(x.assembly());
      if (!candidates.isEmpty()) {
        long[] victim = candidates.remove(x.pick() % candidates.size());
        assemblies.get(x.assembly()).reverse(victim[0], "property test", "clerk", "supervisor");
        paid(x.assembly(), victim[1]).addAndGet(-victim[2]);
      }
    } else if (op instanceof Burst x) {
      AssemblyLedger a = assemblies.get(x.assembly());
      Trader t = traders.get(x.assembly()).get(0);
      ExecutorService pool = Executors.newFixedThreadPool(x.threads());
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < x.threads(); i++) {
          final boolean momo = i % 2 == 0;
          done.add(
              pool.submit(
                  () -> {
                    if (momo) {
                      apply0(new MobileMoney(x.assembly(), 0, x.amount(), false, true));
                    } else {
                      apply0(new Cash(x.assembly(), 0, x.amount(), true));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      assertThat(t).isNotNull();
    }
  }

  private static void apply0(Op op) throws Exception {
    apply(op);
  }
}
