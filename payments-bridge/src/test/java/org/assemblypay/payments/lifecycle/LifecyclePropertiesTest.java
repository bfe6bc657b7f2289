package org.assemblypay.payments.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.assemblypay.ledger.Payment;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.TestProviders;

/**
 * Money is counted once or not at all, whatever order callbacks, poll rounds on two nodes and node
 * restarts come in, for every way MTN can answer the request and the status query.
 */
class LifecyclePropertiesTest {

  private static final String MTN = "mtn-gh";
  private static final String RTP = "/collection/v1_0/requesttopay";

  private static WireMockServer mtn;
  private static BridgeFixture world;

  /** What MTN finally says about the payment. */
  enum Outcome {
    SUCCESS,
    SHORT_AMOUNT,
    NOT_ENOUGH_FUNDS,
    PENDING_FOREVER
  }

  /** How MTN answers the request itself. */
  enum RequestAnswer {
    ACCEPTED,
    CONFLICT,
    TIMEOUT,
    SERVER_ERROR
  }

  /** Something that happens between the start and the end. */
  enum Kind {
    CALLBACK,
    POLL,
    RESTART
  }

  record Step(Kind kind, int node, int advanceSeconds) {}

  @BeforeContainer
  static void open() {
    mtn = new WireMockServer(wireMockConfig().dynamicPort());
    mtn.start();
    world = new BridgeFixture("PRP");
  }

  @AfterContainer
  static void close() throws Exception {
    mtn.stop();
    world.close();
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, 1),
            Arbitraries.integers().between(1, 120))
        .as(Step::new)
        .list()
        .ofMaxSize(8);
  }

  @Property(tries = 24)
  void moneyIsCountedOnceOrNotAtAll(
      @ForAll Outcome outcome,
      @ForAll RequestAnswer requestAnswer,
      @ForAll("steps") List<Step> steps)
      throws Exception {
    mtn.resetAll();
    mtn.stubFor(
        post(urlEqualTo("/collection/token/"))
            .willReturn(
                okJson(
                    "{\"access_token\":\"t\",\"token_type\":\"access_token\",\"expires_in\":3600}")));
    mtn.stubFor(post(urlEqualTo(RTP)).willReturn(request(requestAnswer)));
    mtn.stubFor(get(urlPathMatching(RTP + "/.*")).willReturn(okJson(status(outcome))));
    MutableClock clock = new MutableClock(Instant.now());
    List<PaymentService> nodes = new ArrayList<>(List.of(node(clock), node(clock)));
    List<PaymentService> all = new ArrayList<>(nodes);
    try {
      PaymentService.Dispatch dispatch = nodes.get(0).dispatch(world.order("0244123678"));
      dispatch.sent().get(10, TimeUnit.SECONDS);
      UUID reference = ((StartResult.Started) dispatch.result()).reference();

      for (Step step : steps) {
        PaymentService node = nodes.get(step.node());
        if (step.kind() == Kind.CALLBACK) {
          node.receive(MTN, Map.of(), callback(reference)).confirmed().get(10, TimeUnit.SECONDS);
        } else if (step.kind() == Kind.POLL) {
          clock.advance(Duration.ofSeconds(step.advanceSeconds()));
          node.pollOnce().get(20, TimeUnit.SECONDS);
        } else {
          node.close();
          PaymentService fresh = node(clock);
          nodes.set(step.node(), fresh);
          all.add(fresh);
        }
      }
      for (int round = 0; round < 30; round++) {
        clock.advance(Duration.ofSeconds(30));
        nodes.get(round % 2).pollOnce().get(20, TimeUnit.SECONDS);
      }

      Payment payment = world.payment(reference);
      List<String> transfers = world.transfers(MTN, reference);
      List<String> sms = world.sms(MTN, reference);
      switch (outcome) {
        case SUCCESS:
          world.assertSettledOnce(MTN, reference);
          break;
        case SHORT_AMOUNT:
          assertThat(payment.status()).isEqualTo(PaymentStatus.SUCCESSFUL);
          assertThat(transfers).containsExactly("SUSPENSE:450");
          assertThat(sms).isEmpty();
          break;
        case NOT_ENOUGH_FUNDS:
          assertThat(payment.status()).isEqualTo(PaymentStatus.FAILED);
          assertThat(transfers).isEmpty();
          assertThat(sms).containsExactly("TEST failed NOT_ENOUGH_FUNDS");
          break;
        case PENDING_FOREVER:
          assertThat(payment.status()).isEqualTo(PaymentStatus.EXPIRED);
          assertThat(transfers).isEmpty();
          assertThat(sms).containsExactly(BridgeFixture.EXPIRY_SMS + " 500");
          break;
        default:
          throw new AssertionError(outcome);
      }
    } finally {
      all.forEach(PaymentService::close);
    }
  }

  private static PaymentService node(MutableClock clock) {
    return world.service(
        List.of(TestProviders.mtn(mtn.baseUrl(), 1_000, Map.of())),
        BridgeFixture.routing(MTN, null),
        clock,
        settings -> settings);
  }

  private static ResponseDefinitionBuilder request(RequestAnswer answer) {
    switch (answer) {
      case ACCEPTED:
        return aResponse().withStatus(202);
      case CONFLICT:
        return aResponse().withStatus(409);
      case TIMEOUT:
        return aResponse().withStatus(202).withFixedDelay(1_500);
      case SERVER_ERROR:
        return aResponse().withStatus(503);
      default:
        throw new AssertionError(answer);
    }
  }

  private static String status(Outcome outcome) {
    switch (outcome) {
      case SUCCESS:
        return "{\"amount\":\"5.00\",\"currency\":\"GHS\",\"financialTransactionId\":\"F1\","
            + "\"status\":\"SUCCESSFUL\"}";
      case SHORT_AMOUNT:
        return "{\"amount\":\"4.50\",\"currency\":\"GHS\",\"financialTransactionId\":\"F1\","
            + "\"status\":\"SUCCESSFUL\"}";
      case NOT_ENOUGH_FUNDS:
        return "{\"status\":\"FAILED\",\"reason\":\"NOT_ENOUGH_FUNDS\"}";
      case PENDING_FOREVER:
        return "{\"status\":\"PENDING\"}";
      default:
        throw new AssertionError(outcome);
    }
  }

  private static byte[] callback(UUID reference) {
    return ("{\"externalId\":\"" + reference + "\",\"status\":\"SUCCESSFUL\",\"amount\":\"5.00\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
