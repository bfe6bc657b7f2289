package org.assemblypay.payments.lifecycle;

import java.util.Objects;
import java.util.UUID;
import org.assemblypay.payments.Network;

/** What {@link PaymentService#start} tells the USSD menu, at once and without waiting. */
public sealed interface StartResult {

  /**
   * The intent is stored and the request is on its way: tell the payer to approve the prompt.
   *
   * @param reference the payment's reference (UUID v4), also the provider's idempotency key
   * @param network the network the payer was routed to
   * @param provider the provider's configured name
   */
  record Started(UUID reference, Network network, String provider) implements StartResult {
    /** Checks for null. */
    public Started {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(provider, "provider");
    }
  }

  /** The payer's network is known but this assembly takes no mobile money from it. */
  record Unavailable(Network network) implements StartResult {
    /** Checks for null. */
    public Unavailable {
      Objects.requireNonNull(network, "network");
    }
  }

  /** Neither the aggregator nor the number's prefix says which network the payer is on. */
  record UnknownNetwork() implements StartResult {}
}
