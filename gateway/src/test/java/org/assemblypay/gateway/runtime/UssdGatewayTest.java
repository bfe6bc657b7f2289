package org.assemblypay.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.gateway.http.GatewayHttpServer;
import org.assemblypay.gateway.http.UssdRoutes;
import org.assemblypay.gateway.payments.PaymentsWiring;
import org.assemblypay.gateway.sms.SmsWiring;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.RatePeriod;
import org.assemblypay.ledger.Trader;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.menus.Translations;
import org.assemblypay.menus.collector.SmsCommands;
import org.assemblypay.menus.sms.ReceiptNotifier;
import org.assemblypay.smpp.simulator.ReceivedSms;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's USSD side end to end: the Vert.x front on a real port, the trader menu over real
 * PostgreSQL, the simulator mobile-money provider, the ledger outbox and the SMSC simulator over
 * TCP. Composed like {@code GatewayNode} but without the payment poller, which would poll every
 * assembly of the shared test database.
 */
class UssdGatewayTest {
  private static final String SECRET = "at-" + UUID.randomUUID();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long TOLL_PESEWAS = 300;

  private static final TestDatabase db = TestDatabase.get();
  private static final HttpClient client = HttpClient.newHttpClient();
  private static String code;
  private static String ussdCode;
  private static SmscSimulator smsc;
  private static Ledger ledger;
  private static AssemblyLedger assembly;
  private static ScheduledExecutorService scheduler;
  private static ExecutorService workers;
  private static PaymentsWiring payments;
  private static SmsWiring sms;
  private static UssdWiring ussd;
  private static Vertx vertx;
  private static GatewayHttpServer http;
  private static long collectorId;

  @BeforeAll
  static void start() throws Exception {
    code = TestDatabase.uniqueAssemblyCode("U");
    ussdCode = TestDatabase.uniqueUssdCode();
    smsc = SmscSimulator.start(SimulatorConfig.defaults("gateway", "s3cret"));
    GatewayConfig config =
        new ConfigLoader(Map.of())
            .loadText(
                """
                database: {url: "%s", user: %s, password: %s}
                sessions: {store: memory}
                ussd: {hopDeadlineMillis: 1500}
                aggregators:
                  - {name: africastalking, dialect: africastalking, sharedSecret: "%s",
                     secretQueryParam: key}
                payments:
                  providers:
                    - name: simulator
                      kind: simulator
                      settings: {approvalDelayMillis: "300", callbackDelayMillis: "100"}
                  providerByNetwork: {MTN: simulator, TELECEL: simulator, AIRTELTIGO: simulator}
                smsc:
                  connections:
                    - {name: sim, host: 127.0.0.1, port: %d, systemId: gateway, password: s3cret,
                       defaultSenderId: TST}
                  servedAssemblies: [%s]
                """
                    .formatted(
                        db.jdbcUrl(),
                        yamlOrNull(db.user()),
                        yamlOrNull(db.password()),
                        SECRET,
                        smsc.port(),
                        code));
    ledger =
        Ledger.open(
            LedgerSettings.of(db.jdbcUrl(), db.user(), db.password())
                .withMaxPoolSizePerDatabase(8));
    ledger
        .assemblies()
        .register(
            new NewAssembly(
                code,
                "Gateway Municipal Assembly",
                List.of(ussdCode),
                "GMA",
                ZoneId.of("Africa/Accra"),
                null,
                "0302000222",
                100,
                500_000));
    assembly = ledger.assembly(code);
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    assembly.registerMarket(
        new NewMarket("MAKOLA", "Makola", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
    assembly.registerRate(
        new NewRate(
            ChargeItem.DAILY_TOLL,
            "MAKOLA",
            null,
            TOLL_PESEWAS,
            RatePeriod.DAY,
            Set.of(),
            today.minusYears(1),
            null));
    collectorId =
        assembly
            .registerCollector(
                new NewCollector("S01", "Kwame Collector", "0244100002", "1234", Set.of("MAKOLA")))
            .id();

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Clock clock = Clock.systemUTC();
    Translations translations = Translations.load();
    scheduler = Executors.newScheduledThreadPool(2);
    workers = Executors.newFixedThreadPool(8);
    payments =
        PaymentsWiring.create(
            config.payments(),
            ledger,
            c -> ReceiptNotifier.forAssembly(translations, ledger.assembly(c).assembly()),
            scheduler,
            registry,
            clock);
    sms =
        SmsWiring.start(
            config.smsc(),
            config.database(),
            ledger,
            new SmsCommands(ledger, translations, clock, registry)::handle,
            registry,
            clock);
    ussd = new UssdWiring(config, ledger, payments, translations, workers, registry, clock);
    vertx = Vertx.vertx();
    http =
        GatewayHttpServer.start(vertx, "127.0.0.1", 0, List.of(new UssdRoutes(vertx, ussd.front)));
  }

  private static String yamlOrNull(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (ussd != null) {
      ussd.store.close();
    }
    if (sms != null) {
      sms.close();
    }
    if (payments != null) {
      payments.close();
    }
    if (workers != null) {
      workers.shutdownNow();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (ledger != null) {
      ledger.close();
    }
    if (smsc != null) {
      smsc.close();
    }
    if (code != null) {
      db.dropAssembly(code);
    }
  }

  private static Trader traderWithTodaysToll() {
    String phone = "23324" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    Trader trader =
        assembly.registerTrader(
            new NewTrader(
                "C" + UUID.randomUUID().toString().substring(0, 8),
                "Adwoa Boateng",
                phone,
                "MAKOLA",
                null,
                null,
                Language.EN));
    assembly.accrueCharges(LocalDate.now(ZoneId.of("Africa/Accra")));
    return trader;
  }

  /** One Africa's Talking hop: every input so far joined by {@code *}. */
  private static HttpResponse<String> hop(String query, String sessionId, String phone, String text)
      throws Exception {
    String form =
        "sessionId="
            + sessionId
            + "&serviceCode="
            + URLEncoder.encode(ussdCode, StandardCharsets.UTF_8)
            + "&phoneNumber=%2B"
            + phone
            + "&networkCode=62001&text="
            + URLEncoder.encode(text, StandardCharsets.UTF_8);
    return client.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.port() + "/ussd/africastalking" + query))
            .header("content-type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> hop(String sessionId, String phone, String text)
      throws Exception {
    return hop("?key=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8), sessionId, phone, text);
  }

  @Test
  void aPaymentThatMissesTheHopDeadlineEndsPolitelyAndTheOutcomeFollowsBySms() throws Exception {
    Trader trader = traderWithTodaysToll();
    String phone = trader.phone();
    String session = "gw-" + UUID.randomUUID();
    assertThat(hop(session, phone, "").body()).startsWith("CON Gateway Mun. Assembly");
    assertThat(hop(session, phone, "2").body()).startsWith("CON Pay GHS 3.00");

    String schema = assembly.assembly().schemaName();
    HttpResponse<String> confirmed;
    // Hold the payments table so that writing the intent blocks past the 1.5 s hop deadline.
    try (Connection lock = db.connect()) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE " + schema + ".payments IN SHARE ROW EXCLUSIVE MODE");
      }
      confirmed = hop(session, phone, "2*1");
      assertThat(confirmed.statusCode()).isEqualTo(200);
      assertThat(confirmed.body())
          .isEqualTo(
              "END Sorry, this is taking longer than expected. If anything is due, you will get"
                  + " an SMS.");
      // The aggregator retries the hop: the same answer, the action is not run again.
      assertThat(hop(session, phone, "2*1").body()).isEqualTo(confirmed.body());
      lock.rollback();
    }

    await(
        "the follow-up and the receipt reach the phone through the SMSC",
        () -> smsc.messagesTo(phone).size() >= 2);
    List<String> texts = smsc.messagesTo(phone).stream().map(ReceivedSms::text).toList();
    assertThat(texts)
        .anySatisfy(t -> assertThat(t).startsWith("GMA: your payment request is being processed"));
    assertThat(texts).anySatisfy(t -> assertThat(t).contains(code + "-"));
    // One payment, settled once: today's toll is paid and nothing more was taken.
    await(
        "today's toll paid",
        () -> assembly.amountDueToday(trader.id(), LocalDate.now(ZoneId.of("Africa/Accra"))) == 0);
    assertThat(paymentsOf(schema, trader.id())).isEqualTo(1);
    assertThat(assembly.arrears(trader.id()).totalPesewas()).isZero();
    assertThat(assembly.arrears(trader.id()).creditPesewas()).isZero();
    Thread.sleep(500);
    assertThat(smsc.messagesTo(phone)).hasSize(2);
  }

  @Test
  void theQuerySecretIsCheckedAtTheHttpFront() throws Exception {
    Trader trader = traderWithTodaysToll();
    String phone = trader.phone();
    HttpResponse<String> missing = hop("", "gw-" + UUID.randomUUID(), phone, "");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).doesNotContain(SECRET);
    HttpResponse<String> wrong = hop("?key=nope", "gw-" + UUID.randomUUID(), phone, "");
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> inHeaderOnly =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/ussd/africastalking"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("X-Ussd-Secret", SECRET)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "sessionId=h1&serviceCode=x&phoneNumber=0244000001&text="))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(inHeaderOnly.statusCode()).isEqualTo(401);
    HttpResponse<String> right = hop("gw-" + UUID.randomUUID(), phone, "");
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(right.body()).startsWith("CON ");
  }

  @Test
  void aPaymentIsVisibleOnTheNextHop() throws Exception {
    Trader trader = traderWithTodaysToll();
    String phone = trader.phone();
    String first = "gw-" + UUID.randomUUID();
    hop(first, phone, "");
    assertThat(hop(first, phone, "1").body()).contains("GHS 3.00");
    assembly.postCashPayment(
        new CashPayment("gw-cash-" + UUID.randomUUID(), collectorId, trader.id(), TOLL_PESEWAS),
        ReceiptNotifier.forAssembly(Translations.load(), assembly.assembly()));
    // Back to the main menu and in again: the next read shows the payment.
    assertThat(hop(first, phone, "1*0").body()).startsWith("CON Gateway Mun. Assembly");
    assertThat(hop(first, phone, "1*0*1").body())
        .isEqualTo("END Adwoa Boateng owes nothing. Thank you!");
  }

  private static int paymentsOf(String schema, long traderId) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select count(*) from " + schema + ".payments where trader_id = " + traderId)) {
      r.next();
      return r.getInt(1);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
