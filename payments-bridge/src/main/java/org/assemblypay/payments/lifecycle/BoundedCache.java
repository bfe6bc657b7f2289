package org.assemblypay.payments.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that forgets its least recently used entry beyond a bound. Used for hints that only save
 * work (a reference's assembly, the request as first routed): losing one costs a lookup, not money.
 */
final class BoundedCache<K, V> {

  private final int maxEntries;
  private final LinkedHashMap<K, V> entries;

  BoundedCache(int maxEntries) {
    this.maxEntries = maxEntries;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > BoundedCache.this.maxEntries;
          }
        };
  }

  synchronized V get(K key) {
    return entries.get(key);
  }

  synchronized void put(K key, V value) {
    if (maxEntries > 0) {
      entries.put(key, value);
    }
  }

  synchronized void remove(K key) {
    entries.remove(key);
  }

  synchronized int size() {
    return entries.size();
  }
}
