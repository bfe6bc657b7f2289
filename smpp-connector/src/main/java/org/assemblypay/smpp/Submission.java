package org.assemblypay.smpp;

import java.util.List;
import java.util.Objects;

/**
 * What the SMSC said about a submitted message.
 *
 * <p>Each part carries the SMSC identity ({@link SmscConnectionConfig#smsc()}) of the connection
 * that took it: after a fail-over the parts of one message can have been accepted by different
 * SMSCs, and a part's id means something only in its own SMSC's namespace (D230).
 *
 * @param connectionName the connection that took the last part
 * @param partMessageIds the SMSC's id of every part, in part order, normalised (see {@link
 *     MessageIdFormat}); when the outcome is unknown, only the parts that got an id
 * @param partSmscs the SMSC identity of each id in {@code partMessageIds}, in the same order
 * @param attemptsUsed submit attempts spent so far, including resends after a response timeout
 */
public record Submission(
    String connectionName, List<String> partMessageIds, List<String> partSmscs, int attemptsUsed) {

  /** Copies the lists; every id has its SMSC identity. */
  public Submission {
    Objects.requireNonNull(connectionName, "connectionName");
    partMessageIds = List.copyOf(partMessageIds);
    partSmscs = List.copyOf(partSmscs);
    if (partSmscs.size() != partMessageIds.size()) {
      throw new IllegalArgumentException("one SMSC identity per part id");
    }
  }

  /** A submission whose parts were all taken by connections of one SMSC identity. */
  public Submission(
      String connectionName, String smsc, List<String> partMessageIds, int attemptsUsed) {
    this(
        connectionName,
        partMessageIds,
        java.util.Collections.nCopies(partMessageIds.size(), smsc),
        attemptsUsed);
  }
}
