package org.assemblypay.payments.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Telecel Cash through Hubtel, stood in for by WireMock: routing, callback, status, ledger. */
class HubtelLifecycleTest {

  private static final String HUBTEL = "hubtel";
  private static final String RECEIVE = "/merchantaccount/merchants/HM1234567/receive/mobilemoney";

  @RegisterExtension
  static WireMockExtension hubtel =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static BridgeFixture world;

  @BeforeAll
  static void openWorld() {
    world = new BridgeFixture("HUB");
  }

  @AfterAll
  static void closeWorld() throws Exception {
    world.close();
  }

  @Test
  void aTelecelPayerNamedByTheAggregatorSettlesOnTheStatusAmountNotTheCallbacks() throws Exception {
    hubtel.stubFor(
        post(urlEqualTo(RECEIVE))
            .willReturn(okJson("{\"ResponseCode\":\"0001\",\"Message\":\"pending\"}")));
    PaymentService service =
        world.service(
            List.of(TestProviders.hubtel(hubtel.baseUrl(), 2_000)),
            BridgeFixture.routing(HUBTEL, HUBTEL),
            new MutableClock(Instant.now()),
            settings -> settings);
    PaymentOrder order =
        new PaymentOrder(
            world.code,
            world.traderId,
            Msisdn.parse("0241234567").orElseThrow(), // ported: prefix says MTN
            BridgeFixture.AMOUNT_PESEWAS,
            PaymentPurpose.AMOUNT,
            Language.EN,
            Optional.of("vodafone"),
            "Makola daily toll",
            "Test toll");

    PaymentService.Dispatch dispatch = service.dispatch(order);
    dispatch.sent().get(10, TimeUnit.SECONDS);
    StartResult.Started started = (StartResult.Started) dispatch.result();
    UUID reference = started.reference();
    String clientReference = reference.toString().replace("-", "");
    assertThat(started.network()).isEqualTo(Network.TELECEL);
    hubtel.verify(
        exactly(1),
        postRequestedFor(urlEqualTo(RECEIVE))
            .withRequestBody(containing("vodafone-gh"))
            .withRequestBody(containing(clientReference)));

    hubtel.stubFor(
        get(urlPathEqualTo("/transactions/HM1234567/status"))
            .willReturn(
                okJson(
                    "{\"responseCode\":\"0000\",\"data\":{\"status\":\"Paid\",\"transactionId\":"
                        + "\"7f2a11c0a1b2\",\"clientReference\":\""
                        + clientReference
                        + "\",\"amount\":5.0,\"charges\":0.05,\"amountAfterCharges\":4.95}}")));
    byte[] callback =
        ("{\"ResponseCode\":\"0000\",\"Message\":\"success\",\"Data\":{\"Amount\":5000.0,"
                + "\"ClientReference\":\""
                + clientReference
                + "\",\"TransactionId\":\"7f2a11c0a1b2\",\"AmountCharged\":5000.0}}")
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      service.receive(HUBTEL, Map.of(), callback).confirmed().get(10, TimeUnit.SECONDS);
    }

    world.assertSettledOnce(HUBTEL, reference);
  }

  @Test
  void aReSendAfterARestartGoesToTheNetworkRoutedAtTheStart() throws Exception {
    hubtel.stubFor(post(urlEqualTo(RECEIVE)).willReturn(aResponse().withStatus(500)));
    MutableClock clock = new MutableClock(Instant.now());
    PaymentService before =
        world.service(
            List.of(TestProviders.hubtel(hubtel.baseUrl(), 2_000)),
            BridgeFixture.routing(HUBTEL, HUBTEL),
            clock,
            settings -> settings);
    PaymentOrder order =
        new PaymentOrder(
            world.code,
            world.traderId,
            Msisdn.parse("0241234568").orElseThrow(), // ported: prefix says MTN
            BridgeFixture.AMOUNT_PESEWAS,
            PaymentPurpose.AMOUNT,
            Language.EN,
            Optional.of("vodafone"),
            "Makola daily toll",
            "Test toll");
    PaymentService.Dispatch dispatch = before.dispatch(order);
    dispatch.sent().get(10, TimeUnit.SECONDS);
    UUID reference = ((StartResult.Started) dispatch.result()).reference();
    String clientReference = reference.toString().replace("-", "");
    assertThat(world.payment(reference).network()).contains("TELECEL");
    before.close();

    // A new node knows only the ledger: the provider never got the request, so it is re-sent.
    hubtel.stubFor(
        post(urlEqualTo(RECEIVE))
            .willReturn(okJson("{\"ResponseCode\":\"0001\",\"Message\":\"pending\"}")));
    hubtel.stubFor(
        get(urlPathEqualTo("/transactions/HM1234567/status"))
            .willReturn(aResponse().withStatus(404)));
    PaymentService after =
        world.service(
            List.of(TestProviders.hubtel(hubtel.baseUrl(), 2_000)),
            BridgeFixture.routing(HUBTEL, HUBTEL),
            clock,
            settings -> settings);
    clock.advance(Duration.ofMinutes(1));
    after.pollOnce().get(20, TimeUnit.SECONDS);

    hubtel.verify(
        exactly(2),
        postRequestedFor(urlEqualTo(RECEIVE)).withRequestBody(containing(clientReference)));
    hubtel.verify(
        exactly(2),
        postRequestedFor(urlEqualTo(RECEIVE))
            .withRequestBody(containing(clientReference))
            .withRequestBody(containing("vodafone-gh")));
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);
    world.assertNoMoney(HUBTEL, reference);
  }

  @Test
  void withoutACallbackHubtelsStatusIsFirstAskedAfterFiveMinutesThenSettlesOnce() throws Exception {
    hubtel.stubFor(
        post(urlEqualTo(RECEIVE))
            .willReturn(okJson("{\"ResponseCode\":\"0001\",\"Message\":\"pending\"}")));
    MutableClock clock = new MutableClock(Instant.now());
    PaymentService service =
        world.service(
            List.of(TestProviders.hubtel(hubtel.baseUrl(), 2_000)),
            BridgeFixture.routing(HUBTEL, HUBTEL),
            clock,
            settings -> settings);
    PaymentOrder order =
        new PaymentOrder(
            world.code,
            world.traderId,
            Msisdn.parse("0201234599").orElseThrow(),
            BridgeFixture.AMOUNT_PESEWAS,
            PaymentPurpose.AMOUNT,
            Language.EN,
            Optional.empty(),
            "Makola daily toll",
            "Test toll");
    PaymentService.Dispatch dispatch = service.dispatch(order);
    dispatch.sent().get(10, TimeUnit.SECONDS);
    UUID reference = ((StartResult.Started) dispatch.result()).reference();
    String clientReference = reference.toString().replace("-", "");
    hubtel.stubFor(
        get(urlPathEqualTo("/transactions/HM1234567/status"))
            .willReturn(
                okJson(
                    "{\"responseCode\":\"0000\",\"data\":{\"status\":\"Paid\",\"transactionId\":"
                        + "\"7f2a11c0a1b3\",\"clientReference\":\""
                        + clientReference
                        + "\",\"amount\":5.0}}")));

    // The callback never comes: for the first five minutes the poller leaves Hubtel alone.
    for (int minute = 0; minute < 4; minute++) {
      clock.advance(Duration.ofMinutes(1));
      service.pollOnce().get(20, TimeUnit.SECONDS);
    }
    assertThat(statusQueries(clientReference)).isZero();
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);

    clock.advance(Duration.ofSeconds(70));
    service.pollOnce().get(20, TimeUnit.SECONDS);
    assertThat(statusQueries(clientReference)).isEqualTo(1);
    world.assertSettledOnce(HUBTEL, reference);

    // Replayed twice: more rounds and a late callback count nothing more.
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofMinutes(1));
      service.pollOnce().get(20, TimeUnit.SECONDS);
      service
          .receive(
              HUBTEL,
              Map.of(),
              ("{\"ResponseCode\":\"0000\",\"Data\":{\"ClientReference\":\""
                      + clientReference
                      + "\",\"Amount\":5.0}}")
                  .getBytes(StandardCharsets.UTF_8))
          .confirmed()
          .get(10, TimeUnit.SECONDS);
    }
    world.assertSettledOnce(HUBTEL, reference);
  }

  private static int statusQueries(String clientReference) {
    return hubtel
        .findAll(
            getRequestedFor(urlPathEqualTo("/transactions/HM1234567/status"))
                .withQueryParam("clientReference", equalTo(clientReference)))
        .size();
  }
}
