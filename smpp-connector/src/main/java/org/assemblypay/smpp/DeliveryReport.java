package org.assemblypay.smpp;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery report for one message part.
 *
 * @param messageId the part's SMSC id, normalised as in {@link Submission#partMessageIds()}
 * @param state the normalised state
 * @param rawState the state as the SMSC wrote it (e.g. {@code DELIVRD}, {@code BUFFRED}), or empty
 * @param errorCode the SMSC or network error code as text, {@code "000"} or empty when none
 * @param connectionName the connection the report came in on
 * @param smsc the SMSC identity of that connection ({@link SmscConnectionConfig#smsc()}): the
 *     report is about a part submitted under this identity, never under another (D230)
 * @param receivedAt when the connector received it
 * @param handset the handset the report is about (the receipt's source address), or empty
 * @param textStart the first characters of the message as the receipt quotes them, or empty
 */
public record DeliveryReport(
    String messageId,
    DeliveryState state,
    String rawState,
    String errorCode,
    String connectionName,
    String smsc,
    Instant receivedAt,
    String handset,
    String textStart) {

  /** Checks the fields. */
  public DeliveryReport {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(rawState, "rawState");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(connectionName, "connectionName");
    Objects.requireNonNull(smsc, "smsc");
    Objects.requireNonNull(receivedAt, "receivedAt");
    handset = handset == null ? "" : handset;
    textStart = textStart == null ? "" : textStart;
  }

  /** A report with no handset or text quoted. */
  public DeliveryReport(
      String messageId,
      DeliveryState state,
      String rawState,
      String errorCode,
      String connectionName,
      String smsc,
      Instant receivedAt) {
    this(messageId, state, rawState, errorCode, connectionName, smsc, receivedAt, "", "");
  }
}
