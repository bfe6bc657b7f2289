package org.assemblypay.smpp;

import java.time.Duration;
import java.util.List;

/**
 * The outbox the dispatcher drains: the ledger's SMS outbox tables behind it, adapted by the
 * gateway.
 *
 * <p>Each claimed message gets exactly one of the four outcome calls, unless the node dies first;
 * the source then makes it due again after its claim lease runs out. Methods may be called from
 * several threads at once.
 */
public interface OutboxSource {

  /** Claims up to {@code max} due messages so no other dispatcher takes them; never blocks long. */
  List<OutboundMessage> claimDue(int max);

  /** Every part was accepted by an SMSC; stores the part ids for delivery-report matching. */
  void markSubmitted(long messageId, Submission submission);

  /**
   * Nothing was sent this time (no connection up, shutting down); make it due again after the
   * delay.
   */
  void scheduleRetry(long messageId, Duration delay, String reason, int attemptsUsed);

  /** The SMSC refused the message for good, or the attempt limit was reached. */
  void failPermanently(long messageId, String reason, int attemptsUsed);

  /**
   * A response never came (see {@link ResponseTimeoutPolicy}): the SMS may or may not have been
   * sent; the row shows it so nobody resends blindly.
   */
  void markOutcomeUnknown(long messageId, Submission partial, String reason);
}
