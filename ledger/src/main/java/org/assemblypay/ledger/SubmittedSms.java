package org.assemblypay.ledger;

import java.util.List;

/**
 * A claimed outbox row the SMSC accepted: its parts' message ids and the submit_sm rounds it took.
 */
public record SubmittedSms(long outboxId, List<String> messageIds, int submitAttempts) {

  /** Copies the list. */
  public SubmittedSms {
    messageIds = messageIds == null ? null : List.copyOf(messageIds);
  }
}
