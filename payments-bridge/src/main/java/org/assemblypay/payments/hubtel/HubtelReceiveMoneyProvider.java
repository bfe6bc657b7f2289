package org.assemblypay.payments.hubtel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.assemblypay.ledger.Correlation;
import org.assemblypay.payments.BoundedBody;
import org.assemblypay.payments.BoundedJson;
import org.assemblypay.payments.CallbackParse;
import org.assemblypay.payments.CollectionRequest;
import org.assemblypay.payments.DecimalAmount;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.MobileMoneyProvider;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderConfig;
import org.assemblypay.payments.ProviderError;
import org.assemblypay.payments.ProviderKind;
import org.assemblypay.payments.ProviderMetrics;
import org.assemblypay.payments.ProviderStatus;
import org.assemblypay.payments.ProviderText;
import org.assemblypay.payments.RequestOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hubtel Direct Receive Money: pulls from Telecel Cash ({@code vodafone-gh}), AirtelTigo Money
 * ({@code tigo-gh}) and, as a fallback, MTN ({@code mtn-gh}); the channel follows {@link
 * CollectionRequest#network()}.
 *
 * <p>Endpoints modelled (from Hubtel's public developer documentation; both roots configurable),
 * each with HTTP Basic auth (apiUser = API client id, apiKey = client secret):
 *
 * <ul>
 *   <li>{@code POST {baseUrl}/merchantaccount/merchants/{merchantAccount}/receive/mobilemoney}
 *       (default root {@code https://rmp.hubtel.com}) with {@code CustomerName, CustomerMsisdn,
 *       Channel, Amount, PrimaryCallbackUrl, Description, ClientReference}; answer {@code
 *       ResponseCode} {@code 0001} = pending, callback to follow.
 *   <li>Callback to {@code PrimaryCallbackUrl}: {@code {ResponseCode, Message, Data:
 *       {ClientReference, TransactionId, Amount, Charges, AmountCharged, ...}}}; {@code 0000}
 *       success, {@code 2001} failure; may come more than once.
 *   <li>{@code GET {statusBaseUrl}/transactions/{merchantAccount}/status?clientReference=...}
 *       (default root {@code https://api-txnstatus.hubtel.com}, needs the caller's IP
 *       allow-listed): {@code data.status} Paid / Unpaid / Refunded; mandatory when no final
 *       callback came within 5 minutes.
 * </ul>
 *
 * <p>The ClientReference is the payment's UUID without dashes (32 hex characters). "Unpaid" is
 * reported as {@link ProviderStatus.Pending}, not as a failure: Hubtel uses it both before the
 * payer answers and after a failure, and a FAILED payment can never be settled later, whereas a
 * pending one expires locally and may still settle late.
 *
 * <p>Settings: {@code merchantAccount} (required, the POS sales id), {@code statusBaseUrl}, {@code
 * customerName} (default "Trader"), {@code channel.MTN}, {@code channel.TELECEL}, {@code
 * channel.AIRTELTIGO} (defaults {@code mtn-gh}, {@code vodafone-gh}, {@code tigo-gh}), {@code
 * statusQuietMillis} (default 300000: no status query in the first five minutes unless a callback
 * came).
 */
public final class HubtelReceiveMoneyProvider implements MobileMoneyProvider {

  private static final Logger LOG = LoggerFactory.getLogger(HubtelReceiveMoneyProvider.class);
  private static final int DESCRIPTION_MAX_CHARS = 100;

  /** Hubtel's response code for a request that failed validation (duplicates included). */
  static final String VALIDATION_ERROR = "4000";

  private final ProviderConfig config;
  private final HttpClient http;
  private final ProviderMetrics metrics;
  private final ObjectMapper json = BoundedJson.newMapper();
  private final Duration requestTimeout;
  private final String authorization;
  private final URI receiveUri;
  private final String statusRoot;
  private final String merchantAccount;
  private final String customerName;
  private final Map<Network, String> channels = new EnumMap<>(Network.class);
  private final long statusQuietMillis;

  /** Builds the adapter for one Hubtel merchant account. */
  public HubtelReceiveMoneyProvider(ProviderConfig config, HttpClient http, MeterRegistry meters) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.kind() != ProviderKind.HUBTEL) {
      throw new IllegalArgumentException("not a Hubtel config: " + config);
    }
    this.http = Objects.requireNonNull(http, "http");
    this.metrics = new ProviderMetrics(meters, config.name());
    this.requestTimeout = Duration.ofMillis(config.requestTimeoutMillis());
    this.merchantAccount = config.requiredSetting("merchantAccount");
    if (!merchantAccount.matches("[A-Za-z0-9]{1,32}")) {
      throw new IllegalArgumentException("provider " + config.name() + ": bad merchantAccount");
    }
    this.customerName = ProviderText.sanitise(config.setting("customerName", "Trader"), 60);
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (config.apiUser() + ":" + config.apiKey().value())
                        .getBytes(StandardCharsets.UTF_8));
    this.receiveUri =
        URI.create(
            trimSlash(config.baseUrl().toString())
                + "/merchantaccount/merchants/"
                + merchantAccount
                + "/receive/mobilemoney");
    this.statusRoot =
        trimSlash(config.setting("statusBaseUrl", "https://api-txnstatus.hubtel.com"));
    channels.put(Network.MTN, config.setting("channel.MTN", "mtn-gh"));
    channels.put(Network.TELECEL, config.setting("channel.TELECEL", "vodafone-gh"));
    channels.put(Network.AIRTELTIGO, config.setting("channel.AIRTELTIGO", "tigo-gh"));
    try {
      this.statusQuietMillis = Long.parseLong(config.setting("statusQuietMillis", "300000"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "provider " + config.name() + ": statusQuietMillis must be a number of milliseconds");
    }
    if (statusQuietMillis < 0 || statusQuietMillis > 3_600_000) {
      throw new IllegalArgumentException(
          "provider " + config.name() + ": statusQuietMillis must be 0..3600000");
    }
  }

  @Override
  public String name() {
    return config.name();
  }

  /** Five minutes unless the {@code statusQuietMillis} setting says otherwise. */
  @Override
  public long statusQuietMillis() {
    return statusQuietMillis;
  }

  @Override
  public CompletionStage<RequestOutcome> requestToPay(CollectionRequest request) {
    // Answered on an HTTP client thread: the line carries the caller's id explicitly.
    String correlationId = Correlation.current().orElse(null);
    long startNanos = System.nanoTime();
    HttpRequest httpRequest =
        HttpRequest.newBuilder(receiveUri)
            .timeout(requestTimeout)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(request)))
            .build();
    return http.sendAsync(httpRequest, BoundedBody.handler())
        .handle(
            (response, failure) ->
                failure != null ? transportOutcome(failure) : interpretRequest(response))
        .thenCompose(outcome -> duplicateChecked(request.reference(), outcome))
        .thenApply(
            outcome -> {
              metrics.call(
                  "request", ProviderMetrics.label(outcome), System.nanoTime() - startNanos);
              Correlation.run(
                  correlationId,
                  () ->
                      LOG.atInfo()
                          .addKeyValue("provider", config.name())
                          .addKeyValue("reference", request.reference())
                          .addKeyValue("payer", request.payer().masked())
                          .addKeyValue("channel", channels.get(request.network()))
                          .addKeyValue("amountPesewas", request.amountPesewas())
                          .addKeyValue("outcome", outcome)
                          .log("hubtel receive money"));
              return outcome;
            });
  }

  /**
   * Hubtel answers a ClientReference it already has with a validation error ({@code 4000}), the
   * same code as for a bad number or amount, and its wording is not a published contract. So a
   * {@code 4000} naming the reference as taken is the duplicate at once; any other {@code 4000} is
   * settled by the status query: a transaction under our reference means it is the duplicate of an
   * earlier send (another node's, or one that timed out here) and must be polled, never failed; no
   * transaction means the request itself was bad.
   */
  private CompletionStage<RequestOutcome> duplicateChecked(UUID reference, RequestOutcome outcome) {
    if (!(outcome instanceof RequestOutcome.Rejected rejected)
        || !rejected.code().equals(VALIDATION_ERROR)) {
      return CompletableFuture.completedFuture(outcome);
    }
    if (namesTakenReference(rejected.detail())) {
      return CompletableFuture.completedFuture(new RequestOutcome.AlreadyExists());
    }
    return status(reference)
        .thenApply(
            status -> {
              if (status instanceof ProviderStatus.NotFound) {
                return outcome;
              }
              if (status instanceof ProviderStatus.Unknown unknown) {
                return new RequestOutcome.OutcomeUnknown(
                    unknown.error(), "4000, then status unreadable: " + unknown.detail());
              }
              return new RequestOutcome.AlreadyExists();
            });
  }

  /** "Duplicate ClientReference", "ClientReference already exists/used", "must be unique". */
  static boolean namesTakenReference(String message) {
    String text = message.toLowerCase(Locale.ROOT);
    return text.contains("reference")
        && (text.contains("duplicate")
            || text.contains("already")
            || text.contains("exist")
            || text.contains("unique"));
  }

  @Override
  public CompletionStage<ProviderStatus> status(UUID reference) {
    String correlationId = Correlation.current().orElse(null);
    long startNanos = System.nanoTime();
    URI uri =
        URI.create(
            statusRoot
                + "/transactions/"
                + merchantAccount
                + "/status?clientReference="
                + URLEncoder.encode(HubtelReference.of(reference), StandardCharsets.UTF_8));
    HttpRequest httpRequest =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Authorization", authorization)
            .GET()
            .build();
    return http.sendAsync(httpRequest, BoundedBody.handler())
        .handle(
            (response, failure) ->
                failure != null
                    ? (ProviderStatus)
                        new ProviderStatus.Unknown(
                            ProviderError.of(failure), ProviderError.describe(failure))
                    : interpretStatus(response))
        .thenApply(
            status ->
                metrics.statusAnswered(
                    status,
                    reference,
                    startNanos,
                    correlationId,
                    LOG,
                    "hubtel transaction status"));
  }

  @Override
  public CallbackParse parseCallback(Map<String, List<String>> headers, byte[] body) {
    CallbackParse parse =
        BoundedJson.readCallback(
            body,
            node -> {
              JsonNode data = field(node, "Data");
              if (data == null || !data.isObject()) {
                return new CallbackParse.Refused(CallbackParse.Refusal.MALFORMED, "no Data object");
              }
              Optional<UUID> reference =
                  textField(data, "ClientReference").flatMap(HubtelReference::parse);
              if (reference.isEmpty()) {
                return new CallbackParse.Refused(
                    CallbackParse.Refusal.NO_REFERENCE, "ClientReference is not one of ours");
              }
              return new CallbackParse.Hint(
                  config.name(), reference.get(), claimed(textField(node, "ResponseCode")));
            });
    metrics.callback(parse);
    return parse;
  }

  private static CallbackParse.ClaimedOutcome claimed(Optional<String> responseCode) {
    switch (responseCode.orElse("")) {
      case "0000":
        return CallbackParse.ClaimedOutcome.SUCCESS;
      case "2001":
        return CallbackParse.ClaimedOutcome.FAILURE;
      case "0001":
        return CallbackParse.ClaimedOutcome.PENDING;
      default:
        return CallbackParse.ClaimedOutcome.UNSPECIFIED;
    }
  }

  private static RequestOutcome transportOutcome(Throwable failure) {
    ProviderError error = ProviderError.of(failure);
    return ProviderError.neverDelivered(failure)
        ? new RequestOutcome.NotSent(error, "connection not made")
        : new RequestOutcome.OutcomeUnknown(error, ProviderError.describe(failure));
  }

  private RequestOutcome interpretRequest(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      return new RequestOutcome.NotSent(ProviderError.AUTHENTICATION_FAILED, "HTTP " + status);
    }
    if (status == 429) {
      return new RequestOutcome.NotSent(ProviderError.RATE_LIMITED, "HTTP 429");
    }
    if (status == 409) {
      return new RequestOutcome.AlreadyExists();
    }
    if (status >= 500) {
      return new RequestOutcome.OutcomeUnknown(ProviderError.SERVER_ERROR, "HTTP " + status);
    }
    Optional<JsonNode> body = BoundedJson.readObject(response.body());
    Optional<String> code = body.flatMap(b -> textField(b, "ResponseCode"));
    if (status >= 200 && status < 300 && code.isPresent()) {
      if (code.get().equals("0001") || code.get().equals("0000")) {
        Optional<String> txnId =
            body.map(b -> field(b, "Data")).flatMap(d -> scalarField(d, "TransactionId"));
        return new RequestOutcome.Accepted(txnId);
      }
    }
    if (status >= 200 && status < 300 && code.isEmpty()) {
      return new RequestOutcome.OutcomeUnknown(
          ProviderError.MALFORMED_RESPONSE, "HTTP " + status + " without ResponseCode");
    }
    String message =
        body.flatMap(b -> textField(b, "Message"))
            .or(() -> body.map(b -> field(b, "Data")).flatMap(d -> textField(d, "Description")))
            .orElse("");
    return new RequestOutcome.Rejected(
        code.orElse("HTTP_" + status), ProviderText.sanitise(message, 200));
  }

  private ProviderStatus interpretStatus(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status == 404) {
      return new ProviderStatus.NotFound();
    }
    if (status == 401 || status == 403) {
      return new ProviderStatus.Unknown(ProviderError.AUTHENTICATION_FAILED, "HTTP " + status);
    }
    if (status == 429) {
      return new ProviderStatus.Unknown(ProviderError.RATE_LIMITED, "HTTP 429");
    }
    if (status >= 500) {
      return new ProviderStatus.Unknown(ProviderError.SERVER_ERROR, "HTTP " + status);
    }
    if (status != 200) {
      return new ProviderStatus.Unknown(ProviderError.UNEXPECTED_RESPONSE, "HTTP " + status);
    }
    Optional<JsonNode> body = BoundedJson.readObject(response.body());
    JsonNode data = body.map(b -> field(b, "data")).orElse(null);
    if (data == null || !data.isObject()) {
      return new ProviderStatus.Unknown(ProviderError.MALFORMED_RESPONSE, "no data object");
    }
    String state = textField(data, "status").orElse("").toLowerCase(Locale.ROOT);
    switch (state) {
      case "paid":
        JsonNode amount = field(data, "amount");
        OptionalLong amountPesewas =
            amount == null
                ? OptionalLong.empty()
                : amount.isNumber()
                    ? DecimalAmount.parsePesewas(amount.decimalValue())
                    : amount.isTextual()
                        ? DecimalAmount.parsePesewas(amount.textValue())
                        : OptionalLong.empty();
        if (amountPesewas.isEmpty()) {
          return new ProviderStatus.Unknown(
              ProviderError.MALFORMED_RESPONSE, "Paid without a readable amount");
        }
        return new ProviderStatus.Successful(
            amountPesewas.getAsLong(),
            textField(data, "currencyCode").filter(c -> !c.isBlank()).orElse(config.currency()),
            scalarField(data, "transactionId").orElse(""));
      case "unpaid":
        return new ProviderStatus.Pending();
      case "refunded":
        return new ProviderStatus.Failed(FailureReason.REFUNDED, "Refunded");
      default:
        return new ProviderStatus.Unknown(
            ProviderError.UNEXPECTED_RESPONSE, "status " + ProviderText.sanitise(state, 40));
    }
  }

  private byte[] requestBody(CollectionRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("CustomerName", customerName);
    body.put("CustomerMsisdn", request.payer().digits());
    body.put("Channel", channels.get(request.network()));
    body.put("Amount", DecimalAmount.toDecimal(request.amountPesewas()));
    config.callbackUrl().ifPresent(url -> body.put("PrimaryCallbackUrl", url.toString()));
    String description =
        request.payerMessage().isBlank() ? request.payeeNote() : request.payerMessage();
    body.put("Description", ProviderText.sanitise(description, DESCRIPTION_MAX_CHARS));
    body.put("ClientReference", HubtelReference.of(request.reference()));
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  /** A field by name, ignoring case: Hubtel spells the same field "Data" and "data". */
  private static JsonNode field(JsonNode object, String name) {
    if (object == null || !object.isObject()) {
      return null;
    }
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    var names = object.fieldNames();
    while (names.hasNext()) {
      String candidate = names.next();
      if (candidate.equalsIgnoreCase(name)) {
        return object.get(candidate);
      }
    }
    return null;
  }

  private static Optional<String> textField(JsonNode object, String name) {
    JsonNode value = field(object, name);
    return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  private static Optional<String> scalarField(JsonNode object, String name) {
    JsonNode value = field(object, name);
    if (value == null || value.isNull() || !value.isValueNode()) {
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
