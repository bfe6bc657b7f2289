package org.assemblypay.bench.smpp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.gateway.sms.SmsConfig;
import org.assemblypay.gateway.sms.SmsWiring;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;

/**
 * Outbox → SMSC end to end, with every state change durable: SMS rows queued in several assemblies'
 * outboxes (PostgreSQL) are claimed, submitted over SMPP to SMSC simulators in the same JVM, marked
 * SUBMITTED, and marked DELIVERED when the simulators' delivery receipts come back; the run ends
 * when every row is DELIVERED in the database, timed from before the connector starts (binds
 * included) to the last row's delivered_at. Prints messages per second.
 *
 * <p>Arguments: [messages, default 20000] [assemblies, default 4] [SMSC connections, default 4]
 * [window per connection, default 50]. The database is {@code GATEWAY_BENCH_DATABASE_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; the assemblies it creates are
 * dropped at the end. {@code -Dbench.pgstats=true} prints, per run, the WAL, sms_outbox updates
 * (HOT or not), commits and CPU per message of the drain ({@link PgDrainStats}); {@code
 * -Dbench.warmup=N} sets the warm-up run's size (default 4,000 messages, at most the measured size)
 * and {@code -Dbench.warmupRuns=N} how many warm-up runs go first (default 1): on two cores the JIT
 * compilers still take a fifth of the CPU in the second 20,000-message run and settle after about
 * three.
 */
public final class OutboxEndToEndBenchmark {

  private static final String SYSTEM_ID = "bench";
  private static final String PASSWORD = "bench";
  private static final boolean progress = Boolean.getBoolean("bench.progress");
  private static final boolean pgStats = Boolean.getBoolean("bench.pgstats");
  private static final int warmUpMessages = Integer.getInteger("bench.warmup", 4_000);
  private static final int measuredRuns = Integer.getInteger("bench.runs", 1);
  private static final int warmUpRuns = Math.max(1, Integer.getInteger("bench.warmupRuns", 1));

  private OutboxEndToEndBenchmark() {}

  /** Runs a warm-up and a measured run and prints the figures. */
  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int assemblyCount = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    String url =
        System.getenv()
            .getOrDefault(
                "GATEWAY_BENCH_DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    System.out.printf(
        "Outbox → SMSC end to end, receipts durable: %d messages, %d assemblies, %d connections,"
            + " window %d, %d CPUs, Java %s%n",
        messages,
        assemblyCount,
        connections,
        window,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    List<String> codes = new ArrayList<>();
    try (Ledger ledger =
        Ledger.open(LedgerSettings.of(url, null, null).withMaxPoolSizePerDatabase(48))) {
      for (int i = 0; i < assemblyCount; i++) {
        String code = "BENCH" + randomSuffix();
        codes.add(code);
        ledger
            .assemblies()
            .register(
                NewAssembly.inMainDatabase(
                    code,
                    "Bench " + code,
                    "*713*" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999) + "#"));
      }
      try {
        for (int i = 0; i < warmUpRuns; i++) {
          Run warmUp =
              run(ledger, url, codes, Math.min(messages, warmUpMessages), connections, window);
          System.out.printf("warm-up: %s%n", warmUp);
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < measuredRuns; i++) {
          Run measured = run(ledger, url, codes, messages, connections, window);
          System.out.printf("measured: %s%n", measured);
          rates.add(measured.messagesPerSecond());
        }
        if (rates.size() > 1) {
          List<Double> sorted = rates.stream().sorted().toList();
          int n = sorted.size();
          double median =
              n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
          System.out.printf(
              Locale.ROOT,
              "measured runs: %d, messages/s min %.0f, median %.0f, max %.0f%n",
              n,
              sorted.get(0),
              median,
              sorted.get(n - 1));
        }
      } finally {
        drop(url, codes);
      }
    }
  }

  /** One run's figures. */
  record Run(
      int messages,
      long enqueueMillis,
      long drainMillis,
      long polledMillis,
      long delivered,
      long acceptedSubmits) {
    /** Messages per second, outbox to the last row's delivered_at. */
    double messagesPerSecond() {
      return messages * 1000.0 / Math.max(1, drainMillis);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d rows queued in %d ms (%.0f/s); outbox → DELIVERED in %d ms = %.0f messages/s"
              + " (last delivered_at; the 1 s poll saw it at %d ms = %.0f/s) (%d rows DELIVERED,"
              + " %d submit_sm accepted)",
          messages,
          enqueueMillis,
          messages * 1000.0 / Math.max(1, enqueueMillis),
          drainMillis,
          messagesPerSecond(),
          polledMillis,
          messages * 1000.0 / Math.max(1, polledMillis),
          delivered,
          acceptedSubmits);
    }
  }

  private static Run run(
      Ledger ledger, String url, List<String> codes, int messages, int connections, int window)
      throws Exception {
    long enqueueStart = System.nanoTime();
    enqueue(ledger, codes, messages);
    long enqueueMillis = (System.nanoTime() - enqueueStart) / 1_000_000;

    List<SmscSimulator> smscs = new ArrayList<>();
    List<SmsConfig.Connection> configured = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        SmscSimulator smsc =
            SmscSimulator.start(
                SimulatorConfig.defaults(SYSTEM_ID, PASSWORD).withCapacity(8, 10_000, 1));
        smscs.add(smsc);
        configured.add(
            new SmsConfig.Connection(
                "smsc" + i,
                "127.0.0.1",
                smsc.port(),
                SYSTEM_ID,
                PASSWORD,
                null,
                null,
                window,
                -1,
                0,
                10_000,
                5_000,
                100,
                1_000,
                "BENCH",
                null,
                null,
                null,
                null)); // each simulator is its own SMSC: the default identity (port) differs
      }
      SmsConfig config =
          SmsConfig.defaults()
              .withConnections(configured)
              .withServedAssemblies(codes)
              .withDispatcher(new SmsConfig.Dispatcher(500, 2_000, 100, 0, 0, 0, 0, null, 0, 0, 0));
      List<String> schemas =
          codes.stream().map(code -> ledger.assembly(code).assembly().schemaName()).toList();
      PgDrainStats before = null;
      if (pgStats) {
        Thread.sleep(2_000); // let the enqueuers' table counters reach the statistics
        before = PgDrainStats.take(url, schemas);
      }
      long start = System.nanoTime();
      java.time.Instant startedAt = java.time.Instant.now();
      long drainEnd;
      long delivered;
      Delivered last;
      var registry = new SimpleMeterRegistry();
      try (SmsWiring sms =
          SmsWiring.start(
              config,
              new GatewayConfig.Database(url, null, null, 0, 0),
              ledger,
              (assembly, key, sender, text) -> {},
              registry,
              Clock.systemUTC())) {
        if (!sms.connector().awaitBound(Duration.ofSeconds(30))) {
          throw new IllegalStateException("not bound: " + sms.bindStates());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while ((delivered = (last = countDelivered(url, ledger, codes)).rows()) < messages
            && System.nanoTime() < deadline) {
          Thread.sleep(1_000);
          if (progress) {
            System.out.printf(
                Locale.ROOT,
                "  %5.1f s: claimed %.0f, accepted %d, reports applied %.0f, parked %.0f,"
                    + " matched late %.0f, DELIVERED %d%n",
                (System.nanoTime() - start) / 1e9,
                registry.counter("sms.outbox.claimed").count(),
                smscs.stream().mapToLong(SmscSimulator::acceptedSubmits).sum(),
                registry.find("sms.reports.applied").counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum(),
                registry.counter("sms.reports.parked_total").count(),
                matchedLate(registry),
                delivered);
          }
        }
        drainEnd = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "  delivery reports parked %.0f (matched late %.0f: on re-check %.0f, replay %.0f,"
                + " sweep %.0f; expired %.0f, parked now %d; parked for mean %.0f ms, max %.0f"
                + " ms)%n",
            registry.counter("sms.reports.parked_total").count(),
            matchedLate(registry),
            registry.counter("sms.reports.matched_late", "by", "recheck").count(),
            registry.counter("sms.reports.matched_late", "by", "replay").count(),
            registry.counter("sms.reports.matched_late", "by", "sweep").count(),
            registry.counter("sms.reports.parked_expired").count(),
            ledger.parkedDeliveryReports().count(),
            registry.timer("sms.reports.parked_for").mean(TimeUnit.MILLISECONDS),
            registry.timer("sms.reports.parked_for").max(TimeUnit.MILLISECONDS));
        for (var batches : registry.find("sms.writer.batch_size").summaries()) {
          System.out.printf(
              Locale.ROOT,
              "  writer %s: %d transactions, mean %.1f rows each%n",
              batches.getId().getTag("writer"),
              batches.count(),
              batches.mean());
        }
        if (pgStats) {
          // Before the gateway's threads stop, so their CPU is still readable.
          Thread.sleep(2_000);
          PgDrainStats after = PgDrainStats.take(url, schemas);
          System.out.println(after.since(before, url, messages));
          System.out.println(after.threadsSince(before));
        }
      }
      // The run ends when the last row became DELIVERED (its delivered_at, this machine's clock),
      // not at the next one-second poll, which would add up to a second to a five-second run.
      long polledMillis = (drainEnd - start) / 1_000_000;
      long drainMillis =
          last.lastAt() == null
              ? polledMillis
              : Math.min(polledMillis, Duration.between(startedAt, last.lastAt()).toMillis());
      long accepted = smscs.stream().mapToLong(SmscSimulator::acceptedSubmits).sum();
      clearOutboxes(url, ledger, codes);
      return new Run(messages, enqueueMillis, drainMillis, polledMillis, delivered, accepted);
    } finally {
      for (SmscSimulator smsc : smscs) {
        smsc.close();
      }
    }
  }

  private static double matchedLate(SimpleMeterRegistry registry) {
    return registry.find("sms.reports.matched_late").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static void enqueue(Ledger ledger, List<String> codes, int messages) throws Exception {
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = first; i < messages; i += threads) {
                    String code = codes.get(i % codes.size());
                    ledger
                        .assembly(code)
                        .enqueueSms(
                            new OutboundSmsDraft(
                                "23324" + (1_000_000 + i),
                                "Paid GHS 2.50 for stall A" + i + ". Receipt " + code + "-" + i,
                                Language.EN,
                                null));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** How many rows are DELIVERED, and when the latest of them was. */
  private record Delivered(long rows, java.time.Instant lastAt) {}

  private static Delivered countDelivered(String url, Ledger ledger, List<String> codes)
      throws SQLException {
    long total = 0;
    java.time.Instant lastAt = null;
    try (Connection c = DriverManager.getConnection(url)) {
      for (String code : codes) {
        String schema = ledger.assembly(code).assembly().schemaName();
        try (PreparedStatement s =
                c.prepareStatement(
                    "select count(*), max(delivered_at) from "
                        + schema
                        + ".sms_outbox where status = 'DELIVERED'");
            ResultSet r = s.executeQuery()) {
          r.next();
          total += r.getLong(1);
          java.sql.Timestamp at = r.getTimestamp(2);
          if (at != null && (lastAt == null || at.toInstant().isAfter(lastAt))) {
            lastAt = at.toInstant();
          }
        }
      }
    }
    return new Delivered(total, lastAt);
  }

  private static void clearOutboxes(String url, Ledger ledger, List<String> codes)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String code : codes) {
        s.execute(
            "truncate " + ledger.assembly(code).assembly().schemaName() + ".sms_outbox cascade");
      }
    }
  }

  private static void drop(String url, List<String> codes) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String code : codes) {
        s.execute("drop schema if exists asm_" + code.toLowerCase(Locale.ROOT) + " cascade");
        s.execute("delete from control.assemblies where code = '" + code + "'");
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
