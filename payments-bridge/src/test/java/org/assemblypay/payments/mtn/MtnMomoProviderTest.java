package org.assemblypay.payments.mtn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assemblypay.payments.CallbackParse;
import org.assemblypay.payments.CollectionRequest;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.LogCapture;
import org.assemblypay.payments.MobileMoneyProviders;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderError;
import org.assemblypay.payments.ProviderMetrics;
import org.assemblypay.payments.ProviderStatus;
import org.assemblypay.payments.RequestOutcome;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MtnMomoProviderTest {

  @RegisterExtension
  static WireMockExtension mtn =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String TOKEN_PATH = "/collection/token/";
  private static final String RTP_PATH = "/collection/v1_0/requesttopay";

  private final MutableClock clock = MutableClock.atMarketOpening();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private MtnMomoProvider provider;

  @BeforeEach
  void setUp() {
    provider = provider(2_000);
  }

  private MtnMomoProvider provider(long requestTimeoutMillis) {
    return new MtnMomoProvider(
        TestProviders.mtn(
            mtn.baseUrl(),
            requestTimeoutMillis,
            Map.of("tokenRefreshMarginSeconds", "60", "loginFailureBackoffMillis", "30000")),
        MobileMoneyProviders.httpClient(Duration.ofSeconds(1)),
        meters,
        clock);
  }

  private static void tokenAnswers(String bearer, int expiresInSeconds) {
    mtn.stubFor(
        post(urlEqualTo(TOKEN_PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"access_token\":\""
                            + bearer
                            + "\",\"token_type\":\"access_token\",\"expires_in\":"
                            + expiresInSeconds
                            + "}")));
  }

  private static void requestToPayAnswers(int status) {
    mtn.stubFor(post(urlEqualTo(RTP_PATH)).willReturn(aResponse().withStatus(status)));
  }

  private static void statusAnswers(UUID reference, int httpStatus, String body) {
    mtn.stubFor(
        get(urlEqualTo(RTP_PATH + "/" + reference))
            .willReturn(
                aResponse()
                    .withStatus(httpStatus)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static CollectionRequest toll() {
    return TestProviders.toll(TestProviders.MTN_PAYER, Network.MTN);
  }

  @Test
  void acceptedRequestCarriesTheReferenceHeadersAndTwoDecimalAmount() throws Exception {
    tokenAnswers("t1", 3600);
    requestToPayAnswers(202);
    CollectionRequest request = toll();

    assertThat(await(provider.requestToPay(request)))
        .isEqualTo(new RequestOutcome.Accepted(java.util.Optional.empty()));

    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    ("0b7c1a3e-8f47-4d1e-9a0b-2f5c6d7e8f90:" + TestProviders.MTN_API_KEY)
                        .getBytes(StandardCharsets.UTF_8));
    mtn.verify(
        postRequestedFor(urlEqualTo(TOKEN_PATH))
            .withHeader("Authorization", equalTo(basic))
            .withHeader("Ocp-Apim-Subscription-Key", equalTo(TestProviders.SUBSCRIPTION_KEY)));
    mtn.verify(
        postRequestedFor(urlEqualTo(RTP_PATH))
            .withHeader("Authorization", equalTo("Bearer t1"))
            .withHeader("X-Reference-Id", equalTo(request.reference().toString()))
            .withHeader("X-Target-Environment", equalTo("mtnghana"))
            .withHeader("Ocp-Apim-Subscription-Key", equalTo(TestProviders.SUBSCRIPTION_KEY))
            .withHeader(
                "X-Callback-Url", equalTo("https://pay.example.gov.gh/payments/callback/mtn-gh"))
            .withRequestBody(
                equalToJson(
                    "{\"amount\":\"5.00\",\"currency\":\"GHS\",\"externalId\":\""
                        + request.reference()
                        + "\",\"payer\":{\"partyIdType\":\"MSISDN\",\"partyId\":\"233244123678\"},"
                        + "\"payerMessage\":\"Makola daily toll 21/11/2026\","
                        + "\"payeeNote\":\"AMA market toll\"}")));
  }

  @Test
  void messagesLoseCharactersMtnRejectsAndStayWithin160() throws Exception {
    tokenAnswers("t1", 3600);
    requestToPayAnswers(202);
    CollectionRequest request =
        new CollectionRequest(
            UUID.randomUUID(),
            TestProviders.MTN_PAYER,
            Network.MTN,
            250,
            "GHS",
            "Auntie Ama's stall <B12> & co. \"toll\" " + "x".repeat(300),
            "Kɔkɔ́ & Sons' market");

    await(provider.requestToPay(request));

    mtn.verify(
        postRequestedFor(urlEqualTo(RTP_PATH))
            .withRequestBody(matching(".*\"amount\":\"2\\.50\".*"))
            .withRequestBody(
                matching(".*\"payerMessage\":\"Auntie Amas stall B12 co. toll x{129}\".*"))
            .withRequestBody(matching(".*\"payeeNote\":\"Kk Sons market\".*")));
  }

  @Test
  void tokenIsCachedAndReused() throws Exception {
    tokenAnswers("t1", 3600);
    requestToPayAnswers(202);

    for (int i = 0; i < 3; i++) {
      assertThat(await(provider.requestToPay(toll()))).isInstanceOf(RequestOutcome.Accepted.class);
    }
    clock.advance(Duration.ofMinutes(50));
    assertThat(await(provider.requestToPay(toll()))).isInstanceOf(RequestOutcome.Accepted.class);

    mtn.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN_PATH)));
    mtn.verify(
        exactly(4),
        postRequestedFor(urlEqualTo(RTP_PATH)).withHeader("Authorization", equalTo("Bearer t1")));
    assertThat(
            meters
                .counter(ProviderMetrics.TOKEN_REFRESHES, "provider", "mtn-gh", "result", "ok")
                .count())
        .isEqualTo(1.0);
    assertThat(
            meters
                .counter(
                    ProviderMetrics.CALLS,
                    "provider",
                    "mtn-gh",
                    "operation",
                    "request",
                    "outcome",
                    "accepted")
                .count())
        .isEqualTo(4.0);
    assertThat(
            meters
                .timer(ProviderMetrics.LATENCY, "provider", "mtn-gh", "operation", "request")
                .count())
        .isEqualTo(4);
  }

  @Test
  void tokenExpiringIsRefreshedOnceUnderTwentyConcurrentRequests() throws Exception {
    mtn.stubFor(
        post(urlEqualTo(TOKEN_PATH))
            .inScenario("token")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody("{\"access_token\":\"t1\",\"expires_in\":3600}"))
            .willSetStateTo("second"));
    mtn.stubFor(
        post(urlEqualTo(TOKEN_PATH))
            .inScenario("token")
            .whenScenarioStateIs("second")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withFixedDelay(200)
                    .withBody("{\"access_token\":\"t2\",\"expires_in\":3600}")));
    requestToPayAnswers(202);
    await(provider.requestToPay(toll()));

    clock.advance(Duration.ofMinutes(59).plusSeconds(1));
    List<CompletableFuture<RequestOutcome>> inFlight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      inFlight.add(provider.requestToPay(toll()).toCompletableFuture());
    }
    for (CompletableFuture<RequestOutcome> outcome : inFlight) {
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(RequestOutcome.Accepted.class);
    }

    mtn.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN_PATH)));
    mtn.verify(
        exactly(20),
        postRequestedFor(urlEqualTo(RTP_PATH)).withHeader("Authorization", equalTo("Bearer t2")));
  }

  @Test
  void tokenRefusedMidFlightIsRefreshedOnceAndEachRequestRetriedOnce() throws Exception {
    mtn.stubFor(
        post(urlEqualTo(TOKEN_PATH))
            .inScenario("token")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody("{\"access_token\":\"t1\",\"expires_in\":3600}"))
            .willSetStateTo("second"));
    mtn.stubFor(
        post(urlEqualTo(TOKEN_PATH))
            .inScenario("token")
            .whenScenarioStateIs("second")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withFixedDelay(100)
                    .withBody("{\"access_token\":\"t2\",\"expires_in\":3600}")));
    mtn.stubFor(
        post(urlEqualTo(RTP_PATH))
            .withHeader("Authorization", equalTo("Bearer t1"))
            .willReturn(
                aResponse().withStatus(401).withBody("{\"message\":\"Access token expired\"}")));
    mtn.stubFor(
        post(urlEqualTo(RTP_PATH))
            .withHeader("Authorization", equalTo("Bearer t2"))
            .willReturn(aResponse().withStatus(202)));
    UUID warmUp = UUID.randomUUID();
    statusAnswers(warmUp, 200, "{\"status\":\"PENDING\"}");
    assertThat(await(provider.status(warmUp))).isEqualTo(new ProviderStatus.Pending());

    List<CompletableFuture<RequestOutcome>> inFlight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      inFlight.add(provider.requestToPay(toll()).toCompletableFuture());
    }
    for (CompletableFuture<RequestOutcome> outcome : inFlight) {
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(RequestOutcome.Accepted.class);
    }

    mtn.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN_PATH)));
    mtn.verify(
        exactly(20),
        postRequestedFor(urlEqualTo(RTP_PATH)).withHeader("Authorization", equalTo("Bearer t2")));
  }

  @Test
  void a401WithAFreshTokenIsNotRetriedAgain() throws Exception {
    tokenAnswers("t1", 3600);
    requestToPayAnswers(401);

    RequestOutcome outcome = await(provider.requestToPay(toll()));

    assertThat(outcome).isInstanceOf(RequestOutcome.NotSent.class);
    assertThat(((RequestOutcome.NotSent) outcome).error())
        .isEqualTo(ProviderError.AUTHENTICATION_FAILED);
    mtn.verify(exactly(2), postRequestedFor(urlEqualTo(RTP_PATH)));
    mtn.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN_PATH)));
  }

  @Test
  void loginFailedIsATypedFailureHeldWithoutHammeringTheTokenEndpoint() throws Exception {
    mtn.stubFor(
        post(urlEqualTo(TOKEN_PATH))
            .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"login_failed\"}")));
    requestToPayAnswers(202);

    RequestOutcome first = await(provider.requestToPay(toll()));
    RequestOutcome second = await(provider.requestToPay(toll()));
    ProviderStatus status = await(provider.status(UUID.randomUUID()));

    assertThat(first).isInstanceOf(RequestOutcome.NotSent.class);
    assertThat(((RequestOutcome.NotSent) first).error())
        .isEqualTo(ProviderError.AUTHENTICATION_FAILED);
    assertThat(((RequestOutcome.NotSent) first).detail()).contains("login_failed");
    assertThat(second).isEqualTo(first);
    assertThat(status)
        .isEqualTo(
            new ProviderStatus.Unknown(
                ProviderError.AUTHENTICATION_FAILED, "login_failed (HTTP 500)"));
    mtn.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN_PATH)));
    mtn.verify(exactly(0), postRequestedFor(urlEqualTo(RTP_PATH)));
    assertThat(
            meters
                .counter(
                    ProviderMetrics.TOKEN_REFRESHES, "provider", "mtn-gh", "result", "login_failed")
                .count())
        .isEqualTo(1.0);

    clock.advance(Duration.ofSeconds(31));
    await(provider.requestToPay(toll()));
    mtn.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN_PATH)));
  }

  @Test
  void tokenEndpointDownIsRetriedByTheNextCallerNotHeld() throws Exception {
    mtn.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(503)));

    RequestOutcome first = await(provider.requestToPay(toll()));
    await(provider.requestToPay(toll()));

    assertThat(first)
        .isEqualTo(new RequestOutcome.NotSent(ProviderError.SERVER_ERROR, "token answer HTTP 503"));
    mtn.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN_PATH)));
  }

  @Test
  void conflictMeansTheReferenceAlreadyExists() throws Exception {
    tokenAnswers("t1", 3600);
    mtn.stubFor(
        post(urlEqualTo(RTP_PATH))
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withBody(
                        "{\"code\":\"RESOURCE_ALREADY_EXIST\",\"message\":\"Duplicated reference id.\"}")));

    assertThat(await(provider.requestToPay(toll()))).isEqualTo(new RequestOutcome.AlreadyExists());
  }

  @Test
  void requestTimeoutMeansTheOutcomeIsUnknown() throws Exception {
    tokenAnswers("t1", 3600);
    mtn.stubFor(
        post(urlEqualTo(RTP_PATH)).willReturn(aResponse().withStatus(202).withFixedDelay(1_500)));
    MtnMomoProvider impatient = provider(300);

    RequestOutcome outcome = await(impatient.requestToPay(toll()));

    assertThat(outcome).isInstanceOf(RequestOutcome.OutcomeUnknown.class);
    assertThat(((RequestOutcome.OutcomeUnknown) outcome).error()).isEqualTo(ProviderError.TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void serverErrorMeansTheOutcomeIsUnknown(int httpStatus) throws Exception {
    tokenAnswers("t1", 3600);
    requestToPayAnswers(httpStatus);

    assertThat(await(provider.requestToPay(toll())))
        .isEqualTo(
            new RequestOutcome.OutcomeUnknown(ProviderError.SERVER_ERROR, "HTTP " + httpStatus));
  }

  @Test
  void badRequestIsRejectedWithMtnsCode() throws Exception {
    tokenAnswers("t1", 3600);
    mtn.stubFor(
        post(urlEqualTo(RTP_PATH))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody(
                        "{\"code\":\"INVALID_CURRENCY\",\"message\":\"Currency not supported.\"}")));

    assertThat(await(provider.requestToPay(toll())))
        .isEqualTo(new RequestOutcome.Rejected("INVALID_CURRENCY", "Currency not supported."));
  }

  @Test
  void unreachableProviderMeansTheRequestWasNotSent() throws Exception {
    MtnMomoProvider nowhere =
        new MtnMomoProvider(
            TestProviders.mtn("http://127.0.0.1:1", 1_000, Map.of()),
            MobileMoneyProviders.httpClient(Duration.ofSeconds(1)),
            meters,
            clock);

    RequestOutcome outcome = await(nowhere.requestToPay(toll()));

    assertThat(outcome).isInstanceOf(RequestOutcome.NotSent.class);
    assertThat(((RequestOutcome.NotSent) outcome).error()).isEqualTo(ProviderError.NETWORK);
  }

  @Test
  void statusSuccessfulCarriesTheProvidersAmountInPesewas() throws Exception {
    tokenAnswers("t1", 3600);
    UUID reference = UUID.randomUUID();
    statusAnswers(
        reference,
        200,
        "{\"amount\":\"5\",\"currency\":\"GHS\",\"financialTransactionId\":\"1520369414\","
            + "\"externalId\":\""
            + reference
            + "\",\"payer\":{\"partyIdType\":\"MSISDN\",\"partyId\":\"233244123678\"},"
            + "\"status\":\"SUCCESSFUL\"}");

    assertThat(await(provider.status(reference)))
        .isEqualTo(new ProviderStatus.Successful(500, "GHS", "1520369414"));
    mtn.verify(
        getRequestedFor(urlEqualTo(RTP_PATH + "/" + reference))
            .withHeader("Authorization", equalTo("Bearer t1"))
            .withHeader("X-Target-Environment", equalTo("mtnghana")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NOT_ENOUGH_FUNDS",
        "APPROVAL_REJECTED",
        "EXPIRED",
        "PAYER_NOT_FOUND",
        "PAYER_LIMIT_REACHED",
        "COULD_NOT_PERFORM_TRANSACTION",
        "INTERNAL_PROCESSING_ERROR"
      })
  void statusFailedCarriesEachReason(String reason) throws Exception {
    tokenAnswers("t1", 3600);
    UUID reference = UUID.randomUUID();
    statusAnswers(
        reference,
        200,
        "{\"amount\":\"5.00\",\"currency\":\"GHS\",\"status\":\"FAILED\",\"reason\":\""
            + reason
            + "\"}");

    assertThat(await(provider.status(reference)))
        .isEqualTo(new ProviderStatus.Failed(FailureReason.valueOf(reason), reason));
  }

  @Test
  void statusFailedReadsTheOlderReasonObjectAndKeepsUnknownCodes() throws Exception {
    tokenAnswers("t1", 3600);
    UUID older = UUID.randomUUID();
    UUID unknown = UUID.randomUUID();
    statusAnswers(
        older,
        200,
        "{\"status\":\"FAILED\",\"reason\":{\"code\":\"APPROVAL_REJECTED\",\"message\":\"declined\"}}");
    statusAnswers(
        unknown, 200, "{\"status\":\"FAILED\",\"reason\":\"PAYEE_NOT_ALLOWED_TO_RECEIVE\"}");

    assertThat(await(provider.status(older)))
        .isEqualTo(new ProviderStatus.Failed(FailureReason.APPROVAL_REJECTED, "APPROVAL_REJECTED"));
    assertThat(await(provider.status(unknown)))
        .isEqualTo(new ProviderStatus.Failed(FailureReason.OTHER, "PAYEE_NOT_ALLOWED_TO_RECEIVE"));
  }

  @Test
  void statusPendingAndNotFound() throws Exception {
    tokenAnswers("t1", 3600);
    UUID pending = UUID.randomUUID();
    UUID missing = UUID.randomUUID();
    statusAnswers(
        pending, 200, "{\"amount\":\"5.00\",\"currency\":\"GHS\",\"status\":\"PENDING\"}");
    statusAnswers(
        missing,
        404,
        "{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Requested resource was not found.\"}");

    assertThat(await(provider.status(pending))).isEqualTo(new ProviderStatus.Pending());
    assertThat(await(provider.status(missing))).isEqualTo(new ProviderStatus.NotFound());
  }

  @ParameterizedTest
  @ValueSource(strings = {"5.001", "-5.00", "5e2", "five", "", " 5.00", "05.00", "5."})
  void statusSuccessfulWithAMalformedAmountIsNotBelieved(String amount) throws Exception {
    tokenAnswers("t1", 3600);
    UUID reference = UUID.randomUUID();
    statusAnswers(
        reference,
        200,
        "{\"amount\":\"" + amount + "\",\"currency\":\"GHS\",\"status\":\"SUCCESSFUL\"}");

    ProviderStatus status = await(provider.status(reference));

    assertThat(status).isInstanceOf(ProviderStatus.Unknown.class);
    assertThat(((ProviderStatus.Unknown) status).error())
        .isEqualTo(ProviderError.MALFORMED_RESPONSE);
  }

  @Test
  void statusWithANumericAmountOrNoJsonIsNotBelieved() throws Exception {
    tokenAnswers("t1", 3600);
    UUID numeric = UUID.randomUUID();
    UUID html = UUID.randomUUID();
    statusAnswers(numeric, 200, "{\"amount\":5.0,\"currency\":\"GHS\",\"status\":\"SUCCESSFUL\"}");
    statusAnswers(html, 200, "<html>gateway</html>");

    assertThat(await(provider.status(numeric))).isInstanceOf(ProviderStatus.Unknown.class);
    assertThat(await(provider.status(html)))
        .isEqualTo(
            new ProviderStatus.Unknown(ProviderError.MALFORMED_RESPONSE, "body is not JSON"));
  }

  @Test
  void anOversizedAnswerIsNotReadIntoMemory() throws Exception {
    tokenAnswers("t1", 3600);
    UUID reference = UUID.randomUUID();
    statusAnswers(
        reference, 200, "{\"status\":\"PENDING\",\"pad\":\"" + "x".repeat(200_000) + "\"}");

    ProviderStatus status = await(provider.status(reference));

    assertThat(status).isInstanceOf(ProviderStatus.Unknown.class);
    assertThat(((ProviderStatus.Unknown) status).error())
        .isEqualTo(ProviderError.MALFORMED_RESPONSE);
  }

  @Test
  void statusServerErrorIsUnknown() throws Exception {
    tokenAnswers("t1", 3600);
    UUID reference = UUID.randomUUID();
    statusAnswers(reference, 503, "");

    assertThat(await(provider.status(reference)))
        .isEqualTo(new ProviderStatus.Unknown(ProviderError.SERVER_ERROR, "HTTP 503"));
  }

  @Test
  void callbackNamesTheReferenceAndCarriesNoAmount() {
    UUID reference = UUID.randomUUID();
    byte[] body =
        ("{\"financialTransactionId\":\"1520369414\",\"externalId\":\""
                + reference
                + "\",\"amount\":\"5000.00\",\"currency\":\"GHS\","
                + "\"payer\":{\"partyIdType\":\"MSISDN\",\"partyId\":\"233244123678\"},"
                + "\"status\":\"SUCCESSFUL\"}")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(provider.parseCallback(Map.of(), body))
        .isEqualTo(
            new CallbackParse.Hint("mtn-gh", reference, CallbackParse.ClaimedOutcome.SUCCESS));
  }

  @Test
  void callbackWithoutOurReferenceIsRefused() {
    byte[] body =
        "{\"externalId\":\"INV-2026-44\",\"status\":\"FAILED\"}".getBytes(StandardCharsets.UTF_8);

    CallbackParse parse = provider.parseCallback(Map.of(), body);

    assertThat(parse).isInstanceOf(CallbackParse.Refused.class);
    assertThat(((CallbackParse.Refused) parse).refusal())
        .isEqualTo(CallbackParse.Refusal.NO_REFERENCE);
  }

  @Test
  void logsNeverCarryTheFullNumberTheTokenOrTheKeys() throws Exception {
    tokenAnswers("bearer-secret-123", 3600);
    requestToPayAnswers(202);
    CollectionRequest request = toll();
    statusAnswers(request.reference(), 200, "{\"status\":\"PENDING\"}");

    List<String> lines;
    try (LogCapture logs = new LogCapture()) {
      await(provider.requestToPay(request));
      await(provider.status(request.reference()));
      lines = logs.lines();
    }

    assertThat(lines).isNotEmpty();
    assertThat(String.join("\n", lines))
        .contains("0244***678")
        .doesNotContain("233244123678")
        .doesNotContain("0244123678")
        .doesNotContain("bearer-secret-123")
        .doesNotContain(TestProviders.MTN_API_KEY)
        .doesNotContain(TestProviders.SUBSCRIPTION_KEY);
  }
}
