package org.assemblypay.session.redis;

/** The Redis session store could not be reached at start-up; the message is one line. */
public final class RedisUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with its one-line explanation and the last connection error. */
  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
