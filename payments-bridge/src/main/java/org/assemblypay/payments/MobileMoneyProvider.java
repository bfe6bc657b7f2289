package org.assemblypay.payments;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The port every mobile-money provider adapter implements: ask a payer to pay, ask what became of
 * it, read a callback as a hint.
 *
 * <p>No method throws for provider trouble: timeouts, 5xx, bad credentials and malformed answers
 * come back as typed results. The returned stages complete on the HTTP client's threads; callers
 * must not block an event loop on them.
 */
public interface MobileMoneyProvider {

  /** The configured name of this provider ("mtn-gh", "hubtel", "simulator"); used in metrics. */
  String name();

  /**
   * Sends a collection request under the caller's reference, which must already be persisted. Safe
   * to call again with the same reference after {@link RequestOutcome.NotSent} or after {@link
   * ProviderStatus.NotFound}.
   */
  CompletionStage<RequestOutcome> requestToPay(CollectionRequest request);

  /** Asks the provider for the truth about a reference; the only answer that may settle money. */
  CompletionStage<ProviderStatus> status(UUID reference);

  /**
   * Reads a callback body as a hint naming the reference it is about. Never throws; bodies over
   * {@link BoundedJson#MAX_CALLBACK_BYTES} or that do not parse are refused with a reason.
   *
   * @param headers request headers, names in any case
   * @param body the raw request body
   */
  CallbackParse parseCallback(Map<String, List<String>> headers, byte[] body);

  /**
   * How long after an accepted request the poller leaves the status query alone, waiting for the
   * callback (a callback is still confirmed at once). Hubtel asks for the status check only when no
   * final callback came within five minutes; MTN and the simulator have no such wait.
   */
  default long statusQuietMillis() {
    return 0;
  }
}
