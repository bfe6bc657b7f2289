package org.assemblypay.payments;

/** What the poller saw on its last attempt at a payment: a row of the {@link RetryTable}. */
public enum RetryCause {
  /** The provider says the payment is still pending. */
  PENDING,
  /** See {@link ProviderError#TIMEOUT}. */
  TIMEOUT,
  /** See {@link ProviderError#SERVER_ERROR}. */
  SERVER_ERROR,
  /** See {@link ProviderError#NETWORK}. */
  NETWORK,
  /** See {@link ProviderError#AUTHENTICATION_FAILED}. */
  AUTHENTICATION_FAILED,
  /** See {@link ProviderError#RATE_LIMITED}. */
  RATE_LIMITED,
  /** See {@link ProviderError#MALFORMED_RESPONSE}. */
  MALFORMED_RESPONSE,
  /** See {@link ProviderError#UNEXPECTED_RESPONSE}. */
  UNEXPECTED_RESPONSE;

  /** The row for a provider error. */
  public static RetryCause of(ProviderError error) {
    switch (error) {
      case TIMEOUT:
        return TIMEOUT;
      case SERVER_ERROR:
        return SERVER_ERROR;
      case NETWORK:
        return NETWORK;
      case AUTHENTICATION_FAILED:
        return AUTHENTICATION_FAILED;
      case RATE_LIMITED:
        return RATE_LIMITED;
      case MALFORMED_RESPONSE:
        return MALFORMED_RESPONSE;
      case UNEXPECTED_RESPONSE:
        return UNEXPECTED_RESPONSE;
      default:
        throw new IllegalArgumentException("no retry row for " + error);
    }
  }
}
