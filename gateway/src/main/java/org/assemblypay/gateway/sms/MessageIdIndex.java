package org.assemblypay.gateway.sms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which assembly sent the part with a given SMSC message id, for the messages this node submitted:
 * lets a delivery report go straight to its assembly instead of searching every one. Bounded; the
 * oldest entries go first. A miss is not an error (another node submitted it, or it was evicted):
 * the report sink then searches the assemblies.
 */
final class MessageIdIndex {

  private final Map<String, String> byId;

  MessageIdIndex(int capacity) {
    this.byId =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void put(List<String> messageIds, String assemblyCode) {
    for (String id : messageIds) {
      byId.put(id, assemblyCode);
    }
  }

  synchronized Optional<String> assemblyOf(String messageId) {
    return Optional.ofNullable(byId.get(messageId));
  }

  synchronized void forget(String messageId) {
    byId.remove(messageId);
  }

  synchronized int size() {
    return byId.size();
  }
}
