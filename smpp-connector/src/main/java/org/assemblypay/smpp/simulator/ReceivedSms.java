package org.assemblypay.smpp.simulator;

import java.time.Instant;
import java.util.List;

/**
 * A message the simulator received by submit_sm, reassembled when it came in parts.
 *
 * @param systemId the account that submitted it
 * @param from source address (the sender id)
 * @param to destination number
 * @param text decoded text
 * @param messageIds the id the simulator gave each part, as written in submit_sm_resp
 * @param receivedAt when the last part arrived
 */
public record ReceivedSms(
    String systemId,
    String from,
    String to,
    String text,
    List<String> messageIds,
    Instant receivedAt) {

  /** Copies the list. */
  public ReceivedSms {
    messageIds = List.copyOf(messageIds);
  }
}
