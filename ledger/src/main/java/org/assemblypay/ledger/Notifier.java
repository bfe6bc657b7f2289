package org.assemblypay.ledger;

import java.util.List;

/**
 * Turns a posted payment into SMS drafts; called inside the money transaction after the receipt
 * exists, so the messages are queued exactly when the money is.
 */
@FunctionalInterface
public interface Notifier {
  /** The messages to queue for these facts (may be empty). */
  List<OutboundSmsDraft> messagesFor(PostingFacts facts);

  /** The messages to queue when a payment fails; none unless overridden. */
  default List<OutboundSmsDraft> failureMessagesFor(FailedPaymentFacts facts) {
    return List.of();
  }

  /**
   * The messages to queue when a payment expires locally (no final answer before the deadline); the
   * reason in the facts is {@code EXPIRED}. None unless overridden.
   */
  default List<OutboundSmsDraft> expiryMessagesFor(FailedPaymentFacts facts) {
    return List.of();
  }

  /** A notifier that sends nothing. */
  static Notifier silent() {
    return facts -> List.of();
  }
}
