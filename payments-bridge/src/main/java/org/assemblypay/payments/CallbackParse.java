package org.assemblypay.payments;

import java.util.Objects;
import java.util.UUID;

/** The result of {@link MobileMoneyProvider#parseCallback}: a hint, or a reason to refuse it. */
public sealed interface CallbackParse {

  /** What a callback claims; informational only, never a reason to post or fail a payment. */
  enum ClaimedOutcome {
    /** The callback says the payment succeeded. */
    SUCCESS,
    /** The callback says the payment failed. */
    FAILURE,
    /** The callback says the payment is still pending. */
    PENDING,
    /** The callback did not say, or said something unknown. */
    UNSPECIFIED
  }

  /** Why a callback body was refused. */
  enum Refusal {
    /** Larger than {@link BoundedJson#MAX_CALLBACK_BYTES}. */
    TOO_LARGE,
    /** Empty, not JSON, or not the provider's shape. */
    MALFORMED,
    /** No reference, or one that cannot be ours. */
    NO_REFERENCE
  }

  /**
   * A callback about one of our references: confirm it with {@link MobileMoneyProvider#status}
   * before anything else. Amounts in the callback are deliberately not carried.
   */
  record Hint(String provider, UUID reference, ClaimedOutcome claimed) implements CallbackParse {
    /** Checks for null. */
    public Hint {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(claimed, "claimed");
    }
  }

  /** A body that names nothing usable; answer 200 (or 400/413 for size) and log the reason. */
  record Refused(Refusal refusal, String detail) implements CallbackParse {
    /** Checks for null. */
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
