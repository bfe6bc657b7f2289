package org.assemblypay.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.assemblypay.payments.simulator.SimulatorProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderRouterTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final MobileMoneyProvider mtn = named("mtn-gh");
  private final MobileMoneyProvider hubtel = named("hubtel");

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private MobileMoneyProvider named(String name) {
    ProviderConfig base = TestProviders.simulator(Map.of());
    ProviderConfig config =
        new ProviderConfig(
            name,
            base.kind(),
            base.baseUrl(),
            base.apiUser(),
            base.apiKey(),
            base.subscriptionKey(),
            base.targetEnvironment(),
            base.connectTimeoutMillis(),
            base.requestTimeoutMillis(),
            base.callbackUrl(),
            base.currency(),
            base.settings());
    return new SimulatorProvider(
        config,
        InstantSource.fixed(Instant.EPOCH),
        scheduler,
        (provider, headers, body) -> {},
        new SimpleMeterRegistry());
  }

  private ProviderRouter accraRouter() {
    return new ProviderRouter(
        RoutingTable.ghana(
            Map.of(Network.MTN, "mtn-gh", Network.TELECEL, "hubtel", Network.AIRTELTIGO, "hubtel")),
        Map.of("mtn-gh", mtn, "hubtel", hubtel));
  }

  private static Msisdn number(String local) {
    return Msisdn.parse(local).orElseThrow();
  }

  @ParameterizedTest
  @CsvSource({
    "MTN, MTN",
    "mtn, MTN",
    "MTN-GH, MTN",
    "62001, MTN",
    "620-01, MTN",
    "Vodafone, TELECEL",
    "VODAFONE, TELECEL",
    "Telecel, TELECEL",
    "62002, TELECEL",
    "AirtelTigo, AIRTELTIGO",
    "AIRTELTIGO, AIRTELTIGO",
    "tigo, AIRTELTIGO",
    "airtel, AIRTELTIGO",
    "62003, AIRTELTIGO",
    "62006, AIRTELTIGO"
  })
  void aggregatorNetworkNamesAndCodesAreNormalised(String aggregatorNetwork, Network expected) {
    Route route = accraRouter().route(number("0301234567"), Optional.of(aggregatorNetwork));

    assertThat(route).isInstanceOf(Route.Routed.class);
    assertThat(((Route.Routed) route).network()).isEqualTo(expected);
    assertThat(((Route.Routed) route).basis()).isEqualTo(Route.Basis.AGGREGATOR);
  }

  @ParameterizedTest
  @CsvSource({
    "0241234567, MTN",
    "0251234567, MTN",
    "0531234567, MTN",
    "0541234567, MTN",
    "0551234567, MTN",
    "0591234567, MTN",
    "0201234567, TELECEL",
    "0501234567, TELECEL",
    "0261234567, AIRTELTIGO",
    "0271234567, AIRTELTIGO",
    "0561234567, AIRTELTIGO",
    "0571234567, AIRTELTIGO"
  })
  void withoutAnAggregatorNetworkThePrefixDecides(String local, Network expected) {
    Route route = accraRouter().route(number(local), Optional.empty());

    assertThat(route).isInstanceOf(Route.Routed.class);
    assertThat(((Route.Routed) route).network()).isEqualTo(expected);
    assertThat(((Route.Routed) route).basis()).isEqualTo(Route.Basis.PREFIX);
  }

  @Test
  void aPortedNumberFollowsTheAggregatorNotThePrefix() {
    Route route = accraRouter().route(number("0244123678"), Optional.of("VODAFONE"));

    assertThat(route).isEqualTo(new Route.Routed(hubtel, Network.TELECEL, Route.Basis.AGGREGATOR));
  }

  @Test
  void anUnrecognisedAggregatorNetworkFallsBackToThePrefix() {
    Route route = accraRouter().route(number("0244123678"), Optional.of("Glo"));

    assertThat(route).isEqualTo(new Route.Routed(mtn, Network.MTN, Route.Basis.PREFIX));
  }

  @Test
  void aBlankAggregatorNetworkCountsAsNone() {
    Route route = accraRouter().route(number("0201234567"), Optional.of("  "));

    assertThat(route).isEqualTo(new Route.Routed(hubtel, Network.TELECEL, Route.Basis.PREFIX));
  }

  @Test
  void anUnknownNetworkIsATypedAnswer() {
    Route route = accraRouter().route(number("0301234567"), Optional.of("Expresso"));

    assertThat(route).isEqualTo(new Route.UnknownNetwork(number("0301234567"), "Expresso"));
  }

  @Test
  void aNetworkWithoutAProviderIsATypedAnswer() {
    ProviderRouter mtnOnly =
        new ProviderRouter(
            RoutingTable.ghana(Map.of(Network.MTN, "mtn-gh")), Map.of("mtn-gh", mtn));

    assertThat(mtnOnly.route(number("0271234567"), Optional.empty()))
        .isEqualTo(new Route.NoProvider(Network.AIRTELTIGO));
  }

  @Test
  void anAssemblyCanConfigureItsOwnPrefixesAndNames() {
    RoutingTable table =
        new RoutingTable(
            Map.of(Network.MTN, "mtn-gh", Network.TELECEL, "hubtel"),
            Map.of("024", Network.MTN, "0281", Network.TELECEL, "028", Network.MTN),
            Map.of("Voda Cash", Network.TELECEL));
    ProviderRouter router = new ProviderRouter(table, Map.of("mtn-gh", mtn, "hubtel", hubtel));

    assertThat(router.route(number("0281234567"), Optional.empty()))
        .isEqualTo(new Route.Routed(hubtel, Network.TELECEL, Route.Basis.PREFIX));
    assertThat(router.route(number("0289234567"), Optional.empty()))
        .isEqualTo(new Route.Routed(mtn, Network.MTN, Route.Basis.PREFIX));
    assertThat(router.route(number("0244123678"), Optional.of("voda-cash")))
        .isEqualTo(new Route.Routed(hubtel, Network.TELECEL, Route.Basis.AGGREGATOR));
    assertThat(router.route(number("0201234567"), Optional.of("MTN")))
        .isEqualTo(new Route.UnknownNetwork(number("0201234567"), "MTN"));
  }

  @Test
  void aTableNamingAMissingProviderIsRefusedAtStartup() {
    assertThatThrownBy(
            () -> new ProviderRouter(RoutingTable.ghana(Map.of(Network.MTN, "mtn-gh")), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mtn-gh");
  }
}
