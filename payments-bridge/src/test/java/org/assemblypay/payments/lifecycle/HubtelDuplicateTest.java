package org.assemblypay.payments.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same Hubtel ClientReference sent twice — two nodes confirming one hop at once, or a re-send
 * after a timeout whose first request had taken after all — ends with one payment, one prompt (one
 * charge) and one settlement; Hubtel's duplicate answer never fails the payment.
 */
class HubtelDuplicateTest {

  private static final String HUBTEL = "hubtel";
  private static final String RECEIVE = "/merchantaccount/merchants/HM1234567/receive/mobilemoney";
  private static final String STATUS = "/transactions/HM1234567/status";
  private static final String PENDING = "{\"ResponseCode\":\"0001\",\"Message\":\"pending\"}";
  private static final String DUPLICATE =
      "{\"ResponseCode\":\"4000\",\"Message\":\"Validation errors\"}";

  @RegisterExtension
  static WireMockExtension hubtel =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static BridgeFixture world;

  @BeforeAll
  static void openWorld() {
    world = new BridgeFixture("HDP");
  }

  @AfterAll
  static void closeWorld() throws Exception {
    world.close();
  }

  private PaymentService node(MutableClock clock, long requestTimeoutMillis) {
    return world.service(
        List.of(TestProviders.hubtel(hubtel.baseUrl(), requestTimeoutMillis)),
        BridgeFixture.routing(HUBTEL, HUBTEL),
        clock,
        settings -> settings);
  }

  private static PaymentOrder telecelOrder(String payer) {
    return new PaymentOrder(
        world.code,
        world.traderId,
        Msisdn.parse(payer).orElseThrow(),
        BridgeFixture.AMOUNT_PESEWAS,
        PaymentPurpose.AMOUNT,
        Language.EN,
        Optional.empty(),
        "Makola daily toll",
        "Test toll");
  }

  private static String paid(UUID reference) {
    return "{\"responseCode\":\"0000\",\"data\":{\"status\":\"Paid\",\"transactionId\":\"h-"
        + reference.toString().substring(0, 8)
        + "\",\"clientReference\":\""
        + reference.toString().replace("-", "")
        + "\",\"amount\":5.0,\"charges\":0.05,\"amountAfterCharges\":4.95}}";
  }

  private static byte[] callback(UUID reference) {
    return ("{\"ResponseCode\":\"0000\",\"Message\":\"success\",\"Data\":{\"Amount\":5.0,"
            + "\"ClientReference\":\""
            + reference.toString().replace("-", "")
            + "\",\"TransactionId\":\"h1\",\"AmountCharged\":5.05}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static int sends(UUID reference) {
    return hubtel
        .findAll(
            postRequestedFor(urlEqualTo(RECEIVE))
                .withRequestBody(containing(reference.toString().replace("-", ""))))
        .size();
  }

  /** Each money path replayed twice on both nodes: callbacks and poll rounds count nothing more. */
  private static void replayTwice(MutableClock clock, UUID reference, PaymentService... nodes)
      throws Exception {
    for (int i = 0; i < 2; i++) {
      for (PaymentService node : nodes) {
        node.receive(HUBTEL, Map.of(), callback(reference)).confirmed().get(10, TimeUnit.SECONDS);
        clock.advance(Duration.ofMinutes(1));
        node.pollOnce().get(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void twoNodesConfirmingTheSameHopAtOnceSendOnceAndSettleOnce() throws Exception {
    // Whoever sends second gets Hubtel's duplicate answer; only one send is expected at all.
    hubtel.stubFor(
        post(urlEqualTo(RECEIVE))
            .inScenario("sends")
            .whenScenarioStateIs(STARTED)
            .willReturn(okJson(PENDING))
            .willSetStateTo("sent"));
    hubtel.stubFor(
        post(urlEqualTo(RECEIVE))
            .inScenario("sends")
            .whenScenarioStateIs("sent")
            .willReturn(aResponse().withStatus(400).withBody(DUPLICATE)));
    MutableClock clock = new MutableClock(Instant.now());
    PaymentService first = node(clock, 2_000);
    PaymentService second = node(clock, 2_000);
    PaymentOrder order = telecelOrder("0201234501").withIdempotencyKey("hub-sess-7:4:pay");

    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<PaymentService.Dispatch>> racing =
        List.of(first, second, first, second).stream()
            .map(
                node ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            go.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return node.dispatch(order);
                        }))
            .toList();
    go.countDown();
    UUID reference = null;
    for (CompletableFuture<PaymentService.Dispatch> dispatch : racing) {
      PaymentService.Dispatch done = dispatch.get(20, TimeUnit.SECONDS);
      done.sent().get(20, TimeUnit.SECONDS);
      UUID started = ((StartResult.Started) done.result()).reference();
      assertThat(reference == null || reference.equals(started)).isTrue();
      reference = started;
    }

    assertThat(sends(reference)).as("one prompt, so one charge to the wallet").isEqualTo(1);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);

    hubtel.stubFor(get(urlPathEqualTo(STATUS)).willReturn(okJson(paid(reference))));
    first.receive(HUBTEL, Map.of(), callback(reference)).confirmed().get(10, TimeUnit.SECONDS);
    second.receive(HUBTEL, Map.of(), callback(reference)).confirmed().get(10, TimeUnit.SECONDS);

    world.assertSettledOnce(HUBTEL, reference);
    replayTwice(clock, reference, first, second);
    world.assertSettledOnce(HUBTEL, reference);
    assertThat(sends(reference)).isEqualTo(1);
  }

  @Test
  void aReSendAnsweredAsADuplicateIsPolledAndSettledNeverFailed() throws Exception {
    // The first send times out here although Hubtel took it; for a moment Hubtel's status query
    // does not list it yet, so the gateway re-sends under the same ClientReference and Hubtel
    // answers with its validation error; by then the status query lists the transaction.
    hubtel.stubFor(
        post(urlEqualTo(RECEIVE))
            .inScenario("sends")
            .whenScenarioStateIs(STARTED)
            .willReturn(okJson(PENDING).withFixedDelay(2_500))
            .willSetStateTo("sent"));
    hubtel.stubFor(
        post(urlEqualTo(RECEIVE))
            .inScenario("sends")
            .whenScenarioStateIs("sent")
            .willReturn(aResponse().withStatus(400).withBody(DUPLICATE)));
    hubtel.stubFor(
        get(urlPathEqualTo(STATUS))
            .inScenario("listing")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(404))
            .willSetStateTo("listed"));
    hubtel.stubFor(
        get(urlPathEqualTo(STATUS))
            .inScenario("listing")
            .whenScenarioStateIs("listed")
            .willReturn(
                okJson(
                    "{\"responseCode\":\"0000\",\"data\":{\"status\":\"Unpaid\","
                        + "\"transactionId\":\"h1\",\"amount\":5.0}}")));
    MutableClock clock = new MutableClock(Instant.now());
    PaymentService node = node(clock, 500);

    PaymentService.Dispatch dispatch = node.dispatch(telecelOrder("0201234502"));
    dispatch.sent().get(20, TimeUnit.SECONDS);
    UUID reference = ((StartResult.Started) dispatch.result()).reference();
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.INITIATED);

    // The timeout's pause (5 s), then: status 404 → re-send → duplicate → status lists it.
    clock.advance(Duration.ofSeconds(6));
    node.pollOnce().get(20, TimeUnit.SECONDS);
    assertThat(sends(reference)).isEqualTo(2);
    assertThat(world.payment(reference).status())
        .as("the duplicate answer is not a failure")
        .isIn(PaymentStatus.INITIATED, PaymentStatus.PENDING);
    assertThat(world.sms(HUBTEL, reference)).isEmpty();

    // The payer approves the one prompt; the next poll finds it paid.
    hubtel.stubFor(get(urlPathEqualTo(STATUS)).willReturn(okJson(paid(reference))));
    clock.advance(Duration.ofSeconds(16));
    node.pollOnce().get(20, TimeUnit.SECONDS);

    world.assertSettledOnce(HUBTEL, reference);
    assertThat(world.payment(reference).failureReason()).isEmpty();
    replayTwice(clock, reference, node);
    world.assertSettledOnce(HUBTEL, reference);
    assertThat(sends(reference)).isEqualTo(2);
  }
}
