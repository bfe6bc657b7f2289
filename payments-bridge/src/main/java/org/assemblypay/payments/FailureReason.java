package org.assemblypay.payments;

import java.util.Locale;

/** Why a provider says a payment failed; the menus choose the trader's SMS from it. */
public enum FailureReason {
  /** The wallet balance was too low. */
  NOT_ENOUGH_FUNDS,
  /** The payer declined the prompt. */
  APPROVAL_REJECTED,
  /** The payer did not answer the prompt in time. */
  EXPIRED,
  /** No wallet for this number. */
  PAYER_NOT_FOUND,
  /** The payer's daily or transaction limit was reached. */
  PAYER_LIMIT_REACHED,
  /** The provider could not carry out the transaction. */
  COULD_NOT_PERFORM_TRANSACTION,
  /** The provider failed internally. */
  INTERNAL_PROCESSING_ERROR,
  /** The payment was taken and then given back (Hubtel "Refunded"). */
  REFUNDED,
  /** Any other reason; the provider's own code is kept next to it. */
  OTHER;

  /** Reads a provider's reason code (MTN spelling); unknown or missing codes are {@link #OTHER}. */
  public static FailureReason fromCode(String code) {
    if (code == null || code.isBlank()) {
      return OTHER;
    }
    String normalised = code.trim().toUpperCase(Locale.ROOT);
    for (FailureReason reason : values()) {
      if (reason.name().equals(normalised)) {
        return reason;
      }
    }
    return OTHER;
  }
}
