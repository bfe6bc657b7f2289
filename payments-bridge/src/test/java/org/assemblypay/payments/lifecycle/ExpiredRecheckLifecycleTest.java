package org.assemblypay.payments.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A payment that passed its local expiry is still asked about at a slow pace (every 30 minutes, for
 * 48 hours after it was created): a late success whose callback was lost settles once.
 */
class ExpiredRecheckLifecycleTest {

  private static final String MTN = "mtn-gh";
  private static final String RTP = "/collection/v1_0/requesttopay";
  private static final String PAYER = "0244123678";
  private static final String PENDING = "{\"status\":\"PENDING\"}";

  @RegisterExtension
  static WireMockExtension mtn =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  /** A fresh assembly per test: no other test's expired payments are due in it. */
  private BridgeFixture world;

  private MutableClock clock;
  private PaymentService node;

  @BeforeEach
  void setUp() {
    world = new BridgeFixture("XRC");
    clock = new MutableClock(Instant.now());
    node =
        world.service(
            List.of(TestProviders.mtn(mtn.baseUrl(), 2_000, Map.of())),
            BridgeFixture.routing(MTN, null),
            clock,
            settings -> settings);
    mtn.stubFor(
        post(urlEqualTo("/collection/token/"))
            .willReturn(
                okJson(
                    "{\"access_token\":\"t1\",\"token_type\":\"access_token\",\"expires_in\":3600}")));
    mtn.stubFor(post(urlEqualTo(RTP)).willReturn(aResponse().withStatus(202)));
    statusIs(PENDING);
  }

  @AfterEach
  void tearDown() throws Exception {
    world.close();
  }

  private static void statusIs(String json) {
    mtn.stubFor(get(urlPathMatching(RTP + "/.*")).willReturn(okJson(json)));
  }

  private static String successful() {
    return "{\"amount\":\"5.00\",\"currency\":\"GHS\",\"financialTransactionId\":\"1520369414\","
        + "\"status\":\"SUCCESSFUL\"}";
  }

  private UUID started() throws Exception {
    PaymentService.Dispatch dispatch = node.dispatch(world.order(PAYER));
    dispatch.sent().get(10, TimeUnit.SECONDS);
    return ((StartResult.Started) dispatch.result()).reference();
  }

  private int pollAfter(Duration duration) throws Exception {
    clock.advance(duration);
    return node.pollOnce().get(20, TimeUnit.SECONDS);
  }

  /** Polls a pending payment minute by minute past the default ten-minute local expiry. */
  private UUID expiredPayment() throws Exception {
    UUID reference = started();
    for (int minute = 0; minute < 11; minute++) {
      pollAfter(Duration.ofMinutes(1));
    }
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);
    world.assertNoMoney(MTN, reference);
    // One expiry SMS, queued with the status change.
    assertThat(world.expirySms(reference)).containsExactly(BridgeFixture.EXPIRY_SMS + " 500");
    return reference;
  }

  private void lateCallback(UUID reference) throws Exception {
    byte[] body =
        ("{\"financialTransactionId\":\"1520369414\",\"externalId\":\""
                + reference
                + "\",\"amount\":\"5.00\",\"currency\":\"GHS\",\"status\":\"SUCCESSFUL\"}")
            .getBytes(StandardCharsets.UTF_8);
    PaymentService.Intake intake = node.receive(MTN, Map.of(), body);
    assertThat(intake.answer().statusCode()).isEqualTo(200);
    intake.confirmed().get(10, TimeUnit.SECONDS);
  }

  private int statusQueries(UUID reference) {
    return mtn.findAll(getRequestedFor(urlEqualTo(RTP + "/" + reference))).size();
  }

  @Test
  void aSuccessAfterLocalExpiryWhoseCallbackIsLostIsSettledByTheReCheckOnceWithItsReceipt()
      throws Exception {
    UUID reference = expiredPayment();

    // The payer approves late; the provider's callback never reaches the gateway.
    statusIs(successful());
    pollAfter(Duration.ofMinutes(1));
    assertThat(world.payment(reference).status())
        .as("the slow re-check is not due yet")
        .isEqualTo(PaymentStatus.EXPIRED);
    world.assertNoMoney(MTN, reference);

    assertThat(pollAfter(Duration.ofMinutes(30))).isEqualTo(1);
    world.assertSettledOnce(MTN, reference);

    // Replayed twice: two more re-check rounds and a duplicate late callback count nothing more.
    for (int i = 0; i < 2; i++) {
      assertThat(pollAfter(Duration.ofMinutes(31))).isZero();
      lateCallback(reference);
    }
    world.assertSettledOnce(MTN, reference);
    // The trader got the expiry SMS once, then the normal receipt once.
    assertThat(world.expirySms(reference)).hasSize(1);
  }

  @Test
  void withinTheWindowPendingNotFoundAndFailedLeaveItExpiredWithoutResendOrSms() throws Exception {
    UUID reference = expiredPayment();
    int sent = mtn.findAll(postRequestedFor(urlEqualTo(RTP))).size();

    pollAfter(Duration.ofMinutes(31));
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);

    mtn.stubFor(get(urlPathMatching(RTP + "/.*")).willReturn(aResponse().withStatus(404)));
    pollAfter(Duration.ofMinutes(31));
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);
    assertThat(mtn.findAll(postRequestedFor(urlEqualTo(RTP)))).hasSize(sent);

    statusIs("{\"status\":\"FAILED\",\"reason\":\"APPROVAL_REJECTED\"}");
    pollAfter(Duration.ofMinutes(31));
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);
    assertThat(world.sms(MTN, reference))
        .as("only the expiry SMS; a later failure sends nothing more")
        .containsExactly(BridgeFixture.EXPIRY_SMS + " 500");
    world.assertNoMoney(MTN, reference);

    // The provider's failure is final: no more re-checks, even if it later says otherwise.
    int asked = statusQueries(reference);
    statusIs(successful());
    pollAfter(Duration.ofMinutes(31));
    assertThat(statusQueries(reference)).isEqualTo(asked);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);
    world.assertNoMoney(MTN, reference);
  }

  @Test
  void afterTheReCheckWindowAnExpiredPaymentIsNoLongerPolled() throws Exception {
    UUID reference = expiredPayment();
    pollAfter(Duration.ofMinutes(31));
    int asked = statusQueries(reference);
    assertThat(asked).isGreaterThan(0);

    // Past 48 hours after creation: the next due re-check is the end of it.
    clock.advance(Duration.ofHours(48));
    pollAfter(Duration.ofMinutes(1));
    statusIs(successful());
    for (int i = 0; i < 3; i++) {
      pollAfter(Duration.ofHours(1));
    }

    assertThat(statusQueries(reference)).isEqualTo(asked);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);
    assertThat(world.payment(reference).nextPollAt()).isEmpty();
    world.assertNoMoney(MTN, reference);
  }
}
