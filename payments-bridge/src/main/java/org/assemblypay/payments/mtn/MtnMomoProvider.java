package org.assemblypay.payments.mtn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.assemblypay.ledger.Correlation;
import org.assemblypay.payments.BoundedBody;
import org.assemblypay.payments.BoundedJson;
import org.assemblypay.payments.CallbackParse;
import org.assemblypay.payments.CollectionRequest;
import org.assemblypay.payments.DecimalAmount;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.MobileMoneyProvider;
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
 * MTN MoMo Open API, Collections product: request-to-pay, its status, and its callbacks.
 *
 * <p>Endpoints, relative to {@link ProviderConfig#baseUrl()}:
 *
 * <ul>
 *   <li>{@code POST /collection/token/}: Basic(apiUser:apiKey) and {@code
 *       Ocp-Apim-Subscription-Key}; 200 {@code {access_token, expires_in}}; bad credentials come
 *       back as 500 {@code login_failed}. Cached by {@link MtnTokenCache}.
 *   <li>{@code POST /collection/v1_0/requesttopay} with {@code X-Reference-Id} (our UUID v4, the
 *       idempotency key), {@code X-Target-Environment}, {@code X-Callback-Url}: 202 accepted, 409
 *       the reference exists, 5xx or no answer: unknown.
 *   <li>{@code GET /collection/v1_0/requesttopay/{referenceId}}: 200 with {@code status}
 *       PENDING/SUCCESSFUL/FAILED and {@code reason}; 404 never created.
 * </ul>
 *
 * <p>{@code externalId} is set to the reference too, only so that a callback (whose body does not
 * always carry the reference id) can name the payment; it is never used as an idempotency key.
 *
 * <p>Settings: {@code tokenRefreshMarginSeconds} (default 60), {@code loginFailureBackoffMillis}
 * (default 60000).
 */
public final class MtnMomoProvider implements MobileMoneyProvider {

  private static final Logger LOG = LoggerFactory.getLogger(MtnMomoProvider.class);
  private static final String REQUEST_TO_PAY_PATH = "/collection/v1_0/requesttopay";

  private final ProviderConfig config;
  private final HttpClient http;
  private final ProviderMetrics metrics;
  private final MtnTokenCache tokens;
  private final ObjectMapper json = BoundedJson.newMapper();
  private final Duration requestTimeout;
  private final String root;

  /**
   * Builds the adapter for one configured MTN API user.
   *
   * @param http a shared client; its connect timeout should be {@link
   *     ProviderConfig#connectTimeoutMillis()}
   * @param clock decides token expiry
   */
  public MtnMomoProvider(
      ProviderConfig config, HttpClient http, MeterRegistry meters, InstantSource clock) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.kind() != ProviderKind.MTN_MOMO) {
      throw new IllegalArgumentException("not an MTN MoMo config: " + config);
    }
    if (!config.targetEnvironment().matches("[A-Za-z0-9_-]{1,40}")
        || config.apiUser().isBlank()
        || config.subscriptionKey().isEmpty()
        || !printable(
            config.apiUser() + config.apiKey().value() + config.subscriptionKey().value())) {
      throw new IllegalArgumentException(
          "provider "
              + config.name()
              + ": MTN needs apiUser, apiKey, subscriptionKey and a"
              + " targetEnvironment of letters, digits, '-' or '_'");
    }
    this.http = Objects.requireNonNull(http, "http");
    this.metrics = new ProviderMetrics(meters, config.name());
    String base = config.baseUrl().toString();
    this.root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.requestTimeout = Duration.ofMillis(config.requestTimeoutMillis());
    this.tokens =
        new MtnTokenCache(
            config,
            http,
            clock,
            metrics,
            URI.create(root + "/collection/token/"),
            Duration.ofSeconds(config.longSetting("tokenRefreshMarginSeconds", 60)),
            Duration.ofMillis(config.longSetting("loginFailureBackoffMillis", 60_000)));
  }

  private static boolean printable(String text) {
    return text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public CompletionStage<RequestOutcome> requestToPay(CollectionRequest request) {
    // Answered on an HTTP client thread: the line carries the caller's id explicitly.
    String correlationId = Correlation.current().orElse(null);
    long startNanos = System.nanoTime();
    byte[] body = requestBody(request);
    return exchange(
            bearer -> {
              HttpRequest.Builder builder =
                  HttpRequest.newBuilder(URI.create(root + REQUEST_TO_PAY_PATH))
                      .timeout(requestTimeout)
                      .header("Authorization", "Bearer " + bearer)
                      .header("X-Reference-Id", request.reference().toString())
                      .header("X-Target-Environment", config.targetEnvironment())
                      .header("Ocp-Apim-Subscription-Key", config.subscriptionKey().value())
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body));
              config
                  .callbackUrl()
                  .ifPresent(url -> builder.header("X-Callback-Url", url.toString()));
              return builder.build();
            },
            true)
        .thenApply(this::interpretRequest)
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
                          .addKeyValue("amountPesewas", request.amountPesewas())
                          .addKeyValue("outcome", outcome)
                          .log("mtn requesttopay"));
              return outcome;
            });
  }

  @Override
  public CompletionStage<ProviderStatus> status(UUID reference) {
    String correlationId = Correlation.current().orElse(null);
    long startNanos = System.nanoTime();
    URI uri = URI.create(root + REQUEST_TO_PAY_PATH + "/" + reference);
    return exchange(
            bearer ->
                HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("Authorization", "Bearer " + bearer)
                    .header("X-Target-Environment", config.targetEnvironment())
                    .header("Ocp-Apim-Subscription-Key", config.subscriptionKey().value())
                    .GET()
                    .build(),
            true)
        .thenApply(this::interpretStatus)
        .thenApply(
            status ->
                metrics.statusAnswered(
                    status, reference, startNanos, correlationId, LOG, "mtn requesttopay status"));
  }

  @Override
  public CallbackParse parseCallback(Map<String, List<String>> headers, byte[] body) {
    CallbackParse parse =
        BoundedJson.readCallback(
            body,
            node -> {
              Optional<UUID> reference =
                  BoundedJson.text(node, "referenceId")
                      .or(() -> BoundedJson.text(node, "externalId"))
                      .flatMap(BoundedJson::uuidV4);
              if (reference.isEmpty()) {
                return new CallbackParse.Refused(
                    CallbackParse.Refusal.NO_REFERENCE, "no UUID v4 in referenceId or externalId");
              }
              return new CallbackParse.Hint(
                  config.name(), reference.get(), claimed(BoundedJson.text(node, "status")));
            });
    metrics.callback(parse);
    return parse;
  }

  private static CallbackParse.ClaimedOutcome claimed(Optional<String> status) {
    switch (status.orElse("").toUpperCase(Locale.ROOT)) {
      case "SUCCESSFUL":
        return CallbackParse.ClaimedOutcome.SUCCESS;
      case "FAILED":
        return CallbackParse.ClaimedOutcome.FAILURE;
      case "PENDING":
        return CallbackParse.ClaimedOutcome.PENDING;
      default:
        return CallbackParse.ClaimedOutcome.UNSPECIFIED;
    }
  }

  /** The result of one authorised exchange. */
  private sealed interface Exchange {
    record NoToken(MtnTokenCache.TokenFailure failure) implements Exchange {}

    record Transport(Throwable failure) implements Exchange {}

    record Answered(HttpResponse<byte[]> response) implements Exchange {}
  }

  /** Sends with a token; on a 401 for a cached token, refreshes once and sends once more. */
  private CompletableFuture<Exchange> exchange(
      Function<String, HttpRequest> build, boolean mayRefresh) {
    return tokens
        .token()
        .handle(
            (token, failure) -> {
              if (failure != null) {
                return CompletableFuture.<Exchange>completedFuture(
                    new Exchange.NoToken(MtnTokenCache.TokenFailure.of(failure)));
              }
              return http.sendAsync(build.apply(token.bearer()), BoundedBody.handler())
                  .handle(
                      (response, sendFailure) -> {
                        if (sendFailure != null) {
                          return CompletableFuture.<Exchange>completedFuture(
                              new Exchange.Transport(sendFailure));
                        }
                        if (response.statusCode() == 401 && mayRefresh) {
                          LOG.atInfo()
                              .addKeyValue("provider", config.name())
                              .log("mtn refused a cached token; refreshing once");
                          tokens.invalidate(token);
                          return exchange(build, false);
                        }
                        return CompletableFuture.<Exchange>completedFuture(
                            new Exchange.Answered(response));
                      })
                  .thenCompose(Function.identity());
            })
        .thenCompose(Function.identity());
  }

  private RequestOutcome interpretRequest(Exchange exchange) {
    if (exchange instanceof Exchange.NoToken noToken) {
      return new RequestOutcome.NotSent(noToken.failure().error(), noToken.failure().getMessage());
    }
    if (exchange instanceof Exchange.Transport transport) {
      ProviderError error = ProviderError.of(transport.failure());
      return ProviderError.neverDelivered(transport.failure())
          ? new RequestOutcome.NotSent(error, "connection not made")
          : new RequestOutcome.OutcomeUnknown(error, ProviderError.describe(transport.failure()));
    }
    HttpResponse<byte[]> response = ((Exchange.Answered) exchange).response();
    int status = response.statusCode();
    if (status == 202) {
      return new RequestOutcome.Accepted(Optional.empty());
    }
    if (status == 409) {
      return new RequestOutcome.AlreadyExists();
    }
    if (status == 401) {
      return new RequestOutcome.NotSent(
          ProviderError.AUTHENTICATION_FAILED, "401 with a fresh token");
    }
    if (status == 429) {
      return new RequestOutcome.NotSent(ProviderError.RATE_LIMITED, "HTTP 429");
    }
    if (status >= 500) {
      return new RequestOutcome.OutcomeUnknown(ProviderError.SERVER_ERROR, "HTTP " + status);
    }
    if (status >= 400) {
      Optional<JsonNode> body = BoundedJson.readObject(response.body());
      String code = body.flatMap(b -> BoundedJson.text(b, "code")).orElse("HTTP_" + status);
      String message = body.flatMap(b -> BoundedJson.text(b, "message")).orElse("");
      return new RequestOutcome.Rejected(code, ProviderText.sanitise(message, 200));
    }
    return new RequestOutcome.OutcomeUnknown(
        ProviderError.UNEXPECTED_RESPONSE, "HTTP " + status + " instead of 202");
  }

  private ProviderStatus interpretStatus(Exchange exchange) {
    if (exchange instanceof Exchange.NoToken noToken) {
      return new ProviderStatus.Unknown(noToken.failure().error(), noToken.failure().getMessage());
    }
    if (exchange instanceof Exchange.Transport transport) {
      return new ProviderStatus.Unknown(
          ProviderError.of(transport.failure()), ProviderError.describe(transport.failure()));
    }
    HttpResponse<byte[]> response = ((Exchange.Answered) exchange).response();
    int status = response.statusCode();
    if (status == 404) {
      return new ProviderStatus.NotFound();
    }
    if (status == 401) {
      return new ProviderStatus.Unknown(
          ProviderError.AUTHENTICATION_FAILED, "401 with a fresh token");
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
    Optional<JsonNode> parsed = BoundedJson.readObject(response.body());
    if (parsed.isEmpty()) {
      return new ProviderStatus.Unknown(ProviderError.MALFORMED_RESPONSE, "body is not JSON");
    }
    JsonNode body = parsed.get();
    String state = BoundedJson.text(body, "status").orElse("").toUpperCase(Locale.ROOT);
    switch (state) {
      case "SUCCESSFUL":
        return successful(body);
      case "FAILED":
        String code = reasonCode(body);
        return new ProviderStatus.Failed(FailureReason.fromCode(code), code);
      case "PENDING":
      case "CREATED":
      case "ONGOING":
        return new ProviderStatus.Pending();
      default:
        return new ProviderStatus.Unknown(
            ProviderError.UNEXPECTED_RESPONSE, "status " + ProviderText.sanitise(state, 40));
    }
  }

  private ProviderStatus successful(JsonNode body) {
    OptionalLong amountPesewas =
        BoundedJson.text(body, "amount")
            .map(DecimalAmount::parsePesewas)
            .orElse(OptionalLong.empty());
    Optional<String> currency = BoundedJson.text(body, "currency");
    if (amountPesewas.isEmpty() || currency.isEmpty()) {
      return new ProviderStatus.Unknown(
          ProviderError.MALFORMED_RESPONSE, "SUCCESSFUL without a readable amount and currency");
    }
    return new ProviderStatus.Successful(
        amountPesewas.getAsLong(),
        currency.get(),
        BoundedJson.text(body, "financialTransactionId").orElse(""));
  }

  /** MTN sends the reason as a string, or (older API versions) as {@code {code, message}}. */
  private static String reasonCode(JsonNode body) {
    JsonNode reason = body.get("reason");
    if (reason == null || reason.isNull()) {
      return "";
    }
    if (reason.isTextual()) {
      return reason.textValue();
    }
    return BoundedJson.text(reason, "code").orElse("");
  }

  private byte[] requestBody(CollectionRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("amount", DecimalAmount.format(request.amountPesewas()));
    body.put("currency", request.currency());
    body.put("externalId", request.reference().toString());
    ObjectNode payer = body.putObject("payer");
    payer.put("partyIdType", "MSISDN");
    payer.put("partyId", request.payer().digits());
    body.put(
        "payerMessage",
        ProviderText.sanitise(request.payerMessage(), ProviderText.MTN_MESSAGE_MAX_CHARS));
    body.put(
        "payeeNote",
        ProviderText.sanitise(request.payeeNote(), ProviderText.MTN_MESSAGE_MAX_CHARS));
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }
}
