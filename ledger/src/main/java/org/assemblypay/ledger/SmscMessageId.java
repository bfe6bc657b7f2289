package org.assemblypay.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An SMSC message id within the namespace of the SMSC that gave it: ids are unique only per SMSC,
 * so a delivery report matches a part only on both (D230).
 *
 * @param smsc the SMSC identity of the connection that took the part or received the report; {@code
 *     ""} only for ids recorded before SMSC identities were (assembly migration V16), which match a
 *     report from any SMSC
 * @param messageId the part's id, normalised as the connector compares ids
 */
public record SmscMessageId(String smsc, String messageId) {

  /** Checks for nulls. */
  public SmscMessageId {
    Objects.requireNonNull(smsc, "smsc");
    Objects.requireNonNull(messageId, "messageId");
  }

  /** The ids of the parts of one message that were all taken under one SMSC identity. */
  public static List<SmscMessageId> all(String smsc, List<String> messageIds) {
    List<SmscMessageId> parts = new ArrayList<>(messageIds.size());
    for (String id : messageIds) {
      parts.add(new SmscMessageId(smsc, id));
    }
    return parts;
  }
}
