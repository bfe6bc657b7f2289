package org.assemblypay.payments.hubtel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.assemblypay.payments.CallbackParse;
import org.assemblypay.payments.CollectionRequest;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.MobileMoneyProviders;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderError;
import org.assemblypay.payments.ProviderStatus;
import org.assemblypay.payments.RequestOutcome;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubtelReceiveMoneyProviderTest {

  @RegisterExtension
  static WireMockExtension hubtel =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String RECEIVE_PATH =
      "/merchantaccount/merchants/HM1234567/receive/mobilemoney";

  private final HubtelReceiveMoneyProvider provider = provider(2_000);

  private static HubtelReceiveMoneyProvider provider(long requestTimeoutMillis) {
    return new HubtelReceiveMoneyProvider(
        TestProviders.hubtel(hubtel.baseUrl(), requestTimeoutMillis),
        MobileMoneyProviders.httpClient(Duration.ofSeconds(1)),
        new SimpleMeterRegistry());
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String clientReference(UUID reference) {
    return reference.toString().replace("-", "");
  }

  private static void receiveAnswers(int status, String body) {
    hubtel.stubFor(
        post(urlEqualTo(RECEIVE_PATH))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  private static void statusAnswers(UUID reference, int status, String body) {
    hubtel.stubFor(
        get(urlEqualTo(
                "/transactions/HM1234567/status?clientReference=" + clientReference(reference)))
            .withHeader("Authorization", equalTo(basic()))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  private static String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString("hubtel-client:hubtel-secret".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource({
    "TELECEL, 0201234567, vodafone-gh",
    "AIRTELTIGO, 0271234567, tigo-gh",
    "MTN, 0244123678, mtn-gh"
  })
  void pendingAnswerIsAcceptedWithTheChannelOfThePayersNetwork(
      Network network, String number, String channel) throws Exception {
    receiveAnswers(
        200,
        "{\"Message\":\"Transaction pending. Expect callback request for final state\","
            + "\"ResponseCode\":\"0001\",\"Data\":{\"TransactionId\":\"7f2a11c0a1b2\","
            + "\"Description\":\"Makola daily toll\",\"Amount\":5.0,\"Charges\":0.05,"
            + "\"AmountAfterCharges\":4.95,\"AmountCharged\":5.0,\"DeliveryFee\":0.0}}");
    CollectionRequest request = TestProviders.toll(Msisdn.parse(number).orElseThrow(), network);

    assertThat(await(provider.requestToPay(request)))
        .isEqualTo(new RequestOutcome.Accepted(Optional.of("7f2a11c0a1b2")));

    List<LoggedRequest> sent = hubtel.findAll(postRequestedFor(urlEqualTo(RECEIVE_PATH)));
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getHeader("Authorization")).isEqualTo(basic());
    String text = sent.get(0).getBodyAsString();
    assertThat(text).contains("\"Amount\":5.00");
    JsonNode body = new ObjectMapper().readTree(text);
    assertThat(body.get("Channel").asText()).isEqualTo(channel);
    assertThat(body.get("CustomerMsisdn").asText()).isEqualTo(request.payer().digits());
    assertThat(body.get("ClientReference").asText())
        .isEqualTo(clientReference(request.reference()))
        .hasSize(32)
        .matches("[0-9a-f]{32}");
    assertThat(body.get("PrimaryCallbackUrl").asText())
        .isEqualTo("https://pay.example.gov.gh/payments/callback/hubtel");
    assertThat(body.get("Description").asText()).isEqualTo("Makola daily toll 21/11/2026");
  }

  @Test
  void refusedRequestIsRejectedWithHubtelsCode() throws Exception {
    receiveAnswers(
        400, "{\"ResponseCode\":\"4075\",\"Message\":\"Insufficient prepaid balance.\"}");

    assertThat(
            await(
                provider.requestToPay(
                    TestProviders.toll(TestProviders.TELECEL_PAYER, Network.TELECEL))))
        .isEqualTo(new RequestOutcome.Rejected("4075", "Insufficient prepaid balance."));
  }

  @Test
  void serverErrorAndTimeoutLeaveTheOutcomeUnknown() throws Exception {
    receiveAnswers(502, "");
    assertThat(
            await(
                provider.requestToPay(
                    TestProviders.toll(TestProviders.TELECEL_PAYER, Network.TELECEL))))
        .isEqualTo(new RequestOutcome.OutcomeUnknown(ProviderError.SERVER_ERROR, "HTTP 502"));

    hubtel.stubFor(
        post(urlEqualTo(RECEIVE_PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withFixedDelay(1_500)
                    .withBody("{\"ResponseCode\":\"0001\"}")));
    RequestOutcome slow =
        await(
            provider(300)
                .requestToPay(TestProviders.toll(TestProviders.TELECEL_PAYER, Network.TELECEL)));
    assertThat(slow).isInstanceOf(RequestOutcome.OutcomeUnknown.class);
    assertThat(((RequestOutcome.OutcomeUnknown) slow).error()).isEqualTo(ProviderError.TIMEOUT);
  }

  @Test
  void badCredentialsMeanTheRequestWasNotSent() throws Exception {
    receiveAnswers(401, "");

    assertThat(
            await(
                provider.requestToPay(
                    TestProviders.toll(TestProviders.TELECEL_PAYER, Network.TELECEL))))
        .isEqualTo(new RequestOutcome.NotSent(ProviderError.AUTHENTICATION_FAILED, "HTTP 401"));
  }

  @Test
  void successCallbackIsAHintAboutOurReference() {
    UUID reference = UUID.randomUUID();
    byte[] body =
        ("{\"ResponseCode\":\"0000\",\"Message\":\"success\",\"Data\":{\"Amount\":5000.0,"
                + "\"Charges\":0.05,\"AmountAfterCharges\":4.95,\"Description\":\"The Vodafone Cash payment has been approved and processed successfully.\","
                + "\"ClientReference\":\""
                + clientReference(reference)
                + "\",\"TransactionId\":\"7f2a11c0a1b2\",\"ExternalTransactionId\":\"000012345\","
                + "\"AmountCharged\":5.0,\"OrderId\":\"7f2a11c0a1b2\"}}")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(provider.parseCallback(Map.of(), body))
        .isEqualTo(
            new CallbackParse.Hint("hubtel", reference, CallbackParse.ClaimedOutcome.SUCCESS));
  }

  @Test
  void failureCallbackIsAHintToo() {
    UUID reference = UUID.randomUUID();
    byte[] body =
        ("{\"ResponseCode\":\"2001\",\"Message\":\"failed\",\"Data\":{\"Amount\":5.0,"
                + "\"Description\":\"Transaction failed due to insufficient balance\","
                + "\"ClientReference\":\""
                + clientReference(reference)
                + "\",\"TransactionId\":\"7f2a11c0a1b3\"}}")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(provider.parseCallback(Map.of(), body))
        .isEqualTo(
            new CallbackParse.Hint("hubtel", reference, CallbackParse.ClaimedOutcome.FAILURE));
  }

  @Test
  void callbackWithSomeoneElsesReferenceIsRefused() {
    byte[] body =
        "{\"ResponseCode\":\"0000\",\"Data\":{\"ClientReference\":\"ORDER12345\"}}"
            .getBytes(StandardCharsets.UTF_8);

    CallbackParse parse = provider.parseCallback(Map.of(), body);

    assertThat(parse).isInstanceOf(CallbackParse.Refused.class);
    assertThat(((CallbackParse.Refused) parse).refusal())
        .isEqualTo(CallbackParse.Refusal.NO_REFERENCE);
  }

  @Test
  void statusPaidIsSuccessfulWithTheAmountInPesewas() throws Exception {
    UUID reference = UUID.randomUUID();
    statusAnswers(
        reference,
        200,
        "{\"message\":\"Successful\",\"responseCode\":\"0000\",\"data\":{\"date\":\"2026-11-21T09:01:02Z\","
            + "\"status\":\"Paid\",\"transactionId\":\"7f2a11c0a1b2\",\"externalTransactionId\":\"000012345\","
            + "\"paymentMethod\":\"mobilemoney\",\"clientReference\":\""
            + clientReference(reference)
            + "\",\"currencyCode\":null,\"amount\":2.5,\"charges\":0.03,\"amountAfterCharges\":2.47,"
            + "\"isFulfilled\":null}}");

    assertThat(await(provider.status(reference)))
        .isEqualTo(new ProviderStatus.Successful(250, "GHS", "7f2a11c0a1b2"));
  }

  @Test
  void statusUnpaidIsPendingAndRefundedIsFailed() throws Exception {
    UUID unpaid = UUID.randomUUID();
    UUID refunded = UUID.randomUUID();
    statusAnswers(
        unpaid, 200, "{\"responseCode\":\"0000\",\"data\":{\"status\":\"Unpaid\",\"amount\":5.0}}");
    statusAnswers(
        refunded,
        200,
        "{\"responseCode\":\"0000\",\"data\":{\"status\":\"Refunded\",\"amount\":5.0}}");

    assertThat(await(provider.status(unpaid))).isEqualTo(new ProviderStatus.Pending());
    assertThat(await(provider.status(refunded)))
        .isEqualTo(new ProviderStatus.Failed(FailureReason.REFUNDED, "Refunded"));
  }

  @Test
  void statusNotFoundAndUnreadableAmounts() throws Exception {
    UUID missing = UUID.randomUUID();
    UUID finer = UUID.randomUUID();
    statusAnswers(missing, 404, "");
    statusAnswers(finer, 200, "{\"data\":{\"status\":\"Paid\",\"amount\":0.005}}");

    assertThat(await(provider.status(missing))).isEqualTo(new ProviderStatus.NotFound());
    ProviderStatus status = await(provider.status(finer));
    assertThat(status).isInstanceOf(ProviderStatus.Unknown.class);
    assertThat(((ProviderStatus.Unknown) status).error())
        .isEqualTo(ProviderError.MALFORMED_RESPONSE);
  }

  // --- a ClientReference Hubtel already has (D164)

  private static final String UNPAID =
      "{\"responseCode\":\"0000\",\"data\":{\"status\":\"Unpaid\",\"transactionId\":\"t1\","
          + "\"amount\":5.0}}";

  private static int statusQueries() {
    return hubtel.findAll(getRequestedFor(urlPathEqualTo("/transactions/HM1234567/status"))).size();
  }

  @ParameterizedTest
  @CsvSource({
    "ClientReference already exists",
    "Duplicate ClientReference",
    "The client reference must be unique"
  })
  void aValidationErrorNamingTheReferenceAsTakenIsTheDuplicateAtOnce(String message)
      throws Exception {
    receiveAnswers(400, "{\"ResponseCode\":\"4000\",\"Message\":\"" + message + "\"}");
    CollectionRequest request =
        TestProviders.toll(Msisdn.parse("0201234567").orElseThrow(), Network.TELECEL);

    assertThat(await(provider.requestToPay(request))).isEqualTo(new RequestOutcome.AlreadyExists());
    assertThat(statusQueries()).isZero();
  }

  @Test
  void anyOtherValidationErrorIsSettledByTheStatusQuery() throws Exception {
    receiveAnswers(400, "{\"ResponseCode\":\"4000\",\"Message\":\"Validation errors\"}");
    CollectionRequest taken =
        TestProviders.toll(Msisdn.parse("0201234567").orElseThrow(), Network.TELECEL);
    CollectionRequest bad =
        TestProviders.toll(Msisdn.parse("0201234568").orElseThrow(), Network.TELECEL);
    CollectionRequest unreadable =
        TestProviders.toll(Msisdn.parse("0201234569").orElseThrow(), Network.TELECEL);
    statusAnswers(taken.reference(), 200, UNPAID);
    statusAnswers(bad.reference(), 404, "");
    statusAnswers(unreadable.reference(), 503, "");

    // Hubtel has a transaction under the reference: an earlier send took; poll it, never fail it.
    assertThat(await(provider.requestToPay(taken))).isEqualTo(new RequestOutcome.AlreadyExists());
    // Nothing under the reference: the request itself was bad.
    assertThat(await(provider.requestToPay(bad)))
        .isEqualTo(new RequestOutcome.Rejected("4000", "Validation errors"));
    // The status cannot be read: unknown, so the lifecycle asks again later.
    assertThat(await(provider.requestToPay(unreadable)))
        .isInstanceOfSatisfying(
            RequestOutcome.OutcomeUnknown.class,
            unknown -> assertThat(unknown.error()).isEqualTo(ProviderError.SERVER_ERROR));
  }

  @Test
  void otherRefusalsAreNotMistakenForDuplicates() throws Exception {
    receiveAnswers(400, "{\"ResponseCode\":\"4070\",\"Message\":\"Fees not set\"}");
    CollectionRequest request =
        TestProviders.toll(Msisdn.parse("0201234567").orElseThrow(), Network.TELECEL);

    assertThat(await(provider.requestToPay(request)))
        .isEqualTo(new RequestOutcome.Rejected("4070", "Fees not set"));
    assertThat(statusQueries()).isZero();
    assertThat(HubtelReceiveMoneyProvider.namesTakenReference("Invalid ClientReference length"))
        .isFalse();
    assertThat(HubtelReceiveMoneyProvider.namesTakenReference("Duplicate client reference"))
        .isTrue();
  }
}
