package org.assemblypay.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The correlation id that follows one person's action (a USSD journey, an SMS command, an admin
 * call) through every log line and every row it leads to: kept in the logging MDC under {@value
 * #MDC_KEY} for the code running on its behalf, stored on payments and outbox rows to cross time
 * and nodes.
 */
public final class Correlation {

  /** The MDC key (and so the JSON log field) that holds the id. */
  public static final String MDC_KEY = "correlationId";

  /** The HTTP header an id travels in. */
  public static final String HEADER = "X-Correlation-Id";

  /** The longest id accepted or stored. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
  private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{7}");
  private static final HexFormat HEX = HexFormat.of();

  private Correlation() {}

  /** The id of the action the current thread works for, if any. */
  public static Optional<String> current() {
    return Optional.ofNullable(MDC.get(MDC_KEY));
  }

  /**
   * Makes {@code id} the current thread's id until the returned scope is closed, which restores
   * whatever was there before (nothing, on a pool thread), so no id leaks to the thread's next
   * task. A null id leaves the current one as it is.
   */
  public static Scope open(String id) {
    String previous = MDC.get(MDC_KEY);
    if (id != null) {
      MDC.put(MDC_KEY, id);
    }
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

  /** {@code task} run under {@code id} (see {@link #open}), for handing to an executor. */
  public static Runnable wrap(String id, Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> run(id, task);
  }

  /**
   * An id a caller sent (e.g. in {@value #HEADER}) when it is safe to log and store: 1–{@value
   * #MAX_LENGTH} characters of letters, digits and {@code . _ : -}, and no run of seven digits or
   * more (a phone number must never ride into the logs as an id); anything else is ignored.
   */
  public static Optional<String> accept(String given) {
    return given != null && SAFE.matcher(given).matches() && !DIGIT_RUN.matcher(given).find()
        ? Optional.of(given)
        : Optional.empty();
  }

  /** {@code id} if it has the shape of an id (as {@link #accept}, digit runs allowed) to store. */
  static Optional<String> storable(String id) {
    return id != null && SAFE.matcher(id).matches() ? Optional.of(id) : Optional.empty();
  }

  /** A fresh random id, e.g. {@code a-3f9c0d2e7b1a4c5d8e9f}. */
  public static String fresh(String prefix) {
    UUID u = UUID.randomUUID();
    String hex =
        HEX.toHexDigits(u.getMostSignificantBits()) + HEX.toHexDigits(u.getLeastSignificantBits());
    return prefix + "-" + hex.substring(0, 20);
  }

  /**
   * An id derived from {@code parts} (the same parts give the same id on any node), e.g. {@code s-}
   * and the assembly and inbound key of an SMS. The parts are hashed, so a phone number in them
   * never shows.
   */
  public static String derived(String prefix, String... parts) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (String part : parts) {
      sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return prefix + "-" + HEX.formatHex(sha.digest(), 0, 10);
  }

  /**
   * The id of one stored inbound SMS command: its replies and any receipt of what it posted carry
   * it, which is also how a recovery sweep tells that the command already ran (D113).
   */
  public static String ofSmsCommand(String assemblyCode, String inboundKey) {
    return derived("s", assemblyCode, inboundKey);
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
