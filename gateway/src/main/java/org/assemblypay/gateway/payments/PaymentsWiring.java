package org.assemblypay.gateway.payments;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.menus.trader.PaymentRequests;
import org.assemblypay.payments.MobileMoneyProviders;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderConfig;
import org.assemblypay.payments.ProviderKind;
import org.assemblypay.payments.RoutingTable;
import org.assemblypay.payments.Secret;
import org.assemblypay.payments.lifecycle.PaymentService;
import org.assemblypay.payments.lifecycle.PaymentSettings;
import org.assemblypay.payments.lifecycle.StartResult;

/**
 * Builds the payment service from configuration and adapts it to the menus' {@link PaymentRequests}
 * port: the confirm screen starts a payment and returns at once.
 */
public final class PaymentsWiring implements PaymentRequests, AutoCloseable {
  private final PaymentService service;
  private final PaymentSettings settings;

  private PaymentsWiring(PaymentService service, PaymentSettings settings) {
    this.service = service;
    this.settings = settings;
  }

  /** Creates the service; call {@link #startPolling()} once the node is ready. */
  public static PaymentsWiring create(
      PaymentsConfig config,
      Ledger ledger,
      Function<String, Notifier> notifiers,
      ScheduledExecutorService scheduler,
      MeterRegistry registry,
      Clock clock) {
    PaymentSettings settings = settings(config, routing(config));
    List<ProviderConfig> providers =
        config.providers().stream().map(PaymentsWiring::provider).toList();
    PaymentService service =
        PaymentService.create(
            settings,
            ledger,
            providers,
            MobileMoneyProviders.httpClient(Duration.ofSeconds(5)),
            scheduler,
            notifiers,
            registry,
            clock);
    return new PaymentsWiring(service, settings);
  }

  /**
   * The payments-wide routing: Ghana's prefixes and names, the configured providers and prefixes.
   */
  static RoutingTable routing(PaymentsConfig config) {
    return table(config.providerByNetwork(), config.prefixes(), RoutingTable.GHANA_PREFIXES);
  }

  private static RoutingTable table(
      Map<String, String> providerByNetwork,
      Map<String, String> prefixes,
      Map<String, Network> basePrefixes) {
    Map<Network, String> byNetwork = new EnumMap<>(Network.class);
    providerByNetwork.forEach(
        (network, provider) ->
            byNetwork.put(PaymentsConfig.network(network).orElseThrow(), provider));
    Map<String, Network> allPrefixes = new HashMap<>(basePrefixes);
    prefixes.forEach(
        (prefix, network) ->
            allPrefixes.put(prefix, PaymentsConfig.network(network).orElseThrow()));
    return new RoutingTable(byNetwork, allPrefixes, RoutingTable.GHANA_AGGREGATOR_NAMES);
  }

  /** The lifecycle's settings from configuration; the rest keep their defaults. */
  static PaymentSettings settings(PaymentsConfig config, RoutingTable routing) {
    RoutingTable payments = routing(config);
    Map<String, RoutingTable> byAssembly = new HashMap<>();
    config
        .routingByAssembly()
        .forEach(
            (code, own) -> {
              Map<String, String> providers = new LinkedHashMap<>(config.providerByNetwork());
              providers.putAll(own.providerByNetwork());
              byAssembly.put(code, table(providers, own.prefixes(), payments.prefixes()));
            });
    return PaymentSettings.defaults(routing)
        .withRoutingByAssembly(byAssembly)
        .withRetryTable(config.retryTable())
        .withLocalExpiryMillis(Duration.ofMinutes(config.localExpiryMinutes()).toMillis())
        .withPollTimings(
            config.pollIntervalMillis(),
            config.pollJitterPercent(),
            Duration.ofSeconds(config.earlyCallbackWindowSeconds()).toMillis())
        .withExpiredRecheck(
            config.expiredRecheckBatchSize(),
            Duration.ofSeconds(config.expiredRecheckSweepSeconds()).toMillis());
  }

  /** The demo's providers (the simulator serves every network) with the configured timings. */
  public static PaymentsConfig demoConfig(PaymentsConfig timings) {
    return timings.withProviders(demoConfig().providers(), demoConfig().providerByNetwork());
  }

  /** The demo's providers: the simulator serves every network. */
  public static PaymentsConfig demoConfig() {
    PaymentsConfig.Provider simulator =
        new PaymentsConfig.Provider(
            "simulator",
            "simulator",
            null,
            null,
            null,
            null,
            null,
            0,
            0,
            null,
            null,
            Map.of("approvalDelayMillis", "1500", "callbackDelayMillis", "500"));
    return PaymentsConfig.defaults()
        .withProviders(
            List.of(simulator),
            Map.of("MTN", "simulator", "TELECEL", "simulator", "AIRTELTIGO", "simulator"));
  }

  static ProviderConfig provider(PaymentsConfig.Provider p) {
    return new ProviderConfig(
        p.name(),
        ProviderKind.valueOf(p.kind().toUpperCase(Locale.ROOT)),
        p.baseUrl() == null ? URI.create("http://127.0.0.1/") : URI.create(p.baseUrl()),
        p.apiUser() == null ? "" : p.apiUser(),
        new Secret(p.apiKey() == null ? "" : p.apiKey()),
        new Secret(p.subscriptionKey() == null ? "" : p.subscriptionKey()),
        p.targetEnvironment() == null ? "" : p.targetEnvironment(),
        p.connectTimeoutMillis(),
        p.requestTimeoutMillis(),
        Optional.ofNullable(p.callbackUrl()).map(URI::create),
        p.currency(),
        p.settings());
  }

  public PaymentService service() {
    return service;
  }

  public void startPolling() {
    service.startPolling();
  }

  @Override
  public Optional<String> networkFor(
      String assemblyCode, String payerMsisdn, String aggregatorNetwork) {
    RoutingTable table = settings.routingFor(assemblyCode);
    Optional<Network> named =
        aggregatorNetwork == null || aggregatorNetwork.isBlank()
            ? Optional.empty()
            : table.networkNamed(aggregatorNetwork);
    Optional<Network> network =
        named.or(() -> Msisdn.parse(payerMsisdn).flatMap(table::networkByPrefix));
    return network.map(PaymentsWiring::displayName);
  }

  @Override
  public PaymentStart start(PaymentOrder order) {
    Optional<Msisdn> payer = Msisdn.parse(order.payerMsisdn());
    if (payer.isEmpty()) {
      return new PaymentStart.UnknownNetwork();
    }
    StartResult result =
        service.start(
            new org.assemblypay.payments.lifecycle.PaymentOrder(
                    order.assemblyCode(),
                    order.traderId(),
                    payer.get(),
                    order.amountPesewas(),
                    order.purpose(),
                    order.payerLanguage(),
                    Optional.ofNullable(order.aggregatorNetwork()).filter(n -> !n.isBlank()),
                    "Market toll " + order.assemblyCode(),
                    order.purpose().name())
                .withIdempotencyKey(order.idempotencyKey()));
    if (result instanceof StartResult.Started started) {
      return new PaymentStart.Started(
          started.reference().toString(), displayName(started.network()));
    }
    if (result instanceof StartResult.Unavailable unavailable) {
      return new PaymentStart.Unavailable(displayName(unavailable.network()));
    }
    return new PaymentStart.UnknownNetwork();
  }

  /** Names as traders know them, short enough for the confirm screen: MTN, Telecel, AT. */
  static String displayName(Network network) {
    return switch (network) {
      case MTN -> "MTN";
      case TELECEL -> "Telecel";
      case AIRTELTIGO -> "AT";
    };
  }

  @Override
  public void close() {
    service.stopPolling();
    service.close();
  }
}
