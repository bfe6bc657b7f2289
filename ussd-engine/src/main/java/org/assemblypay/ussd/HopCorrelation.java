package org.assemblypay.ussd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The correlation id of a USSD session, in the logging MDC while the engine works for one of its
 * hops. The same key and id form as the ledger's {@code Correlation} (this module cannot depend on
 * the ledger), so the payment a hop starts carries the id on.
 */
public final class HopCorrelation {

  /** The MDC key (and so the JSON log field) that holds the id. */
  public static final String MDC_KEY = "correlationId";

  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private HopCorrelation() {}

  /**
   * The id of a session: {@code u-} and 20 hex digits of a SHA-256 of the aggregator route and its
   * session id, so every hop of the session, on any node, gets the same id without storing it, and
   * no part of an aggregator's session id (which may hold a phone number) shows.
   */
  public static String of(String dialect, String sessionId) {
    // One digest per thread: the provider lookup of getInstance cost more than the hash itself.
    MessageDigest sha = SHA256.get();
    sha.reset();
    sha.update(dialect.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(sessionId.getBytes(StandardCharsets.UTF_8));
    return "u-" + HEX.formatHex(sha.digest(), 0, 10);
  }

  /**
   * Makes {@code id} the current thread's id until the scope is closed, which puts back what was
   * there before (nothing, on a pool thread): no id leaks to the thread's next task.
   */
  public static Scope open(String id) {
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, id);
    return new Scope(previous);
  }

  /** Runs {@code task} under {@code id} (see {@link #open}). */
  public static void run(String id, Runnable task) {
    Scope scope = open(id);
    try {
      task.run();
    } finally {
      scope.close();
    }
  }

  /** Computes {@code task} under {@code id} (see {@link #open}). */
  public static <T> T call(String id, Supplier<T> task) {
    Scope scope = open(id);
    try {
      return task.get();
    } finally {
      scope.close();
    }
  }

  /** Closing it restores the id that was current when it was opened. */
  public static final class Scope implements AutoCloseable {
    private final String previous;

    private Scope(String previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (previous == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, previous);
      }
    }
  }
}
