package org.assemblypay.payments;

import java.util.Objects;

/** The provider's answer to {@link MobileMoneyProvider#status}: the only truth that moves money. */
public sealed interface ProviderStatus {

  /**
   * The payer paid. The amount is the provider's, parsed exactly; the lifecycle compares it with
   * the amount requested and sends a mismatch to suspense.
   */
  record Successful(long amountPesewas, String currency, String providerTxnId)
      implements ProviderStatus {
    /** Checks for null. */
    public Successful {
      Objects.requireNonNull(currency, "currency");
      Objects.requireNonNull(providerTxnId, "providerTxnId");
    }
  }

  /**
   * The payment failed and will not succeed under this reference.
   *
   * @param reason the reason, normalised
   * @param providerCode the provider's own code, for logs and the finance officer
   */
  record Failed(FailureReason reason, String providerCode) implements ProviderStatus {
    /** Checks for null. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(providerCode, "providerCode");
    }
  }

  /** The payer has not answered yet (or the provider has not finished): ask again later. */
  record Pending() implements ProviderStatus {}

  /** The provider never created this reference: the same reference may be sent again. */
  record NotFound() implements ProviderStatus {}

  /** The status could not be read this time (timeout, 5xx, bad answer): ask again later. */
  record Unknown(ProviderError error, String detail) implements ProviderStatus {
    /** Checks for null. */
    public Unknown {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
