package org.assemblypay.payments;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the provider that serves a payer: by the network the USSD aggregator named when it is
 * recognised, else by the number's prefix. One router per assembly; never calls a provider.
 */
public final class ProviderRouter {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderRouter.class);

  private final RoutingTable table;
  private final Map<String, MobileMoneyProvider> providersByName;

  /**
   * Builds a router; every provider the table names must be among {@code providersByName}.
   *
   * @throws IllegalArgumentException when the table names an unknown provider
   */
  public ProviderRouter(RoutingTable table, Map<String, MobileMoneyProvider> providersByName) {
    this.table = Objects.requireNonNull(table, "table");
    this.providersByName = Map.copyOf(providersByName);
    table
        .providerByNetwork()
        .forEach(
            (network, name) -> {
              if (!this.providersByName.containsKey(name)) {
                throw new IllegalArgumentException(
                    "routing names provider "
                        + name
                        + " for "
                        + network
                        + " but none is configured");
              }
            });
  }

  /**
   * Routes a payer.
   *
   * @param payer the wallet to debit
   * @param aggregatorNetwork the aggregator's network field (name or code), empty when it sent none
   */
  public Route route(Msisdn payer, Optional<String> aggregatorNetwork) {
    Objects.requireNonNull(payer, "payer");
    Optional<String> named = aggregatorNetwork.filter(n -> !n.isBlank());
    Optional<Network> byAggregator = named.flatMap(table::networkNamed);
    if (named.isPresent() && byAggregator.isEmpty()) {
      LOG.atInfo()
          .addKeyValue("aggregatorNetwork", RoutingTable.normalise(named.get()))
          .addKeyValue("payer", payer.masked())
          .log("unrecognised aggregator network; falling back to the prefix table");
    }
    if (byAggregator.isPresent()) {
      return routed(byAggregator.get(), Route.Basis.AGGREGATOR);
    }
    Optional<Network> byPrefix = table.networkByPrefix(payer);
    if (byPrefix.isPresent()) {
      return routed(byPrefix.get(), Route.Basis.PREFIX);
    }
    return new Route.UnknownNetwork(payer, named.orElse(""));
  }

  private Route routed(Network network, Route.Basis basis) {
    String name = table.providerByNetwork().get(network);
    if (name == null) {
      return new Route.NoProvider(network);
    }
    return new Route.Routed(providersByName.get(name), network, basis);
  }
}
