package org.assemblypay.menus.trader;

import java.util.Optional;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.PaymentPurpose;

/**
 * The port through which the confirm screen starts a mobile-money payment. The gateway wires it to
 * the payments bridge. {@link #start} must return at once: it persists the intent and sends the
 * provider request asynchronously; the USSD hop never waits for a provider.
 */
public interface PaymentRequests {

  /** The network that would serve this payer ("MTN", "Telecel", "AirtelTigo"), if known. */
  Optional<String> networkFor(String assemblyCode, String payerMsisdn, String aggregatorNetwork);

  /** Persists the payment intent and schedules the provider request. */
  PaymentStart start(PaymentOrder order);

  /** What the trader confirmed. {@code idempotencyKey} is the same when a hop is retried. */
  record PaymentOrder(
      String assemblyCode,
      long traderId,
      String payerMsisdn,
      String aggregatorNetwork,
      long amountPesewas,
      PaymentPurpose purpose,
      Language payerLanguage,
      String idempotencyKey) {}

  /** Whether the payment was started. */
  sealed interface PaymentStart {
    /** Stored and on its way to the provider; the trader approves on the phone. */
    record Started(String reference, String network) implements PaymentStart {}

    /** The network's provider is not available now (not configured, or down). */
    record Unavailable(String network) implements PaymentStart {}

    /** Neither the aggregator nor the number's prefix says which network this is. */
    record UnknownNetwork() implements PaymentStart {}
  }
}
