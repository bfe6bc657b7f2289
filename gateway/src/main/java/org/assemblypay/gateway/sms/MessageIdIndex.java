package org.assemblypay.gateway.sms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assemblypay.ledger.SmscMessageId;

/**
 * Which assembly sent the part with a given SMSC message id, keyed by the SMSC that gave the id as
 * well (ids are unique only per SMSC, D230), for the messages this node submitted: lets a delivery
 * report go straight to its assembly instead of searching every one. Bounded; the oldest entries go
 * first. A miss is not an error (another node submitted it, or it was evicted): the report sink
 * then searches the assemblies.
 */
final class MessageIdIndex {

  private final Map<SmscMessageId, String> byId;

  MessageIdIndex(int capacity) {
    this.byId =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<SmscMessageId, String> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void put(List<SmscMessageId> parts, String assemblyCode) {
    for (SmscMessageId part : parts) {
      byId.put(part, assemblyCode);
    }
  }

  synchronized Optional<String> assemblyOf(SmscMessageId part) {
    return Optional.ofNullable(byId.get(part));
  }

  synchronized void forget(SmscMessageId part) {
    byId.remove(part);
  }

  synchronized int size() {
    return byId.size();
  }
}
