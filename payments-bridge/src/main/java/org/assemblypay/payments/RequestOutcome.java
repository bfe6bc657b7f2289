package org.assemblypay.payments;

import java.util.Objects;
import java.util.Optional;

/** What became of a {@link MobileMoneyProvider#requestToPay} call. */
public sealed interface RequestOutcome {

  /** The provider took the request; the payer is being prompted. The payment is PENDING. */
  record Accepted(Optional<String> providerTxnId) implements RequestOutcome {
    /** Checks for null. */
    public Accepted {
      Objects.requireNonNull(providerTxnId, "providerTxnId");
    }
  }

  /** The provider already has this reference (MTN 409): poll {@link MobileMoneyProvider#status}. */
  record AlreadyExists() implements RequestOutcome {}

  /**
   * The provider refused the request itself (bad payer, bad amount, not allowed); nothing was
   * debited and nothing will be.
   *
   * @param code the provider's code ("PAYER_NOT_FOUND", "HTTP_400", Hubtel's "4075")
   * @param detail the provider's message, for logs only
   */
  record Rejected(String code, String detail) implements RequestOutcome {
    /** Checks for null. */
    public Rejected {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The request was definitely not delivered (no token, 401, 429): nothing exists at the provider
   * and the same reference may be sent again later, as the {@link RetryTable} says.
   */
  record NotSent(ProviderError error, String detail) implements RequestOutcome {
    /** Checks for null. */
    public NotSent {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The request may or may not have been taken (timeout, 5xx, broken connection): ask {@link
   * MobileMoneyProvider#status}; {@link ProviderStatus.NotFound} there means it may be re-sent.
   */
  record OutcomeUnknown(ProviderError error, String detail) implements RequestOutcome {
    /** Checks for null. */
    public OutcomeUnknown {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
