package org.assemblypay.payments.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.Payment;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lifecycle against MTN MoMo stood in for by WireMock: every way a payment can go. */
class MtnLifecycleTest {

  private static final String MTN = "mtn-gh";
  private static final String TOKEN = "/collection/token/";
  private static final String RTP = "/collection/v1_0/requesttopay";
  private static final String PAYER = "0244123678";

  @RegisterExtension
  static WireMockExtension mtn =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static BridgeFixture world;
  private MutableClock clock;

  @BeforeAll
  static void openWorld() {
    world = new BridgeFixture("MTN");
  }

  @AfterAll
  static void closeWorld() throws Exception {
    world.close();
  }

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.now());
  }

  private PaymentService node() {
    return node(settings -> settings);
  }

  private PaymentService node(java.util.function.UnaryOperator<PaymentSettings> tweak) {
    return world.service(
        List.of(
            TestProviders.mtn(mtn.baseUrl(), 2_000, Map.of("loginFailureBackoffMillis", "30000"))),
        BridgeFixture.routing(MTN, null),
        clock,
        tweak);
  }

  // --- stubs

  private static void tokenIs(String bearer) {
    mtn.stubFor(
        post(urlEqualTo(TOKEN))
            .willReturn(
                okJson(
                    "{\"access_token\":\""
                        + bearer
                        + "\",\"token_type\":\"access_token\",\"expires_in\":3600}")));
  }

  private static void requestsAnswer(int httpStatus) {
    mtn.stubFor(post(urlEqualTo(RTP)).willReturn(aResponse().withStatus(httpStatus)));
  }

  private static void statusIs(String json) {
    mtn.stubFor(get(urlPathMatching(RTP + "/.*")).willReturn(okJson(json)));
  }

  private static String successful(String amount) {
    return "{\"amount\":\""
        + amount
        + "\",\"currency\":\"GHS\",\"financialTransactionId\":\"1520369414\","
        + "\"status\":\"SUCCESSFUL\"}";
  }

  private static final String PENDING = "{\"status\":\"PENDING\"}";

  /** Status 404 until the request with this reference is (re-)sent, then SUCCESSFUL. */
  private static void paysOnceSent(UUID reference) {
    String scenario = "pay-" + reference;
    mtn.stubFor(
        get(urlEqualTo(RTP + "/" + reference))
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(404)));
    mtn.stubFor(
        post(urlEqualTo(RTP))
            .withHeader("X-Reference-Id", equalTo(reference.toString()))
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(202))
            .willSetStateTo("sent"));
    mtn.stubFor(
        post(urlEqualTo(RTP))
            .withHeader("X-Reference-Id", equalTo(reference.toString()))
            .inScenario(scenario)
            .whenScenarioStateIs("sent")
            .willReturn(aResponse().withStatus(409)));
    mtn.stubFor(
        get(urlEqualTo(RTP + "/" + reference))
            .inScenario(scenario)
            .whenScenarioStateIs("sent")
            .willReturn(okJson(successful("5.00"))));
  }

  // --- driving

  private UUID started(PaymentService node) throws Exception {
    PaymentService.Dispatch dispatch = node.dispatch(world.order(PAYER));
    dispatch.sent().get(10, TimeUnit.SECONDS);
    return ((StartResult.Started) dispatch.result()).reference();
  }

  private static byte[] callbackBody(UUID reference) {
    return ("{\"financialTransactionId\":\"1520369414\",\"externalId\":\""
            + reference
            + "\",\"amount\":\"5.00\",\"currency\":\"GHS\",\"status\":\"SUCCESSFUL\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void callback(PaymentService node, UUID reference) throws Exception {
    PaymentService.Intake intake = node.receive(MTN, Map.of(), callbackBody(reference));
    assertThat(intake.answer().statusCode()).isEqualTo(200);
    intake.confirmed().get(10, TimeUnit.SECONDS);
  }

  private void pollAfter(PaymentService node, Duration duration) throws Exception {
    clock.advance(duration);
    node.pollOnce().get(20, TimeUnit.SECONDS);
  }

  /** Each money path is replayed twice: callbacks and poll rounds change nothing more. */
  private void replayTwice(PaymentService node, UUID reference) throws Exception {
    for (int i = 0; i < 2; i++) {
      callback(node, reference);
      pollAfter(node, Duration.ofMinutes(2));
    }
  }

  // --- the tests of issue 4

  @Test
  void tokenExpiredMidFlightIsRefreshedOnceAndThePaymentSettlesOnce() throws Exception {
    mtn.stubFor(
        post(urlEqualTo(TOKEN))
            .inScenario("tokens")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                okJson(
                    "{\"access_token\":\"t1\",\"token_type\":\"access_token\",\"expires_in\":3600}"))
            .willSetStateTo("second"));
    mtn.stubFor(
        post(urlEqualTo(TOKEN))
            .inScenario("tokens")
            .whenScenarioStateIs("second")
            .willReturn(
                okJson(
                    "{\"access_token\":\"t2\",\"token_type\":\"access_token\",\"expires_in\":3600}")));
    requestsAnswer(202);
    mtn.stubFor(
        get(urlPathMatching(RTP + "/.*"))
            .withHeader("Authorization", equalTo("Bearer t1"))
            .willReturn(aResponse().withStatus(401)));
    mtn.stubFor(
        get(urlPathMatching(RTP + "/.*"))
            .withHeader("Authorization", equalTo("Bearer t2"))
            .willReturn(okJson(successful("5.00"))));
    PaymentService node = node();

    UUID reference = started(node);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);
    callback(node, reference);

    world.assertSettledOnce(MTN, reference);
    mtn.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void loginFailedHoldsTheRequestAndItIsSentOnceCredentialsWork() throws Exception {
    mtn.stubFor(
        post(urlEqualTo(TOKEN))
            .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"login_failed\"}")));
    PaymentService node = node();

    UUID reference = started(node);

    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.INITIATED);
    mtn.verify(exactly(0), postRequestedFor(urlEqualTo(RTP)));
    world.assertNoMoney(MTN, reference);

    tokenIs("t1");
    paysOnceSent(reference);
    pollAfter(node, Duration.ofSeconds(61));
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);
    pollAfter(node, Duration.ofSeconds(61));

    world.assertSettledOnce(MTN, reference);
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void conflict409MeansItExistsAndItIsPolled() throws Exception {
    tokenIs("t1");
    requestsAnswer(409);
    statusIs(successful("5.00"));
    PaymentService node = node();

    UUID reference = started(node);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.INITIATED);
    pollAfter(node, Duration.ofSeconds(16));

    world.assertSettledOnce(MTN, reference);
    mtn.verify(exactly(1), postRequestedFor(urlEqualTo(RTP)));
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void requestTimeoutThenStatus404ThenResentUnderTheSameReference() throws Exception {
    tokenIs("t1");
    mtn.stubFor(
        post(urlEqualTo(RTP))
            .inScenario("timeout")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(202).withFixedDelay(3_000))
            .willSetStateTo("lost"));
    mtn.stubFor(
        get(urlPathMatching(RTP + "/.*"))
            .inScenario("timeout")
            .whenScenarioStateIs("lost")
            .willReturn(aResponse().withStatus(404)));
    mtn.stubFor(
        post(urlEqualTo(RTP))
            .inScenario("timeout")
            .whenScenarioStateIs("lost")
            .willReturn(aResponse().withStatus(202))
            .willSetStateTo("sent"));
    mtn.stubFor(
        get(urlPathMatching(RTP + "/.*"))
            .inScenario("timeout")
            .whenScenarioStateIs("sent")
            .willReturn(okJson(successful("5.00"))));
    PaymentService node = node();

    UUID reference = started(node);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.INITIATED);
    pollAfter(node, Duration.ofSeconds(6));
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);
    pollAfter(node, Duration.ofSeconds(30));

    world.assertSettledOnce(MTN, reference);
    mtn.verify(
        exactly(2),
        postRequestedFor(urlEqualTo(RTP))
            .withHeader("X-Reference-Id", equalTo(reference.toString())));
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void requestTimeoutThenStatusSuccessfulSettlesWithoutResending() throws Exception {
    tokenIs("t1");
    mtn.stubFor(
        post(urlEqualTo(RTP)).willReturn(aResponse().withStatus(202).withFixedDelay(3_000)));
    statusIs(successful("5.00"));
    PaymentService node = node();

    UUID reference = started(node);
    pollAfter(node, Duration.ofSeconds(6));

    world.assertSettledOnce(MTN, reference);
    mtn.verify(exactly(1), postRequestedFor(urlEqualTo(RTP)));
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void aCallbackBeforeTheIntentIsCommittedIsKeptAndSettlesOnceItIs() throws Exception {
    tokenIs("t1");
    statusIs(successful("5.00"));
    PaymentService node = node();
    UUID reference = UUID.randomUUID();
    // The starting node has indexed the reference (that comes first) but not yet committed the
    // intent.
    world.ledger.paymentReferences().record(reference, world.code);

    callback(node, reference);
    assertThat(world.assembly.payment(reference)).isEmpty();
    // The intent's transaction commits only now (another node, a slow commit).
    world.assembly.createPaymentIntent(
        new NewPayment(
            reference, MTN, world.traderId, PAYER, 500, PaymentPurpose.AMOUNT, Language.EN));

    world.awaitStatus(reference, PaymentStatus.SUCCESSFUL);
    world.assertSettledOnce(MTN, reference);
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void anEarlyCallbackThatCannotBeHeldIsStillSettledByThePoller() throws Exception {
    tokenIs("t1");
    statusIs(successful("5.00"));
    PaymentService node =
        node(s -> s.toBuilder().maxEarlyHints(0).build()); // no early hints kept at all
    UUID reference = UUID.randomUUID();

    callback(node, reference);
    world.assembly.createPaymentIntent(
        new NewPayment(
            reference, MTN, world.traderId, PAYER, 500, PaymentPurpose.AMOUNT, Language.EN));
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.INITIATED);
    pollAfter(node, Duration.ofSeconds(21));

    world.assertSettledOnce(MTN, reference);
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void theSameCallbackFiveTimesAtOnceOnTwoNodesSettlesOnce() throws Exception {
    tokenIs("t1");
    requestsAnswer(202);
    PaymentService first = node();
    PaymentService second = node();
    UUID reference = started(first);
    statusIs(successful("5.00"));

    ExecutorService callers = Executors.newFixedThreadPool(5);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<CompletableFuture<Void>>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        PaymentService node = i % 2 == 0 ? first : second;
        calls.add(
            callers.submit(
                () -> {
                  go.await();
                  PaymentService.Intake intake =
                      node.receive(MTN, Map.of(), callbackBody(reference));
                  assertThat(intake.answer()).isEqualTo(CallbackAnswer.RECEIVED);
                  return intake.confirmed();
                }));
      }
      go.countDown();
      for (Future<CompletableFuture<Void>> call : calls) {
        call.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
    }

    world.assertSettledOnce(MTN, reference);
    replayTwice(first, reference);
    replayTwice(second, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void theCallbackNeverArrivesAndThePollerSettles() throws Exception {
    tokenIs("t1");
    requestsAnswer(202);
    statusIs(PENDING);
    PaymentService node = node();
    UUID reference = started(node);
    pollAfter(node, Duration.ofSeconds(21));
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);

    statusIs(successful("5.00"));
    pollAfter(node, Duration.ofSeconds(16));

    world.assertSettledOnce(MTN, reference);
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @ParameterizedTest
  @EnumSource(
      value = FailureReason.class,
      names = {
        "NOT_ENOUGH_FUNDS",
        "APPROVAL_REJECTED",
        "EXPIRED",
        "PAYER_NOT_FOUND",
        "PAYER_LIMIT_REACHED",
        "COULD_NOT_PERFORM_TRANSACTION",
        "INTERNAL_PROCESSING_ERROR"
      })
  void eachFailedReasonFailsThePaymentAndQueuesItsSms(FailureReason reason) throws Exception {
    tokenIs("t1");
    requestsAnswer(202);
    statusIs("{\"status\":\"FAILED\",\"reason\":\"" + reason.name() + "\"}");
    PaymentService node = node();
    UUID reference = started(node);

    callback(node, reference);

    Payment failed = world.payment(reference);
    assertThat(failed.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(failed.failureReason()).contains(reason.name());
    world.assertNoMoney(MTN, reference);
    assertThat(world.sms(MTN, reference)).containsExactly("TEST failed " + reason.name());
    replayTwice(node, reference);
    assertThat(world.sms(MTN, reference)).containsExactly("TEST failed " + reason.name());
  }

  @Test
  void aSuccessAfterLocalExpirySettlesExactlyOnce() throws Exception {
    tokenIs("t1");
    requestsAnswer(202);
    statusIs(PENDING);
    PaymentService node = node();
    UUID reference = started(node);

    for (int minute = 0; minute < 11; minute++) {
      pollAfter(node, Duration.ofMinutes(1));
    }
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);
    world.assertNoMoney(MTN, reference);
    assertThat(world.expirySms(reference)).containsExactly(BridgeFixture.EXPIRY_SMS + " 500");

    statusIs(successful("5.00"));
    callback(node, reference);

    world.assertSettledOnce(MTN, reference);
    replayTwice(node, reference);
    world.assertSettledOnce(MTN, reference);
    // Expiry SMS once, then the normal receipt once (assertSettledOnce).
    assertThat(world.expirySms(reference)).hasSize(1);
  }

  @Test
  void providerDownForTenMinutesThenBackDrainsTheBacklog() throws Exception {
    mtn.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
    // Thirty minutes, so payments confirmed during the outage are still wanted when it ends; with
    // the default ten the oldest would expire untouched (nothing was ever sent).
    PaymentService node = node(settings -> settings.withLocalExpiryMillis(30 * 60_000));
    List<UUID> references = new ArrayList<>();
    for (int step = 0; step < 20; step++) {
      if (step % 4 == 0) {
        references.add(started(node));
      }
      pollAfter(node, Duration.ofSeconds(30));
    }
    for (UUID reference : references) {
      assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.INITIATED);
      world.assertNoMoney(MTN, reference);
    }

    mtn.resetAll();
    tokenIs("t1");
    references.forEach(MtnLifecycleTest::paysOnceSent);
    for (int round = 0;
        round < 40
            && references.stream()
                .anyMatch(r -> world.payment(r).status() != PaymentStatus.SUCCESSFUL);
        round++) {
      pollAfter(node, Duration.ofSeconds(30));
    }

    for (UUID reference : references) {
      world.assertSettledOnce(MTN, reference);
    }
    pollAfter(node, Duration.ofMinutes(5));
    assertThat(world.meters.get(PaymentMetrics.BACKLOG).gauge().value()).isZero();
    for (UUID reference : references) {
      replayTwice(node, reference);
      world.assertSettledOnce(MTN, reference);
    }
  }

  @Test
  void amountMismatchGoesToSuspenseAndIsNotPostedAsRequested() throws Exception {
    tokenIs("t1");
    requestsAnswer(202);
    statusIs(successful("4.50"));
    PaymentService node = node();
    UUID reference = started(node);

    callback(node, reference);

    Payment settled = world.payment(reference);
    assertThat(settled.status()).isEqualTo(PaymentStatus.SUCCESSFUL);
    assertThat(settled.suspense()).isTrue();
    assertThat(world.transfers(MTN, reference)).containsExactly("SUSPENSE:450");
    assertThat(world.sms(MTN, reference)).isEmpty();
    replayTwice(node, reference);
    assertThat(world.transfers(MTN, reference)).containsExactly("SUSPENSE:450");
  }

  @Test
  void aGatewayRestartBetweenThe202AndTheCallbackStillSettles() throws Exception {
    tokenIs("t1");
    requestsAnswer(202);
    PaymentService before = node();
    UUID reference = started(before);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);
    before.close();

    statusIs(successful("5.00"));
    PaymentService after = node();
    callback(after, reference);

    world.assertSettledOnce(MTN, reference);
    replayTwice(after, reference);
    world.assertSettledOnce(MTN, reference);
  }

  @Test
  void twoNodesPollingTheSameBacklogSettleEachPaymentOnce() throws Exception {
    tokenIs("t1");
    requestsAnswer(202);
    statusIs(PENDING);
    PaymentService first = node();
    PaymentService second = node();
    List<UUID> references = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      references.add(started(i % 2 == 0 ? first : second));
    }

    statusIs(successful("5.00"));
    clock.advance(Duration.ofSeconds(21));
    CompletableFuture<Integer> a = first.pollOnce();
    CompletableFuture<Integer> b = second.pollOnce();
    int claimed = a.get(20, TimeUnit.SECONDS) + b.get(20, TimeUnit.SECONDS);

    assertThat(claimed).isGreaterThanOrEqualTo(12);
    for (UUID reference : references) {
      world.assertSettledOnce(MTN, reference);
    }
  }
}
