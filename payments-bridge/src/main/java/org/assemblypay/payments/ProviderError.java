package org.assemblypay.payments;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Why a provider call gave no usable answer; the key of the {@link RetryTable}. */
public enum ProviderError {
  /** No answer within the configured timeout: the provider may or may not have acted. */
  TIMEOUT,
  /** The provider answered 5xx. */
  SERVER_ERROR,
  /** The connection could not be made or broke. */
  NETWORK,
  /** The provider refused our credentials ({@code login_failed}, 401 after a fresh token). */
  AUTHENTICATION_FAILED,
  /** The provider asked us to slow down (429). */
  RATE_LIMITED,
  /** The answer could not be read (bad JSON, malformed amount, missing fields). */
  MALFORMED_RESPONSE,
  /** The answer was readable but not one the adapter knows how to interpret. */
  UNEXPECTED_RESPONSE;

  /**
   * Whether a failed exchange certainly never reached the provider (the connection was never made),
   * so that nothing can exist there under the reference.
   */
  public static boolean neverDelivered(Throwable failure) {
    Throwable cause = unwrap(failure);
    return cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A short description of a failed exchange for logs and results: never a body or a header. */
  public static String describe(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof BoundedBody.TooLargeException) {
      return cause.getMessage();
    }
    return of(failure) == TIMEOUT
        ? "no answer in time"
        : "no answer: " + cause.getClass().getSimpleName();
  }

  /** Classifies a failure of an HTTP exchange. */
  public static ProviderError of(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof BoundedBody.TooLargeException) {
      return MALFORMED_RESPONSE;
    }
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return NETWORK;
    }
    if (cause instanceof HttpTimeoutException) {
      return TIMEOUT;
    }
    return NETWORK;
  }
}
