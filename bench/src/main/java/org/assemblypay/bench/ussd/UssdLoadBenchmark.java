package org.assemblypay.bench.ussd;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
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
import org.assemblypay.ledger.RatePeriod;

/**
 * Walks whole trader journeys (dial → arrears → back → pay today's toll → confirm) as many
 * concurrent sessions in the Africa's Talking dialect against a running gateway, and reports hops
 * per second, latency percentiles, the CPU each process used, and the gateway's heap.
 *
 * <p>Usage: {@code UssdLoadBenchmark <gatewayUrl> <jdbcUrl> <gatewayPid> <sessions,...> <seconds>}.
 * It seeds its own assembly (one trader per concurrent session, so no phone has two sessions at
 * once) through the ledger, then measures each concurrency level after a warm-up. With {@code
 * -Dbench.check=none} it seeds nothing and checks no journey, for a target that is not a gateway.
 */
public final class UssdLoadBenchmark {
  private static final String[] JOURNEY = {"", "1", "1*0", "1*0*2", "1*0*2*1"};
  // Encoded once: the load generator shares the two cores with the gateway, so every hop it
  // builds cheaply is CPU left to the gateway (its share is reported next to the gateway's).
  private static final String[] JOURNEY_ENCODED =
      java.util.Arrays.stream(JOURNEY).map(UssdLoadBenchmark::enc).toArray(String[]::new);
  // What each step's reply must contain (English, an MTN phone, arrears owed): a broken menu that
  // still answers CON/END cannot score well.
  private static final String[] EXPECTED = {
    "CON ",
    "Check arrears",
    "CON Owed ",
    "CON ",
    "Pay today's toll",
    "CON Pay GHS",
    "END Approve the"
  };
  private static final int[] EXPECTED_STEP = {0, 0, 1, 2, 2, 3, 4};
  private static final RequestOptions HOP =
      new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setURI("/ussd/africastalking")
          .putHeader("content-type", "application/x-www-form-urlencoded");

  private UssdLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    URI gateway = URI.create(args[0]);
    String jdbcUrl = args[1];
    long gatewayPid = Long.parseLong(args[2]);
    int[] levels =
        java.util.Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
    int seconds = Integer.parseInt(args[4]);
    int maxSessions = java.util.Arrays.stream(levels).max().orElse(1);

    // -Dbench.check=none drives a target that is not a gateway (BareRedisServer): nothing is seeded
    // and no journey is checked, the hops are still timed and counted the same way.
    boolean check = !"none".equals(System.getProperty("bench.check"));
    String code = "BN" + Long.toString(System.nanoTime() % 46_656, 36).toUpperCase(Locale.ROOT);
    String ussd = check ? seed(jdbcUrl, code, maxSessions) : "*713*999#";
    Vertx vertx = Vertx.vertx();
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(gateway.getHost())
                .setDefaultPort(gateway.getPort())
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(maxSessions));
    try {
      for (int sessions : levels) {
        run(client, ussd, sessions, Math.max(5, seconds / 3), null);
        Result r = run(client, ussd, sessions, seconds, gatewayPid);
        System.out.println(r.describe(sessions, seconds));
      }
      System.out.println("gateway heap after run: " + heapOf(gateway));
      if (!check) {
        System.out.println("check: none (bench.check=none)");
        return;
      }
      if (!checkJourneys(jdbcUrl, code)) {
        System.exit(1);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** An assembly with one trader per concurrent session, owing a few days. */
  private static String seed(String jdbcUrl, String code, int traders) {
    String ussd = "*713*9" + (System.nanoTime() % 900 + 100) + "#";
    try (Ledger ledger = Ledger.open(LedgerSettings.of(jdbcUrl, null, null))) {
      ledger
          .assemblies()
          .register(NewAssembly.inMainDatabase(code, "Bench Municipal Assembly", ussd));
      AssemblyLedger a = ledger.assembly(code);
      Set<DayOfWeek> everyDay = EnumSet.allOf(DayOfWeek.class);
      a.registerMarket(new NewMarket("M1", "Bench Market", MarketKind.MARKET, everyDay));
      LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
      a.registerRate(
          new NewRate(
              ChargeItem.DAILY_TOLL,
              "M1",
              null,
              250,
              RatePeriod.DAY,
              Set.of(),
              today.minusYears(1),
              null));
      for (int i = 0; i < traders; i++) {
        a.registerTrader(
            new NewTrader(
                String.format("B%05d", i),
                "Trader " + i,
                phone(i),
                "M1",
                "S" + i,
                "STALL",
                Language.EN));
      }
      for (int d = 3; d >= 0; d--) {
        a.accrueCharges(today.minusDays(d));
      }
    }
    return ussd;
  }

  private static String phone(int i) {
    return String.format("0245%06d", i);
  }

  /** Journeys answered END on the confirm hop, over every run including the warm-ups. */
  private static final AtomicLong COMPLETED = new AtomicLong();

  /** The first reply seen at each step, checked against {@link #EXPECTED} at the end. */
  private static final AtomicReferenceArray<String> SAMPLES =
      new AtomicReferenceArray<>(JOURNEY.length);

  /**
   * The journeys really reached the end: the sampled replies show the expected screens, and the run
   * created exactly one payment per completed journey in the bench assembly.
   */
  private static boolean checkJourneys(String jdbcUrl, String code) throws Exception {
    boolean ok = true;
    for (int i = 0; i < EXPECTED.length; i++) {
      String sample = SAMPLES.get(EXPECTED_STEP[i]);
      if (sample == null || !sample.contains(EXPECTED[i])) {
        System.out.println(
            "CHECK FAILED: step "
                + EXPECTED_STEP[i]
                + " reply lacks '"
                + EXPECTED[i]
                + "': "
                + sample);
        ok = false;
      }
    }
    long completed = COMPLETED.get();
    long payments = -1;
    String sql = "select count(*) from asm_" + code.toLowerCase(Locale.ROOT) + ".payments";
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      // The intent is durable before the END is sent; a short grace covers a slow commit anyway.
      for (int attempt = 0; attempt < 20 && payments != completed; attempt++) {
        if (attempt > 0) {
          Thread.sleep(250);
        }
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery(sql)) {
          rs.next();
          payments = rs.getLong(1);
        }
      }
    }
    System.out.println("check: completed journeys=" + completed + " payments created=" + payments);
    if (completed == 0 || payments != completed) {
      System.out.println("CHECK FAILED: payments created do not match completed journeys");
      ok = false;
    }
    return ok;
  }

  record Result(
      long hops, long errors, Histogram latency, double loadCpuSeconds, double gatewayCpuSeconds) {
    String describe(int sessions, int seconds) {
      return String.format(
          Locale.ROOT,
          "sessions=%d hops=%d hops/s=%.0f errors=%d p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms"
              + " cpu: loadgen %.0f%% gateway %.0f%% (of one core);"
              + " cpu per hop: loadgen %.3fms gateway %.3fms",
          sessions,
          hops,
          hops / (double) seconds,
          errors,
          latency.getValueAtPercentile(50) / 1000.0,
          latency.getValueAtPercentile(99) / 1000.0,
          latency.getValueAtPercentile(99.9) / 1000.0,
          latency.getMaxValue() / 1000.0,
          100 * loadCpuSeconds / seconds,
          100 * gatewayCpuSeconds / seconds,
          1000 * loadCpuSeconds / Math.max(1, hops),
          1000 * gatewayCpuSeconds / Math.max(1, hops));
    }
  }

  private static Result run(
      HttpClient client, String ussd, int sessions, int seconds, Long gatewayPid) throws Exception {
    Recorder recorder = new Recorder(3);
    AtomicLong hops = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch done = new CountDownLatch(sessions);
    double loadCpu0 = processCpuSeconds();
    double gatewayCpu0 = gatewayPid == null ? 0 : cpuSecondsOf(gatewayPid);
    for (int s = 0; s < sessions; s++) {
      new Session(client, ussd, phone(s), recorder, hops, errors, running, done).start();
    }
    Thread.sleep(seconds * 1000L);
    running.set(false);
    done.await(30, TimeUnit.SECONDS);
    double loadCpu = processCpuSeconds() - loadCpu0;
    double gatewayCpu = gatewayPid == null ? 0 : cpuSecondsOf(gatewayPid) - gatewayCpu0;
    return new Result(
        hops.get(), errors.get(), recorder.getIntervalHistogram(), loadCpu, gatewayCpu);
  }

  /** One phone walking journeys back to back until told to stop. */
  private static final class Session {
    private final HttpClient client;
    private final String ussd;
    private final String msisdn;
    private final String fixedFields;
    private final Recorder recorder;
    private final AtomicLong hops;
    private final AtomicLong errors;
    private final AtomicBoolean running;
    private final CountDownLatch done;
    private long journeys;

    Session(
        HttpClient client,
        String ussd,
        String msisdn,
        Recorder recorder,
        AtomicLong hops,
        AtomicLong errors,
        AtomicBoolean running,
        CountDownLatch done) {
      this.client = client;
      this.ussd = ussd;
      this.msisdn = "+233" + msisdn.substring(1);
      this.fixedFields =
          "serviceCode="
              + enc(ussd)
              + "&phoneNumber="
              + enc(this.msisdn)
              + "&networkCode=62001&sessionId=";
      this.recorder = recorder;
      this.hops = hops;
      this.errors = errors;
      this.running = running;
      this.done = done;
    }

    void start() {
      journey();
    }

    private void journey() {
      if (!running.get()) {
        done.countDown();
        return;
      }
      String sessionId = msisdn + "-" + (journeys++) + "-" + System.nanoTime();
      hop(fixedFields + enc(sessionId) + "&text=", 0);
    }

    /** {@code prefix}: every form field but the text, which is the journey's step. */
    private void hop(String prefix, int step) {
      String body = prefix + JOURNEY_ENCODED[step];
      long start = System.nanoTime();
      Future<Buffer> reply =
          client.request(HOP).compose(req -> req.send(body).compose(resp -> resp.body()));
      reply.onComplete(
          ar -> {
            recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
            hops.incrementAndGet();
            boolean last = step == JOURNEY.length - 1;
            String text = ar.succeeded() ? ar.result().toString() : "";
            if (SAMPLES.get(step) == null) {
              SAMPLES.compareAndSet(step, null, text);
            }
            boolean ok =
                ar.succeeded() && (last ? text.startsWith("END ") : text.startsWith("CON "));
            if (!ok) {
              errors.incrementAndGet();
              journey();
            } else if (last) {
              COMPLETED.incrementAndGet();
              journey();
            } else {
              hop(prefix, step + 1);
            }
          });
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static double processCpuSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return 0;
  }

  /** utime + stime of another process from /proc, in seconds (Linux). */
  private static double cpuSecondsOf(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / 100.0;
  }

  /**
   * The heap the target's {@code /metrics} reports, or "n/a" when it has no JVM metrics there (a
   * reference server in another runtime, see bench/reference).
   */
  private static String heapOf(URI gateway) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> response =
        http.send(
            java.net.http.HttpRequest.newBuilder(gateway.resolve("/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    double used = 0;
    boolean found = false;
    for (String line : response.body().lines().toList()) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (response.statusCode() != 200 || !found) {
      return "n/a";
    }
    return Math.round(used / (1024 * 1024)) + " MiB used";
  }
}
