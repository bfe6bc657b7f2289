package org.assemblypay.smpp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A mobile-originated SMS, reassembled when it came in several parts.
 *
 * @param connectionName the connection it arrived on
 * @param source the sender's number as the SMSC gave it
 * @param destination the number or short code it was sent to
 * @param text the decoded text
 * @param smscMessageId the SMSC's own id when it sent one (receipted_message_id); the store should
 *     be idempotent on it
 * @param partCount how many deliver_sm carried it
 * @param receivedAt when the last part arrived
 */
public record InboundMessage(
    String connectionName,
    String source,
    String destination,
    String text,
    Optional<String> smscMessageId,
    int partCount,
    Instant receivedAt) {

  /** Checks the fields. */
  public InboundMessage {
    Objects.requireNonNull(connectionName, "connectionName");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(smscMessageId, "smscMessageId");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  @Override
  public String toString() {
    return "InboundMessage[connection="
        + connectionName
        + ", source="
        + MsisdnMask.mask(source)
        + ", destination="
        + destination
        + ", chars="
        + text.length()
        + ", parts="
        + partCount
        + "]";
  }
}
