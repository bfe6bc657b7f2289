package org.assemblypay.payments.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.IdempotencyConflictException;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A callback names only a reference: the control schema's index routes it to the one assembly that
 * holds it (here B, in its own database, while A exists in the main one) without asking any other,
 * and a reference cannot be moved into another assembly.
 */
class ReferenceIndexTest {

  private static final String MTN = "mtn-gh";
  private static final String RTP = "/collection/v1_0/requesttopay";
  private static final String SUCCESSFUL =
      "{\"amount\":\"5.00\",\"currency\":\"GHS\",\"financialTransactionId\":\"1520369414\","
          + "\"status\":\"SUCCESSFUL\"}";

  @RegisterExtension
  static WireMockExtension mtn =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static BridgeFixture world; // assembly A, in the main database
  private static String dbName;
  private static String dbUrl;
  private static String codeB;
  private static AssemblyLedger assemblyB;
  private static long traderB;

  private MutableClock clock;
  private PaymentService node;

  @BeforeAll
  static void openWorld() {
    world = new BridgeFixture("RIA");
    codeB = TestDatabase.uniqueAssemblyCode("RIB");
    dbName = "pay_" + codeB.toLowerCase(Locale.ROOT);
    try {
      dbUrl = world.db.createDatabase(dbName);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    world
        .ledger
        .assemblies()
        .register(
            NewAssembly.inMainDatabase(
                    codeB, "Own-database " + codeB, TestDatabase.uniqueUssdCode())
                .withOwnJdbcUrl(dbUrl));
    assemblyB = world.ledger.assembly(codeB);
    assemblyB.registerMarket(
        new NewMarket("MKT", "Kejetia", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
    traderB =
        assemblyB
            .registerTrader(
                new NewTrader(
                    "B" + UUID.randomUUID().toString().substring(0, 12),
                    "Kofi Boateng",
                    "0244765432",
                    "MKT",
                    null,
                    null,
                    Language.EN))
            .id();
  }

  @AfterAll
  static void closeWorld() throws Exception {
    world.close();
    world.db.dropAssembly(codeB);
    world.db.dropDatabase(dbName);
  }

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.now());
    mtn.stubFor(
        post(urlEqualTo("/collection/token/"))
            .willReturn(
                okJson(
                    "{\"access_token\":\"t1\",\"token_type\":\"access_token\",\"expires_in\":3600}")));
    mtn.stubFor(post(urlEqualTo(RTP)).willReturn(aResponse().withStatus(202)));
    statusIs("{\"status\":\"PENDING\"}");
    newNode();
  }

  /**
   * A node's scheduled work (an early callback's retry) must not run into the next test, whose
   * counters it would move.
   */
  @AfterEach
  void closeNode() {
    node.close();
  }

  private void newNode() {
    node =
        world.service(
            List.of(TestProviders.mtn(mtn.baseUrl(), 2_000, Map.of())),
            BridgeFixture.routing(MTN, null),
            clock,
            settings -> settings.withServedAssemblies(Set.of(world.code, codeB)));
  }

  private static void statusIs(String json) {
    mtn.stubFor(get(urlPathMatching(RTP + "/.*")).willReturn(okJson(json)));
  }

  private static PaymentOrder orderInB(String payer) {
    return new PaymentOrder(
        codeB,
        traderB,
        Msisdn.parse(payer).orElseThrow(),
        BridgeFixture.AMOUNT_PESEWAS,
        PaymentPurpose.AMOUNT,
        Language.EN,
        Optional.empty(),
        "Kejetia daily toll",
        "Test toll");
  }

  private UUID started(PaymentOrder order) throws Exception {
    PaymentService.Dispatch dispatch = node.dispatch(order);
    dispatch.sent().get(10, TimeUnit.SECONDS);
    return ((StartResult.Started) dispatch.result()).reference();
  }

  private PaymentService.Intake callback(UUID reference) throws Exception {
    byte[] body =
        ("{\"financialTransactionId\":\"1520369414\",\"externalId\":\""
                + reference
                + "\",\"amount\":\"5.00\",\"currency\":\"GHS\",\"status\":\"SUCCESSFUL\"}")
            .getBytes(StandardCharsets.UTF_8);
    PaymentService.Intake intake = node.receive(MTN, Map.of(), body);
    intake.confirmed().get(10, TimeUnit.SECONDS);
    return intake;
  }

  private static double count(String name, String tag, String value) {
    Counter counter = world.meters.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Transfers for the payment in B's own database, as "KIND:amount". */
  private static List<String> transfersInB(UUID reference) throws Exception {
    String schema = world.ledger.assemblies().find(codeB).orElseThrow().schemaName();
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(dbUrl, world.db.user(), world.db.password());
        PreparedStatement s =
            c.prepareStatement(
                "select kind || ':' || amount_pesewas from "
                    + schema
                    + ".transfers where idempotency_key = ?")) {
      s.setString(1, MTN + ":" + reference);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
    }
    return out;
  }

  @Test
  void aCallbackForAPaymentInBIsRoutedToBAloneAndCountedOnce() throws Exception {
    UUID reference = started(orderInB("0244123678"));
    statusIs(SUCCESSFUL);
    assertThat(world.ledger.paymentReferences().assemblyOf(reference)).contains(codeB);
    // A fresh node: nothing remembered, only the index can say where the reference lives.
    node.close();
    newNode();
    double askedA = count(PaymentMetrics.ASSEMBLY_LOOKUPS, "assembly", world.code);

    assertThat(callback(reference).answer().statusCode()).isEqualTo(200);

    assertThat(assemblyB.payment(reference).orElseThrow().status())
        .isEqualTo(PaymentStatus.SUCCESSFUL);
    assertThat(transfersInB(reference)).containsExactly("MOMO_PAYMENT:" + 500);
    assertThat(count(PaymentMetrics.ASSEMBLY_LOOKUPS, "assembly", world.code))
        .as("assembly A was never asked")
        .isEqualTo(askedA);
    assertThat(count(PaymentMetrics.ASSEMBLY_LOOKUPS, "assembly", codeB)).isPositive();

    // Replayed twice, with poll rounds: counted once.
    for (int i = 0; i < 2; i++) {
      callback(reference);
      clock.advance(Duration.ofMinutes(1));
      node.pollOnce().get(20, TimeUnit.SECONDS);
    }
    assertThat(transfersInB(reference)).containsExactly("MOMO_PAYMENT:" + 500);
  }

  @Test
  void anUnknownReferenceGets200AndAsksNoAssembly() throws Exception {
    double before =
        world.meters.find(PaymentMetrics.ASSEMBLY_LOOKUPS).counters().stream()
            .mapToDouble(Counter::count)
            .sum();
    double notIndexed = count(PaymentMetrics.REFERENCE_LOOKUPS, "result", "not_indexed");

    assertThat(callback(UUID.randomUUID()).answer().statusCode()).isEqualTo(200);

    double after =
        world.meters.find(PaymentMetrics.ASSEMBLY_LOOKUPS).counters().stream()
            .mapToDouble(Counter::count)
            .sum();
    assertThat(after).as("no assembly asked").isEqualTo(before);
    assertThat(count(PaymentMetrics.REFERENCE_LOOKUPS, "result", "not_indexed"))
        .isGreaterThan(notIndexed);
  }

  @Test
  void aReferenceOfAssemblyACannotBeStartedOrSettledInB() throws Exception {
    // A's payment, pending at the provider.
    UUID referenceA = started(world.order("0244123678"));
    assertThat(world.ledger.paymentReferences().assemblyOf(referenceA)).contains(world.code);

    // Someone forges B's start with A's reference: the index refuses before any intent exists.
    assertThatThrownBy(() -> world.ledger.paymentReferences().record(referenceA, codeB))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(world.ledger.paymentReferences().assemblyOf(referenceA)).contains(world.code);
    assertThat(assemblyB.payment(referenceA)).isEmpty();

    // A callback naming A's reference reaches A's payment only, confirmed by the status query
    // (still pending): nothing is posted anywhere.
    callback(referenceA);
    assertThat(world.payment(referenceA).status()).isEqualTo(PaymentStatus.PENDING);
    world.assertNoMoney(MTN, referenceA);
    assertThat(transfersInB(referenceA)).isEmpty();
  }

  @Test
  void aPaymentWrittenBeforeTheIndexIsIndexedWhenPolledAndThenFoundByItsCallback()
      throws Exception {
    UUID legacy = UUID.randomUUID();
    assemblyB.createPaymentIntent(
        new NewPayment(
            legacy, MTN, traderB, "0244123678", 500, PaymentPurpose.AMOUNT, Language.EN));
    statusIs(SUCCESSFUL);
    assertThat(world.ledger.paymentReferences().assemblyOf(legacy)).isEmpty();

    // Not indexed: the callback alone cannot find it (no scan), and nothing is revealed.
    assertThat(callback(legacy).answer().statusCode()).isEqualTo(200);

    // The poller claims it (first poll is 20 s after the intent), indexes it and settles it.
    clock.advance(Duration.ofMinutes(1));
    node.pollOnce().get(20, TimeUnit.SECONDS);
    assertThat(world.ledger.paymentReferences().assemblyOf(legacy)).contains(codeB);
    assertThat(transfersInB(legacy)).containsExactly("MOMO_PAYMENT:" + 500);
    callback(legacy);
    assertThat(transfersInB(legacy)).containsExactly("MOMO_PAYMENT:" + 500);
  }
}
