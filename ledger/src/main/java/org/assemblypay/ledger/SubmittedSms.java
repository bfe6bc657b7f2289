package org.assemblypay.ledger;

import java.util.List;

/**
 * A claimed outbox row the SMSC accepted: its parts' message ids, each under the SMSC identity of
 * the connection that took it, and the submit_sm rounds it took.
 */
public record SubmittedSms(long outboxId, List<SmscMessageId> parts, int submitAttempts) {

  /** Copies the list. */
  public SubmittedSms {
    parts = parts == null ? null : List.copyOf(parts);
  }
}
