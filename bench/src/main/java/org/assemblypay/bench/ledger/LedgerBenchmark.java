package org.assemblypay.bench.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.RatePeriod;
import org.assemblypay.ledger.Trader;

/**
 * Measures full mobile-money payments per second with 1 and 8 posters over 10,000 traders (the
 * intent, then the settlement that posts the money: payment row, transfer, postings, allocation,
 * receipt and outbox row in one transaction), the same posting transaction alone with the intents
 * created beforehand, and the time to accrue one day for 100,000 traders.
 *
 * <p>Usage: {@code LedgerBenchmark [jdbcUrl] [paymentsPerPhase] [accrualTraders]}; the default URL
 * is the local PostgreSQL {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. The
 * assemblies it creates are dropped at the end. {@code -Dbench.pgstats=true} prints, per measured
 * payment phase, WAL, table updates (and how many were HOT), commits and CPU per payment ({@link
 * LedgerPgStats}).
 */
public final class LedgerBenchmark {
  private static final Notifier RECEIPT_SMS =
      facts ->
          List.of(
              new OutboundSmsDraft(
                  facts.traderPhone(),
                  "Payment of GHS "
                      + facts.amountPesewas() / 100
                      + "."
                      + String.format("%02d", facts.amountPesewas() % 100)
                      + " received. Receipt "
                      + facts.receiptNumber()
                      + " code "
                      + facts.verificationCode(),
                  facts.traderLanguage(),
                  facts.receiptNumber()));

  private static final boolean PG_STATS = Boolean.getBoolean("bench.pgstats");

  private LedgerBenchmark() {}

  /** Runs the benchmark and prints the figures. */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    int payments = args.length > 1 ? Integer.parseInt(args[1]) : 8_000;
    int accrualTraders = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    List<String> created = new ArrayList<>();
    try (Ledger ledger = Ledger.open(new LedgerSettings(url, null, null, 12, 30, 20))) {
      AssemblyLedger a = assembly(ledger, created);
      System.out.printf("setting up 10,000 traders ...%n");
      long[] traders = traders(a, 10_000, 8);
      LocalDate monday = LocalDate.of(2026, 3, 2);
      for (int d = 0; d < 5; d++) {
        a.accrueCharges(monday.plusDays(d));
      }
      String schema = "asm_" + created.get(0).toLowerCase(Locale.ROOT);
      pay(a, traders, 1, 1_000, null, false);
      System.out.printf(
          "%nfull mobile-money payment postings (10,000 traders, 5 days of arrears each)%n");
      pay(a, traders, 1, Math.max(500, payments / 4), new Phase(url, schema), false);
      pay(a, traders, 8, payments, new Phase(url, schema), false);
      System.out.printf(
          "%nthe posting transaction alone (payment row, transfer, postings, allocation, receipt,"
              + " outbox row; each payment's intent created beforehand, untimed)%n");
      pay(a, traders, 1, Math.max(500, payments / 4), new Phase(url, schema), true);
      pay(a, traders, 8, payments, new Phase(url, schema), true);

      AssemblyLedger big = assembly(ledger, created);
      System.out.printf("%nsetting up %,d traders for accrual ...%n", accrualTraders);
      traders(big, accrualTraders, 8);
      LocalDate first = LocalDate.of(2026, 6, 1); // a Monday and the 1st: toll and stall rent
      long start = System.nanoTime();
      var result = big.accrueCharges(first);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "accrual of %s for %,d traders: %,d charges, GHS %,.2f, %.2f s%n",
          first, accrualTraders, result.chargesCreated(), result.chargedPesewas() / 100.0, seconds);
      start = System.nanoTime();
      var again = big.accrueCharges(first);
      System.out.printf(
          "re-running the same day: %d charges, %.2f s%n",
          again.chargesCreated(), (System.nanoTime() - start) / 1e9);
    } finally {
      drop(url, created);
    }
  }

  private static AssemblyLedger assembly(Ledger ledger, List<String> created) {
    String code =
        "BENCH"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 6)
                .toUpperCase(Locale.ROOT);
    created.add(code);
    ledger
        .assemblies()
        .register(
            NewAssembly.inMainDatabase(
                code,
                "Benchmark " + code,
                "*799*" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999) + "#"));
    AssemblyLedger a = ledger.assembly(code);
    a.registerMarket(
        new NewMarket("MKT", "Makola", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
    LocalDate from = LocalDate.of(2020, 1, 1);
    a.registerRate(
        new NewRate(ChargeItem.DAILY_TOLL, null, null, 250, RatePeriod.DAY, Set.of(), from, null));
    a.registerRate(
        new NewRate(
            ChargeItem.STALL_RENT, null, null, 5_000, RatePeriod.MONTH, Set.of(), from, null));
    return a;
  }

  private static long[] traders(AssemblyLedger a, int count, int threads) throws Exception {
    long[] ids = new long[count];
    AtomicInteger next = new AtomicInteger();
    int batch = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                int from;
                while ((from = next.getAndAdd(batch)) < count) {
                  int to = Math.min(count, from + batch);
                  List<NewTrader> chunk = new ArrayList<>(to - from);
                  for (int i = from; i < to; i++) {
                    chunk.add(
                        new NewTrader(
                            "CN" + i,
                            "Trader " + i,
                            String.format("024%07d", i),
                            "MKT",
                            i % 2 == 0 ? "S" + i : null,
                            null,
                            Language.EN));
                  }
                  List<Trader> registered = a.registerTraders(chunk);
                  for (int i = from; i < to; i++) {
                    ids[i] = registered.get(i - from).id();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    return ids;
  }

  /** Where a measured phase's statistics come from (printed with {@code -Dbench.pgstats}). */
  private record Phase(String url, String schema) {}

  /**
   * Runs {@code total} payments on {@code threads} posters and prints the rate. Each payment is an
   * intent and then its settlement, both timed; with {@code postingOnly} the intents are created
   * first, untimed, and only the settlement (the one transaction that posts the money) is timed.
   */
  private static void pay(
      AssemblyLedger a, long[] traders, int threads, int total, Phase phase, boolean postingOnly)
      throws Exception {
    List<UUID> refs = new ArrayList<>();
    List<Long> amounts = new ArrayList<>();
    if (postingOnly) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      for (int i = 0; i < total; i++) {
        UUID ref = UUID.randomUUID();
        long amount = 100 + r.nextInt(400);
        a.createPaymentIntent(newPayment(ref, traders[r.nextInt(traders.length)], amount));
        refs.add(ref);
        amounts.add(amount);
      }
    }
    AtomicInteger next = new AtomicInteger();
    LedgerPgStats before =
        phase != null && PG_STATS ? LedgerPgStats.take(phase.url, phase.schema) : null;
    Histogram latency = new Histogram(60_000_000_000L, 3);
    AtomicInteger left = new AtomicInteger(total);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                Histogram mine = new Histogram(60_000_000_000L, 3);
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (left.getAndDecrement() > 0) {
                  long t0;
                  UUID ref;
                  long amount;
                  if (postingOnly) {
                    int i = next.getAndIncrement();
                    ref = refs.get(i);
                    amount = amounts.get(i);
                    t0 = System.nanoTime();
                  } else {
                    amount = 100 + r.nextInt(400);
                    ref = UUID.randomUUID();
                    t0 = System.nanoTime();
                    a.createPaymentIntent(
                        newPayment(ref, traders[r.nextInt(traders.length)], amount));
                  }
                  a.settleSuccessful(ref, amount, "TX" + ref, RECEIPT_SMS);
                  mine.recordValue(System.nanoTime() - t0);
                }
                synchronized (latency) {
                  latency.add(mine);
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    if (phase != null) {
      System.out.printf(
          (postingOnly
                  ? "%d poster(s): %,d postings in %.2f s = %,.0f postings/s;"
                  : "%d poster(s): %,d payments in %.2f s = %,.0f payments/s;")
              + " latency ms p50 %.2f p99 %.2f max %.2f%n",
          threads,
          total,
          seconds,
          total / seconds,
          latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6,
          latency.getMaxValue() / 1e6);
      if (before != null) {
        System.out.println(
            LedgerPgStats.take(phase.url, phase.schema).since(before, phase.url, total));
      }
    }
  }

  private static NewPayment newPayment(UUID ref, long trader, long amount) {
    return new NewPayment(
        ref, "mtn", trader, "0244123456", amount, PaymentPurpose.AMOUNT, Language.EN);
  }

  private static void drop(String url, List<String> codes) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String code : codes) {
        // Benchmark clean-up only; codes are generated above from [A-Z0-9].
        s.execute("DROP SCHEMA IF EXISTS asm_" + code.toLowerCase(Locale.ROOT) + " CASCADE");
        s.execute("DELETE FROM control.assemblies WHERE code = '" + code + "'");
      }
    }
  }
}
