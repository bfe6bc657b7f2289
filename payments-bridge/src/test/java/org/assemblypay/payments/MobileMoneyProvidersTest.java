package org.assemblypay.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MobileMoneyProvidersTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ProviderContext context =
      new ProviderContext(
          MobileMoneyProviders.httpClient(Duration.ofSeconds(1)),
          meters,
          InstantSource.fixed(Instant.EPOCH),
          scheduler,
          (provider, headers, body) -> {});

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void eachKindBuildsANamedProvider() {
    assertThat(
            MobileMoneyProviders.create(
                    TestProviders.mtn("http://127.0.0.1:1", 1_000, Map.of()), context)
                .name())
        .isEqualTo("mtn-gh");
    assertThat(
            MobileMoneyProviders.create(TestProviders.hubtel("http://127.0.0.1:1", 1_000), context)
                .name())
        .isEqualTo("hubtel");
    assertThat(MobileMoneyProviders.create(TestProviders.simulator(Map.of()), context).name())
        .isEqualTo("simulator");
  }

  @Test
  void configurationMistakesAreRefusedAtStartup() {
    ProviderConfig hubtel = TestProviders.hubtel("http://127.0.0.1:1", 1_000);
    ProviderConfig withoutAccount =
        new ProviderConfig(
            hubtel.name(),
            hubtel.kind(),
            hubtel.baseUrl(),
            hubtel.apiUser(),
            hubtel.apiKey(),
            hubtel.subscriptionKey(),
            hubtel.targetEnvironment(),
            hubtel.connectTimeoutMillis(),
            hubtel.requestTimeoutMillis(),
            hubtel.callbackUrl(),
            hubtel.currency(),
            Map.of());

    assertThatThrownBy(() -> MobileMoneyProviders.create(withoutAccount, context))
        .hasMessageContaining("merchantAccount");
    assertThatThrownBy(
            () ->
                MobileMoneyProviders.create(
                    TestProviders.simulator(Map.of("maxInFlight", "0")), context))
        .hasMessageContaining("maxInFlight");
    assertThatThrownBy(
            () ->
                MobileMoneyProviders.create(
                    TestProviders.simulator(Map.of("approvalDelayMillis", "soon")), context))
        .hasMessageContaining("approvalDelayMillis");
  }

  @Test
  void configurationNeverPrintsCredentials() {
    ProviderConfig config =
        new ProviderConfig(
            "mtn-gh",
            ProviderKind.MTN_MOMO,
            URI.create("https://proxy.momoapi.mtn.com"),
            "api-user",
            new Secret("the-api-key"),
            new Secret("the-subscription-key"),
            "mtnghana",
            1_000,
            10_000,
            Optional.empty(),
            "GHS",
            Map.of());

    assertThat(config.toString())
        .doesNotContain("the-api-key")
        .doesNotContain("the-subscription-key");
    assertThat(config.apiKey().toString()).isEqualTo("***");
  }

  /** A provider whose calls finish when the test says so. */
  private static final class HeldProvider implements MobileMoneyProvider {
    final CompletableFuture<RequestOutcome> held = new CompletableFuture<>();

    @Override
    public String name() {
      return "held";
    }

    @Override
    public CompletionStage<RequestOutcome> requestToPay(CollectionRequest request) {
      return held;
    }

    @Override
    public CompletionStage<ProviderStatus> status(UUID reference) {
      return CompletableFuture.completedFuture(new ProviderStatus.Pending());
    }

    @Override
    public CallbackParse parseCallback(Map<String, List<String>> headers, byte[] body) {
      return new CallbackParse.Refused(CallbackParse.Refusal.MALFORMED, "unused");
    }
  }

  @Test
  void callsOverTheInFlightBoundAreRefusedLocallyUntilOneFinishes() throws Exception {
    HeldProvider held = new HeldProvider();
    InFlightLimited limited = new InFlightLimited(held, 1, meters);
    CollectionRequest toll = TestProviders.toll(TestProviders.MTN_PAYER, Network.MTN);

    CompletionStage<RequestOutcome> first = limited.requestToPay(toll);
    RequestOutcome second = limited.requestToPay(toll).toCompletableFuture().get();
    ProviderStatus status = limited.status(toll.reference()).toCompletableFuture().get();

    assertThat(second)
        .isEqualTo(new RequestOutcome.NotSent(ProviderError.RATE_LIMITED, "local in-flight limit"));
    assertThat(status)
        .isEqualTo(new ProviderStatus.Unknown(ProviderError.RATE_LIMITED, "local in-flight limit"));
    assertThat(meters.get(InFlightLimited.IN_FLIGHT).tag("provider", "held").gauge().value())
        .isEqualTo(1.0);

    held.held.complete(new RequestOutcome.Accepted(Optional.empty()));
    assertThat(first.toCompletableFuture().get()).isInstanceOf(RequestOutcome.Accepted.class);
    assertThat(limited.status(toll.reference()).toCompletableFuture().get())
        .isEqualTo(new ProviderStatus.Pending());
    assertThat(meters.get(InFlightLimited.IN_FLIGHT).tag("provider", "held").gauge().value())
        .isEqualTo(0.0);
  }
}
