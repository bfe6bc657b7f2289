package org.assemblypay.payments;

import java.util.Objects;

/** The answer of {@link ProviderRouter#route}: a provider for the payer, or why there is none. */
public sealed interface Route {

  /** How the network was decided. */
  enum Basis {
    /** The USSD aggregator named the network (most reliable: numbers are portable). */
    AGGREGATOR,
    /** The number's prefix. */
    PREFIX
  }

  /** The payer is served by {@code provider}, on {@code network}. */
  record Routed(MobileMoneyProvider provider, Network network, Basis basis) implements Route {
    /** Checks for null. */
    public Routed {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(basis, "basis");
    }
  }

  /** Neither the aggregator nor the prefix says which network the payer is on. */
  record UnknownNetwork(Msisdn payer, String aggregatorNetwork) implements Route {
    /** Checks for null; {@code aggregatorNetwork} is "" when the aggregator sent none. */
    public UnknownNetwork {
      Objects.requireNonNull(payer, "payer");
      Objects.requireNonNull(aggregatorNetwork, "aggregatorNetwork");
    }
  }

  /** The payer's network is known but this assembly has no provider for it. */
  record NoProvider(Network network) implements Route {
    /** Checks for null. */
    public NoProvider {
      Objects.requireNonNull(network, "network");
    }
  }
}
