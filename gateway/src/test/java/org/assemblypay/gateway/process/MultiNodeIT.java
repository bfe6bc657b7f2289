package org.assemblypay.gateway.process;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
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
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.session.testing.TestRedis;
import org.assemblypay.smpp.simulator.ReceivedSms;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes ({@code java -jar gateway.jar run}) share one PostgreSQL database and one
 * Redis behind a proxy that alternates every session's hops between them; MTN MoMo is WireMock and
 * the SMSC is the project's simulator over TCP. Traders walk whole journeys (dial, arrears, back,
 * pay today's toll, confirm) and one node is SIGKILLed in the middle. Then, from the database:
 * every confirmed journey has exactly one payment, settled once, with one transfer, one receipt and
 * one SMS; no trader paid twice; the provider was asked once per payment; today's accrual, asked of
 * both nodes at once, ran once. Figures are printed and written to {@code
 * target/multinode-result.txt} for docs/BENCHMARKS.md.
 *
 * <p>{@code mvn -Pslow -pl gateway verify -Dtest=MultiNodeIT
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("slow")
class MultiNodeIT {
  private static final String[] JOURNEY = {"", "1", "1*0", "1*0*2", "1*0*2*1"};
  private static final AtomicInteger RESTARTS_AT_START = new AtomicInteger();
  private static final String BUSY = "END Sorry, the service is not available now.";
  private static final int TRADERS = Integer.getInteger("multinode.traders", 160);
  private static final int CONCURRENCY = Integer.getInteger("multinode.concurrency", 16);
  private static final int MAX_TRIES_PER_HOP = 4;
  private static final String ADMIN_KEY = "multinode-platform-key";
  private static final String SMSC_ID = "multinode";
  private static final String SMSC_PASSWORD = "mnpass1";
  private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Africa/Accra"));

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  @Test
  void journeysSurviveANodeKilledUnderLoadAndEveryPaymentCountsOnce(@TempDir Path dir)
      throws Exception {
    TestDatabase db = TestDatabase.get();
    String databaseName =
        "ops_multinode_" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffL, 36);
    String jdbcUrl = db.createDatabase(databaseName);
    String code = TestDatabase.uniqueAssemblyCode("MN");
    String ussdCode = TestDatabase.uniqueUssdCode();
    String phonePrefix = "0245" + ThreadLocalRandom.current().nextInt(100, 999);
    List<GatewayProcess> nodes = new ArrayList<>();
    WireMockServer mtn = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    try (SmscSimulator smsc =
        SmscSimulator.start(SimulatorConfig.defaults(SMSC_ID, SMSC_PASSWORD))) {
      mtn.start();
      stubMtn(mtn);
      Map<String, AtomicInteger> smsByPhone = new ConcurrentHashMap<>();
      smsc.onMessage(
          (ReceivedSms sms) ->
              smsByPhone.computeIfAbsent(sms.to(), k -> new AtomicInteger()).incrementAndGet());
      seed(jdbcUrl, db, code, ussdCode, phonePrefix);

      int[] ports = {GatewayProcess.freePort(), GatewayProcess.freePort()};
      for (int i = 0; i < 2; i++) {
        Path config = dir.resolve("node" + i + ".yaml");
        Files.writeString(config, nodeConfig(ports[i], jdbcUrl, db, mtn.port(), smsc.port(), code));
        nodes.add(startNode(config, dir.resolve("node" + i + ".out")));
      }
      for (int i = 0; i < 2; i++) {
        nodes.set(
            i,
            awaitReadyOrRestartOnce(
                nodes.get(i),
                ports[i],
                dir.resolve("node" + i + ".yaml"),
                dir.resolve("node" + i + ".out")));
      }

      // Both nodes' daily accrual schedulers find today due as they start and race for it; then
      // the same day is asked of both nodes through the admin API at the same moment. Either way
      // the day is posted once (checked again at the end: one accrual transfer).
      awaitTodaysCharges(jdbcUrl, db, code);
      List<CompletableFuture<HttpResponse<String>>> accruals = new ArrayList<>();
      for (int port : ports) {
        accruals.add(accrue(port, code));
      }
      int chargesCreated = 0;
      for (CompletableFuture<HttpResponse<String>> a : accruals) {
        HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        chargesCreated +=
            Integer.parseInt(r.body().replaceAll(".*\"chargesCreated\":(\\d+).*", "$1"));
      }
      assertThat(chargesCreated).as("today already accrued once by a scheduler").isZero();

      try (HopAlternatingProxy proxy =
          HopAlternatingProxy.start(
              List.of(
                  URI.create("http://127.0.0.1:" + ports[0]),
                  URI.create("http://127.0.0.1:" + ports[1])))) {
        // A few dials straight at each node first (a number no trader has), so the load does not
        // meet two cold JVMs.
        for (int port : ports) {
          warmUp(port, ussdCode);
        }
        Load load = new Load(proxy.port(), ussdCode, phonePrefix, nodes.get(0), proxy);
        load.run();

        String figures =
            load.describe()
                + String.format(
                    Locale.ROOT,
                    "; proxy: node0 %d, node1 %d requests, %d failed over, %d answered 502",
                    proxy.served(0),
                    proxy.served(1),
                    proxy.failedOver(),
                    proxy.badGateway());
        assertThat(load.wrongScreens).as("screens that were not the next step").isEmpty();
        assertThat(load.confirmed).as("some journeys confirmed").hasSizeGreaterThan(TRADERS / 2);
        assertThat(load.spanningKill.get())
            .as("journeys in progress when the node died")
            .isPositive();
        assertThat(load.spanningKillCompleted.get()).isEqualTo(load.spanningKill.get());
        assertThat(nodes.get(1).process().isAlive()).isTrue();

        long settleStart = System.nanoTime();
        awaitSettled(jdbcUrl, db, code, load.confirmed.size());
        long settleMillis = (System.nanoTime() - settleStart) / 1_000_000;
        Checks checks = check(jdbcUrl, db, code, load, smsByPhone, mtn);
        String result =
            figures
                + String.format(
                    Locale.ROOT,
                    "; settled and SMS sent %d ms after the load; payments %d, provider requests %d"
                        + " (%d references asked twice), status checks %d, SMS %d; nodes restarted"
                        + " while starting %d; load %s",
                    settleMillis,
                    checks.payments,
                    checks.providerRequests,
                    checks.referencesAskedTwice,
                    checks.statusChecks,
                    checks.sms,
                    RESTARTS_AT_START.get(),
                    Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("MULTINODE " + result);

        // The survivor stops cleanly on Ctrl-C, as `run` under an orchestrator's SIGTERM would.
        GatewayProcess survivor = nodes.get(1);
        survivor.interrupt();
        assertThat(survivor.awaitExit(Duration.ofSeconds(60))).isEqualTo(130);
        assertThat(survivor.output()).contains("Gateway stopped.");
        assertThat(GatewayProcess.portInUse(ports[1])).isFalse();
        Files.writeString(Path.of("target", "multinode-result.txt"), result + "\n");
      }
    } finally {
      nodes.forEach(GatewayProcess::close);
      mtn.stop();
      db.dropDatabase(databaseName);
    }
  }

  private void warmUp(int port, String ussdCode) throws Exception {
    for (int i = 0; i < 10; i++) {
      String body =
          "sessionId="
              + enc("warm-" + UUID.randomUUID())
              + "&serviceCode="
              + enc(ussdCode)
              + "&phoneNumber="
              + enc("+233209999" + String.format("%03d", i))
              + "&networkCode=62001&text=";
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/ussd/africastalking"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  private static GatewayProcess startNode(Path config, Path out) throws java.io.IOException {
    return GatewayProcess.start(
        List.of("-Xmx256m"),
        List.of("run", "--config", config.toString()),
        Map.of(
            "GATEWAY_LOG_LEVEL", "WARN",
            // Secrets from the environment, as a deployment gives them.
            "GATEWAY_PAYMENTS_PROVIDERS_0_API_KEY", "mtn-api-key",
            "GATEWAY_SMSC_CONNECTIONS_0_PASSWORD", SMSC_PASSWORD),
        out);
  }

  /**
   * A node that exits while starting is started once more, as a supervisor would: on this loaded
   * two-core machine Redis' 1 s connection handshake has been seen to time out at start-up.
   */
  private static GatewayProcess awaitReadyOrRestartOnce(
      GatewayProcess node, int port, Path config, Path out) throws Exception {
    try {
      node.awaitReady(port);
      return node;
    } catch (AssertionError e) {
      if (node.process().isAlive()) {
        throw e;
      }
      System.out.println(
          "MULTINODE node on port " + port + " exited while starting; restarting it");
      GatewayProcess again = startNode(config, out);
      again.awaitReady(port);
      return again;
    }
  }

  /**
   * One trader per journey, {@link #CONCURRENCY} at a time; node 0 is killed a third of the way.
   */
  private final class Load {
    private final int proxyPort;
    private final String ussdCode;
    private final String phonePrefix;
    private final GatewayProcess victim;
    private final HopAlternatingProxy proxy;
    boolean killedDuringConfirm;
    private final ConcurrentLinkedQueue<Integer> traders = new ConcurrentLinkedQueue<>();
    final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    final List<String> wrongScreens = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicLong hops = new AtomicLong();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong errorsAfterKill = new AtomicLong();
    final AtomicLong lastErrorAfterKillNanos = new AtomicLong();
    final AtomicInteger spanningKill = new AtomicInteger();
    final AtomicInteger spanningKillCompleted = new AtomicInteger();
    final AtomicInteger abandoned = new AtomicInteger();
    final AtomicInteger busyDials = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicIntegerArray retriedByStep =
        new java.util.concurrent.atomic.AtomicIntegerArray(JOURNEY.length);
    volatile long killedAtNanos;
    private long startNanos;
    private long endNanos;

    Load(
        int proxyPort,
        String ussdCode,
        String phonePrefix,
        GatewayProcess victim,
        HopAlternatingProxy proxy) {
      this.proxy = proxy;
      this.proxyPort = proxyPort;
      this.ussdCode = ussdCode;
      this.phonePrefix = phonePrefix;
      this.victim = victim;
      for (int i = 0; i < TRADERS; i++) {
        traders.add(i);
      }
    }

    void run() throws Exception {
      long killAfterHops = (long) TRADERS * JOURNEY.length / 3;
      ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
      startNanos = System.nanoTime();
      List<CompletableFuture<Void>> walkers = new ArrayList<>();
      for (int c = 0; c < CONCURRENCY; c++) {
        walkers.add(CompletableFuture.runAsync(this::walkUntilDone, pool));
      }
      while (hops.get() < killAfterHops && !allDone(walkers)) {
        Thread.sleep(5);
      }
      // The hardest moment: a confirmation (the hop that starts a payment) waiting on node 0.
      long waitForConfirmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (proxy.inFlight(0, JOURNEY.length - 1) == 0
          && System.nanoTime() < waitForConfirmUntil
          && !allDone(walkers)) {
        Thread.sleep(1);
      }
      killedDuringConfirm = proxy.inFlight(0, JOURNEY.length - 1) > 0;
      killedAtNanos = System.nanoTime();
      victim.kill();
      CompletableFuture.allOf(walkers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      endNanos = System.nanoTime();
      pool.shutdown();
      assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private boolean allDone(List<CompletableFuture<Void>> walkers) {
      return walkers.stream().allMatch(CompletableFuture::isDone);
    }

    private void walkUntilDone() {
      Integer t;
      while ((t = traders.poll()) != null) {
        try {
          walk(t);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private void walk(int trader) throws InterruptedException {
      boolean startedBeforeKill = killedAtNanos == 0;
      boolean done = walkJourney(trader);
      if (startedBeforeKill && killedAtNanos != 0) {
        spanningKill.incrementAndGet();
        if (done) {
          spanningKillCompleted.incrementAndGet();
        }
      }
    }

    private boolean walkJourney(int trader) throws InterruptedException {
      String msisdn = "+233" + phone(phonePrefix, trader).substring(1);
      String session = "mn-" + trader + "-" + UUID.randomUUID();
      int redials = 0;
      for (int step = 0; step < JOURNEY.length; step++) {
        boolean last = step == JOURNEY.length - 1;
        String reply = hopWithRetries(session, msisdn, JOURNEY[step], step);
        if (reply == null) {
          abandoned.incrementAndGet();
          return false;
        }
        hops.incrementAndGet();
        if (step == 0 && reply.startsWith(BUSY) && redials++ < 3) {
          // The gateway's polite refusal when overloaded, before anything was chosen: the trader
          // dials again (a new session), as a person would.
          busyDials.incrementAndGet();
          session = "mn-" + trader + "-" + UUID.randomUUID();
          step = -1;
          Thread.sleep(500);
          continue;
        }
        if (!reply.startsWith(last ? "END " : "CON ")) {
          wrongScreens.add(trader + " step " + step + ": " + reply);
          return false;
        }
      }
      confirmed.add(phone(phonePrefix, trader));
      return true;
    }

    /** What an aggregator does when the gateway fails a hop: the same hop again, shortly after. */
    private String hopWithRetries(String session, String msisdn, String text, int step)
        throws InterruptedException {
      for (int i = 0; i < MAX_TRIES_PER_HOP; i++) {
        if (i == 1) {
          retriedByStep.incrementAndGet(step);
        }
        attempts.incrementAndGet();
        try {
          HttpResponse<String> r =
              http.send(hopRequest(session, msisdn, text), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return r.body();
          }
        } catch (java.io.IOException e) {
          // counted below
        }
        errors.incrementAndGet();
        if (killedAtNanos != 0) {
          errorsAfterKill.incrementAndGet();
          lastErrorAfterKillNanos.accumulateAndGet(System.nanoTime(), Math::max);
        }
        Thread.sleep(200);
      }
      return null;
    }

    private HttpRequest hopRequest(String session, String msisdn, String text) {
      String body =
          "sessionId="
              + enc(session)
              + "&serviceCode="
              + enc(ussdCode)
              + "&phoneNumber="
              + enc(msisdn)
              + "&networkCode=62001&text="
              + enc(text);
      return HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + proxyPort + "/ussd/africastalking"))
          .timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .build();
    }

    String describe() {
      double seconds = (endNanos - startNanos) / 1e9;
      long recoveryMillis =
          lastErrorAfterKillNanos.get() == 0
              ? 0
              : (lastErrorAfterKillNanos.get() - killedAtNanos) / 1_000_000;
      return String.format(
          Locale.ROOT,
          "traders %d, concurrency %d, journeys confirmed %d, abandoned %d, hops %d (%d attempts)"
              + " in %.1f s (%.0f hops/s); node0 SIGKILLed after %.1f s; journeys spanning the"
              + " kill %d, all completed on node1; client-seen errors %d (%d after the kill), last"
              + " error %d ms after the kill; killed with a confirmation in flight on it: %s;"
              + " hops retried by step (dial..confirm) %s; dials"
              + " answered busy and dialled again %d",
          TRADERS,
          CONCURRENCY,
          confirmed.size(),
          abandoned.get(),
          hops.get(),
          attempts.get(),
          seconds,
          hops.get() / seconds,
          (killedAtNanos - startNanos) / 1e9,
          spanningKill.get(),
          errors.get(),
          errorsAfterKill.get(),
          recoveryMillis,
          killedDuringConfirm,
          retriedByStep,
          busyDials.get());
    }
  }

  private record Checks(
      int payments, int providerRequests, int referencesAskedTwice, int statusChecks, int sms) {}

  private Checks check(
      String jdbcUrl,
      TestDatabase db,
      String code,
      Load load,
      Map<String, AtomicInteger> smsByPhone,
      WireMockServer mtn)
      throws SQLException {
    String schema = "asm_" + code.toLowerCase(Locale.ROOT);
    try (Connection c = connect(jdbcUrl, db);
        Statement s = c.createStatement()) {
      s.execute("set search_path to " + schema);
      Map<String, Integer> paymentsByPhone = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery(
              "select t.phone, count(*) from payments p join traders t on t.id = p.trader_id"
                  + " group by t.phone")) {
        while (rs.next()) {
          paymentsByPhone.put(rs.getString(1), rs.getInt(2));
        }
      }
      assertThat(paymentsByPhone.values()).as("no trader paid twice").allMatch(n -> n == 1);
      for (String phone : load.confirmed) {
        assertThat(paymentsByPhone)
            .as("a confirmed journey has its payment")
            .containsKey(local(phone));
      }
      int payments = paymentsByPhone.size();
      assertThat(count(s, "select count(*) from payments where status <> 'SUCCESSFUL' or suspense"))
          .as("every payment settled in full")
          .isZero();
      assertThat(count(s, "select count(distinct transfer_id) from payments")).isEqualTo(payments);
      assertThat(count(s, "select count(*) from transfers where kind = 'MOMO_PAYMENT'"))
          .as("one transfer per payment")
          .isEqualTo(payments);
      assertThat(
              count(
                  s,
                  "select count(*) from receipts r join payments p on p.transfer_id = r.transfer_id"))
          .as("one receipt per payment")
          .isEqualTo(payments);
      assertThat(
              count(
                  s,
                  "select count(*) from sms_outbox o join payments p on p.transfer_id = o.transfer_id"
                      + " where o.status in ('SUBMITTED', 'DELIVERED')"))
          .as("one receipt SMS per payment, sent")
          .isEqualTo(payments);
      assertThat(count(s, "select count(*) from sms_outbox")).isEqualTo(payments);
      assertThat(
              count(
                  s,
                  "select count(distinct accrual_transfer_id) from charges where due_date = '"
                      + TODAY
                      + "'"))
          .as("today's accrual: one transfer")
          .isEqualTo(1);
      assertThat(
              count(
                  s,
                  "select count(*) from (select t.id from transfers t join postings p on"
                      + " p.transfer_id = t.id group by t.id having sum(p.amount_pesewas) <> 0) x"))
          .as("balanced transfers")
          .isZero();
      assertThat(
              count(
                  s,
                  "select count(*) from accounts a where a.balance_pesewas <> coalesce((select"
                      + " sum(p.amount_pesewas) from postings p where p.account_id = a.id), 0)"))
          .as("balances equal their postings")
          .isZero();
      // The SMSC received each receipt once.
      int sms = smsByPhone.values().stream().mapToInt(AtomicInteger::get).sum();
      assertThat(smsByPhone.values()).as("one SMS per payer").allMatch(n -> n.get() == 1);
      assertThat(sms).isEqualTo(payments);
      // The provider was asked once per payment (a re-send after a node died carries the same
      // X-Reference-Id, which MTN answers 409, so the payer is prompted once).
      List<LoggedRequest> asked =
          mtn.findAll(postRequestedFor(urlEqualTo("/collection/v1_0/requesttopay")));
      Map<String, Long> perReference =
          asked.stream()
              .collect(
                  Collectors.groupingBy(r -> r.getHeader("X-Reference-Id"), Collectors.counting()));
      assertThat(perReference).hasSize(payments);
      int statusChecks =
          mtn.findAll(
                  com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                      urlPathMatching("/collection/v1_0/requesttopay/.*")))
              .size();
      return new Checks(
          payments,
          asked.size(),
          (int) perReference.values().stream().filter(n -> n > 1).count(),
          statusChecks,
          sms);
    }
  }

  private static int count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Waits until a scheduler has posted today's toll for every trader. */
  private static void awaitTodaysCharges(String jdbcUrl, TestDatabase db, String code)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String schema = "asm_" + code.toLowerCase(Locale.ROOT);
    while (true) {
      try (Connection c = connect(jdbcUrl, db);
          Statement s = c.createStatement()) {
        int n =
            count(
                s, "select count(*) from " + schema + ".charges where due_date = '" + TODAY + "'");
        if (n == TRADERS) {
          return;
        }
        assertThat(n)
            .as("today's charges never exceed one per trader")
            .isLessThanOrEqualTo(TRADERS);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no scheduler accrued today's charges within 90 s");
      }
      Thread.sleep(250);
    }
  }

  private static void awaitSettled(String jdbcUrl, TestDatabase db, String code, int confirmed)
      throws Exception {
    String schema = "asm_" + code.toLowerCase(Locale.ROOT);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    try (Connection c = connect(jdbcUrl, db);
        Statement s = c.createStatement()) {
      s.execute("set search_path to " + schema);
      while (System.nanoTime() < deadline) {
        int open =
            count(s, "select count(*) from payments where status in ('INITIATED', 'PENDING')");
        int unsent = count(s, "select count(*) from sms_outbox where status = 'QUEUED'");
        int payments = count(s, "select count(*) from payments");
        if (open == 0 && unsent == 0 && payments >= confirmed) {
          return;
        }
        Thread.sleep(500);
      }
    }
    throw new AssertionError("payments or SMS still open after 5 minutes");
  }

  private static Connection connect(String jdbcUrl, TestDatabase db) throws SQLException {
    java.util.Properties p = new java.util.Properties();
    if (db.user() != null) {
      p.setProperty("user", db.user());
    }
    if (db.password() != null) {
      p.setProperty("password", db.password());
    }
    return java.sql.DriverManager.getConnection(jdbcUrl, p);
  }

  private static void seed(
      String jdbcUrl, TestDatabase db, String code, String ussdCode, String phonePrefix) {
    try (Ledger ledger = Ledger.open(LedgerSettings.of(jdbcUrl, db.user(), db.password()))) {
      ledger
          .assemblies()
          .register(NewAssembly.inMainDatabase(code, "Multinode Municipal Assembly", ussdCode));
      AssemblyLedger a = ledger.assembly(code);
      Set<DayOfWeek> everyDay = EnumSet.allOf(DayOfWeek.class);
      a.registerMarket(new NewMarket("M1", "Two Node Market", MarketKind.MARKET, everyDay));
      a.registerRate(
          new NewRate(
              ChargeItem.DAILY_TOLL,
              "M1",
              null,
              250,
              RatePeriod.DAY,
              Set.of(),
              TODAY.minusYears(1),
              null));
      for (int i = 0; i < TRADERS; i++) {
        a.registerTrader(
            new NewTrader(
                String.format("N%05d", i),
                "Trader " + i,
                phone(phonePrefix, i),
                "M1",
                "S" + i,
                "STALL",
                Language.EN));
      }
      for (int d = 3; d >= 1; d--) {
        a.accrueCharges(TODAY.minusDays(d));
      }
    }
  }

  private static String phone(String prefix, int i) {
    return prefix + String.format("%03d", i);
  }

  /** 0245xxxxxx as the ledger stores it (233…). */
  private static String local(String phone) {
    return "233" + phone.substring(1);
  }

  private static void stubMtn(WireMockServer mtn) {
    mtn.stubFor(
        post(urlEqualTo("/collection/token/"))
            .willReturn(
                okJson(
                    "{\"access_token\":\"t\",\"token_type\":\"access_token\",\"expires_in\":3600}")));
    mtn.stubFor(
        post(urlEqualTo("/collection/v1_0/requesttopay")).willReturn(aResponse().withStatus(202)));
    mtn.stubFor(
        get(urlPathMatching("/collection/v1_0/requesttopay/[0-9a-f-]{36}"))
            .willReturn(
                okJson(
                    "{\"amount\":\"2.50\",\"currency\":\"GHS\",\"financialTransactionId\":\"FT-MN\","
                        + "\"status\":\"SUCCESSFUL\"}")));
  }

  private CompletableFuture<HttpResponse<String>> accrue(int port, String code) {
    return http.sendAsync(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/assemblies/" + code + "/accruals"))
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString("{\"day\":\"" + TODAY + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String nodeConfig(
      int port, String jdbcUrl, TestDatabase db, int mtnPort, int smscPort, String code)
      throws Exception {
    String keySha =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(ADMIN_KEY.getBytes(StandardCharsets.UTF_8)));
    return String.join(
        "\n",
        "http: {port: " + port + ", host: 127.0.0.1, workerPoolSize: 8}",
        "database:",
        "  url: \"" + jdbcUrl + "\"",
        db.user() == null ? "" : "  user: " + db.user(),
        db.password() == null ? "" : "  password: \"" + db.password() + "\"",
        "  poolSize: 6",
        "sessions: {store: redis, redisUrl: \"" + TestRedis.url() + "\"}",
        // A loaded two-core machine: a generous hop deadline so the test measures failover, not
        // CPU.
        "ussd: {hopDeadlineMillis: 10000}",
        // Both nodes run the daily accrual, scoped to this test's assembly, due from midnight.
        "accrual: {enabled: true, timeOfDay: \"00:00\", checkIntervalSeconds: 5, assemblies: ["
            + code
            + "]}",
        "aggregators:",
        "  - {name: africastalking, dialect: africastalking}",
        "payments:",
        "  providers:",
        "    - name: mtn-gh",
        "      kind: mtn_momo",
        "      baseUrl: http://127.0.0.1:" + mtnPort,
        "      apiUser: 0f0e0d0c-0b0a-4000-8000-000000000001",
        "      subscriptionKey: mtn-subscription",
        "      targetEnvironment: mtnghana",
        "  providerByNetwork: {MTN: mtn-gh, TELECEL: mtn-gh, AIRTELTIGO: mtn-gh}",
        "smsc:",
        "  connections:",
        "    - {name: sim, host: 127.0.0.1, port: "
            + smscPort
            + ", systemId: "
            + SMSC_ID
            + ", windowSize: 10, messagesPerSecond: -1, defaultSenderId: "
            + code
            + "}",
        "  servedAssemblies: [" + code + "]",
        "admin:",
        "  credentials:",
        "    - {name: multinode-platform, keySha256: "
            + keySha
            + ", role: platform-admin, assembly: \"*\"}",
        "");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
