package org.assemblypay.smpp.receipt;

import java.util.Optional;
import org.assemblypay.smpp.DeliveryState;

/**
 * The fields found in a delivery receipt's text; any of them may be missing.
 *
 * @param id the message id as written
 * @param submitted the {@code sub} count
 * @param delivered the {@code dlvrd} count
 * @param submitDate the {@code submit date} (YYMMDDhhmm[ss]) as written
 * @param doneDate the {@code done date} as written
 * @param stat the state word as written, e.g. {@code DELIVRD} or a vendor's {@code BUFFRED}
 * @param error the {@code err} code as written
 * @param text the first characters of the original message
 */
public record ParsedReceipt(
    Optional<String> id,
    Optional<String> submitted,
    Optional<String> delivered,
    Optional<String> submitDate,
    Optional<String> doneDate,
    Optional<String> stat,
    Optional<String> error,
    Optional<String> text) {

  /** The state word mapped to a {@link DeliveryState}; UNKNOWN when missing or unrecognised. */
  public DeliveryState state() {
    return stat.map(DeliveryReceiptParser::mapState).orElse(DeliveryState.UNKNOWN);
  }
}
