package org.assemblypay.smpp;

import java.util.Objects;

/**
 * One SMS claimed from an outbox, to be sent to {@code destination}.
 *
 * @param id the outbox row id, unique within the source
 * @param assemblyId the assembly that sends it; chooses the sender id and the route
 * @param destination the recipient's number in international form without '+', e.g. 233244123678
 * @param text the message text; the connector encodes and splits it
 * @param attemptsUsed submit attempts already spent on this row (the outbox stores what the
 *     connector reports)
 * @param correlationId the correlation id of the action that queued it, logged with its submit;
 *     null when there is none
 */
public record OutboundMessage(
    long id,
    String assemblyId,
    String destination,
    String text,
    int attemptsUsed,
    String correlationId) {

  /** A message without a correlation id. */
  public OutboundMessage(
      long id, String assemblyId, String destination, String text, int attemptsUsed) {
    this(id, assemblyId, destination, text, attemptsUsed, null);
  }

  /** Checks the fields. */
  public OutboundMessage {
    Objects.requireNonNull(assemblyId, "assemblyId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(text, "text");
    if (attemptsUsed < 0) {
      throw new IllegalArgumentException("attemptsUsed must be >= 0");
    }
  }

  @Override
  public String toString() {
    return "OutboundMessage[id="
        + id
        + ", assemblyId="
        + assemblyId
        + ", destination="
        + MsisdnMask.mask(destination)
        + ", chars="
        + text.length()
        + ", attemptsUsed="
        + attemptsUsed
        + ", correlationId="
        + correlationId
        + "]";
  }
}
