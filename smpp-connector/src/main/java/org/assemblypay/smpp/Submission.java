package org.assemblypay.smpp;

import java.util.List;
import java.util.Objects;

/**
 * What the SMSC said about a submitted message.
 *
 * @param connectionName the connection that took the last part
 * @param partMessageIds the SMSC's id of every part, in part order, normalised (see {@link
 *     MessageIdFormat}); when the outcome is unknown, only the parts that got an id
 * @param attemptsUsed submit attempts spent so far, including resends after a response timeout
 */
public record Submission(String connectionName, List<String> partMessageIds, int attemptsUsed) {

  /** Copies the list. */
  public Submission {
    Objects.requireNonNull(connectionName, "connectionName");
    partMessageIds = List.copyOf(partMessageIds);
  }
}
