package org.assemblypay.bench.payments;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.RatePeriod;
import org.assemblypay.payments.MobileMoneyProviders;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderConfig;
import org.assemblypay.payments.ProviderKind;
import org.assemblypay.payments.RoutingTable;
import org.assemblypay.payments.Secret;
import org.assemblypay.payments.lifecycle.CallbackAnswer;
import org.assemblypay.payments.lifecycle.PaymentOrder;
import org.assemblypay.payments.lifecycle.PaymentService;
import org.assemblypay.payments.lifecycle.PaymentSettings;
import org.assemblypay.payments.lifecycle.StartResult;

/**
 * Settlements per second through the real callback path: a simulated provider's success callback →
 * {@code PaymentService.handleCallback} → the simulator's status query → {@code settleSuccessful}
 * (payment, transfer, allocation to a charge, receipt, SMS outbox row) on a real PostgreSQL.
 * Intents are created (and marked PENDING) beforehand, untimed; callbacks are then delivered by one
 * driver with a bounded number in flight. Latency is from the callback's delivery to the receipt
 * SMS being written in the settling transaction.
 *
 * <p>Arguments: [payments, default 20000] [callbacks in flight, default 64] [assemblies, default 1]
 * [worker threads, default 16]. Database: {@code GATEWAY_TEST_DATABASE_URL}, else {@code
 * jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. The benchmark's assemblies are dropped at
 * the end.
 */
public final class SettlementBenchmark {

  private static final String PROVIDER = "simulator";
  private static final long AMOUNT_PESEWAS = 500;
  private static final int TRADERS_PER_ASSEMBLY = 200;

  private SettlementBenchmark() {}

  /** Runs a warm-up and a measured round and prints one line for each. */
  public static void main(String[] args) throws Exception {
    int payments = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int assemblyCount = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int workerThreads = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    String url =
        Optional.ofNullable(System.getenv("GATEWAY_TEST_DATABASE_URL"))
            .filter(u -> !u.isBlank())
            .orElse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    System.out.printf(
        "Settlement benchmark: %,d payments, %d callbacks in flight, %d assemblies, %d workers,"
            + " %d CPUs, Java %s%n",
        payments,
        inFlight,
        assemblyCount,
        workerThreads,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    List<String> codes = new ArrayList<>();
    try (Ledger ledger =
        Ledger.open(
            LedgerSettings.of(url, null, null).withMaxPoolSizePerDatabase(workerThreads + 4))) {
      List<List<Long>> traders = new ArrayList<>();
      for (int i = 0; i < assemblyCount; i++) {
        String code = "BENCH" + randomSuffix();
        codes.add(code);
        traders.add(seed(ledger, code));
      }
      Bench bench = new Bench(ledger, codes, traders, workerThreads);
      try {
        int warmUp = Math.max(1_000, payments / 10);
        bench.round("warm-up ", warmUp, inFlight);
        bench.round("measured", payments, inFlight);
      } finally {
        bench.close();
      }
    } finally {
      drop(url, codes);
    }
  }

  /** One service over the benchmark's assemblies and the means to drive it. */
  private static final class Bench implements AutoCloseable {
    private final Ledger ledger;
    private final List<String> codes;
    private final List<List<Long>> traders;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
    private final Histogram latency = new ConcurrentHistogram(3);
    private final AtomicInteger payerSeq = new AtomicInteger();
    private volatile Semaphore permits = new Semaphore(1);
    private volatile CountDownLatch settled = new CountDownLatch(0);
    private final PaymentService service;

    Bench(Ledger ledger, List<String> codes, List<List<Long>> traders, int workerThreads) {
      this.ledger = ledger;
      this.codes = codes;
      this.traders = traders;
      Notifier notifier =
          facts -> {
            String payer = facts.payerMsisdn().orElse("");
            Long start = startedNanos.remove(payer);
            if (start != null) {
              latency.recordValue(System.nanoTime() - start);
              settled.countDown();
              permits.release();
            }
            return List.of(
                new OutboundSmsDraft(
                    payer,
                    "AMA receipt "
                        + facts.receiptNumber()
                        + ": GHS 5.00 paid. Verify: "
                        + facts.verificationCode(),
                    facts.traderLanguage(),
                    facts.receiptNumber()));
          };
      PaymentSettings settings =
          PaymentSettings.defaults(RoutingTable.ghana(Map.of(Network.MTN, PROVIDER)))
              .withServedAssemblies(Set.copyOf(codes))
              .withConcurrency(workerThreads, 100_000, 64);
      ProviderConfig simulator =
          new ProviderConfig(
              PROVIDER,
              ProviderKind.SIMULATOR,
              URI.create("http://simulator.invalid"),
              "",
              new Secret(""),
              new Secret(""),
              "",
              1_000,
              1_000,
              Optional.empty(),
              "GHS",
              Map.of("approvalDelayMillis", "0", "maxPayments", "10000000"));
      service =
          PaymentService.create(
              settings,
              ledger,
              List.of(simulator),
              MobileMoneyProviders.httpClient(Duration.ofSeconds(1)),
              scheduler,
              code -> notifier,
              new SimpleMeterRegistry(),
              Clock.systemUTC());
    }

    void round(String label, int payments, int inFlight) throws Exception {
      List<String[]> started = startPayments(payments);
      latency.reset();
      permits = new Semaphore(inFlight);
      settled = new CountDownLatch(payments);
      int busy = 0;
      long jvmCpu0 = jvmCpuNanos();
      long pgCpu0 = postgresCpuMillis();
      long t0 = System.nanoTime();
      int lost = 0;
      for (String[] payment : started) {
        if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
          lost++; // a confirmation that failed; in production the poller would settle it
        }
        startedNanos.put(payment[1], System.nanoTime());
        CallbackAnswer answer =
            service.handleCallback(
                PROVIDER,
                Map.of("Content-Type", "application/json"),
                ("{\"referenceId\":\"" + payment[0] + "\",\"status\":\"SUCCESSFUL\"}")
                    .getBytes(StandardCharsets.UTF_8));
        if (answer.statusCode() != 200) {
          busy++;
          startedNanos.remove(payment[1]);
          permits.release();
          settled.countDown();
        }
      }
      if (!settled.await(2, TimeUnit.MINUTES)) {
        System.out.printf("%s: %d settlements did not finish%n", label, settled.getCount());
      }
      int committed = awaitCommitted(started);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double jvmCpuMillis = (jvmCpuNanos() - jvmCpu0) / 1e6 / committed;
      long pgCpu1 = postgresCpuMillis();
      String pgCpu =
          pgCpu0 < 0 || pgCpu1 < 0
              ? "n/a"
              : String.format(Locale.ROOT, "%.2f", (pgCpu1 - pgCpu0) / (double) committed);
      System.out.printf(
          "%s: %,7d settled in %6.2f s = %,7.0f settlements/s   callback→receipt written"
              + " p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms   (refused %d, lost %d)"
              + "   CPU per settlement: JVM %.2f ms, PostgreSQL %s ms%n",
          label,
          committed,
          seconds,
          committed / seconds,
          latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6,
          latency.getMaxValue() / 1e6,
          busy,
          lost,
          jvmCpuMillis,
          pgCpu);
    }

    /** Creates the intents through the service (untimed): payers end in 459, "no callback". */
    private List<String[]> startPayments(int payments) throws Exception {
      ExecutorService starters = Executors.newFixedThreadPool(8);
      try {
        List<Future<String[]>> futures = new ArrayList<>();
        for (int i = 0; i < payments; i++) {
          int index = i;
          futures.add(
              starters.submit(
                  () -> {
                    int assembly = index % codes.size();
                    List<Long> ids = traders.get(assembly);
                    String payer =
                        String.format(
                            Locale.ROOT, "024%04d459", payerSeq.incrementAndGet() % 10_000);
                    PaymentOrder order =
                        new PaymentOrder(
                            codes.get(assembly),
                            ids.get(index % ids.size()),
                            Msisdn.parse(payer).orElseThrow(),
                            AMOUNT_PESEWAS,
                            PaymentPurpose.AMOUNT,
                            Language.EN,
                            Optional.empty(),
                            "Makola daily toll",
                            "Market toll");
                    StartResult.Started result = (StartResult.Started) service.start(order);
                    return new String[] {
                      result.reference().toString(), Msisdn.parse(payer).orElseThrow().digits()
                    };
                  }));
        }
        List<String[]> started = new ArrayList<>();
        for (Future<String[]> future : futures) {
          started.add(future.get());
        }
        // The requests go out asynchronously; callbacks only make sense once the provider has them.
        for (String[] payment : started) {
          java.util.UUID reference = java.util.UUID.fromString(payment[0]);
          for (String code : codes) {
            AssemblyLedger assembly = ledger.assembly(code);
            while (assembly
                .payment(reference)
                .map(p -> p.status() == org.assemblypay.ledger.PaymentStatus.INITIATED)
                .orElse(false)) {
              Thread.sleep(1);
            }
          }
        }
        return started;
      } finally {
        starters.shutdown();
      }
    }

    /**
     * The latch counts receipts written inside their transactions; waits until the last payments
     * sent read SUCCESSFUL, so the figure includes their commits. Returns how many were settled.
     */
    private int awaitCommitted(List<String[]> started) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      List<String[]> tail = started.subList(Math.max(0, started.size() - 64), started.size());
      for (String[] payment : tail) {
        java.util.UUID reference = java.util.UUID.fromString(payment[0]);
        for (String code : codes) {
          AssemblyLedger assembly = ledger.assembly(code);
          while (assembly
                  .payment(reference)
                  .map(p -> p.status() != org.assemblypay.ledger.PaymentStatus.SUCCESSFUL)
                  .orElse(false)
              && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
        }
      }
      return started.size();
    }

    @Override
    public void close() {
      service.close();
      scheduler.shutdownNow();
    }
  }

  private static long jvmCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /**
   * CPU time of every local process named postgres, from /proc (Linux, same machine), in
   * milliseconds assuming 100 clock ticks per second; -1 when it cannot be read.
   */
  private static long postgresCpuMillis() {
    java.io.File[] processes = new java.io.File("/proc").listFiles();
    if (processes == null) {
      return -1;
    }
    long ticks = 0;
    for (java.io.File process : processes) {
      if (!process.getName().matches("[0-9]+")) {
        continue;
      }
      try {
        String stat =
            java.nio.file.Files.readString(
                process.toPath().resolve("stat"), StandardCharsets.UTF_8);
        int close = stat.lastIndexOf(')');
        if (!stat.substring(stat.indexOf('(') + 1, close).startsWith("postgres")) {
          continue;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (java.io.IOException | RuntimeException e) {
        // The process ended while we looked; its time is lost to this figure.
      }
    }
    return ticks * 10;
  }

  private static List<Long> seed(Ledger ledger, String code) {
    ledger
        .assemblies()
        .register(
            new NewAssembly(
                code,
                "Benchmark Assembly " + code,
                List.of(
                    "*713*" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999) + "#"),
                "BENCH",
                ZoneId.of("Africa/Accra"),
                null,
                null,
                100,
                500_000));
    AssemblyLedger assembly = ledger.assembly(code);
    assembly.registerMarket(
        new NewMarket("MKT", "Makola", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
    assembly.registerRate(
        new NewRate(
            ChargeItem.DAILY_TOLL,
            null,
            null,
            250,
            RatePeriod.DAY,
            Set.of(),
            LocalDate.of(2020, 1, 1),
            null));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < TRADERS_PER_ASSEMBLY; i++) {
      ids.add(
          assembly
              .registerTrader(
                  new NewTrader(
                      "B" + i,
                      "Trader " + i,
                      String.format(Locale.ROOT, "0244%06d", i),
                      "MKT",
                      null,
                      null,
                      Language.EN))
              .id());
    }
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    for (int d = 30; d >= 0; d--) {
      assembly.accrueCharges(today.minusDays(d));
    }
    return ids;
  }

  /** Prints the ledger's own count of what was posted, then drops the benchmark's assemblies. */
  private static void drop(String url, List<String> codes) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String code : codes) {
        String schema = "asm_" + code.toLowerCase(Locale.ROOT);
        try (ResultSet r =
            s.executeQuery(
                "select (select count(*) from "
                    + schema
                    + ".payments where status = 'SUCCESSFUL'), (select count(*) from "
                    + schema
                    + ".transfers where kind = 'MOMO_PAYMENT'), (select count(*) from "
                    + schema
                    + ".sms_outbox), (select count(*) from "
                    + schema
                    + ".receipts)")) {
          r.next();
          System.out.printf(
              "%s: %d payments SUCCESSFUL, %d transfers, %d receipts, %d SMS queued%n",
              code, r.getLong(1), r.getLong(2), r.getLong(4), r.getLong(3));
        }
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        s.execute("DELETE FROM control.assemblies WHERE code = '" + code + "'");
      }
    }
  }

  private static String randomSuffix() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
