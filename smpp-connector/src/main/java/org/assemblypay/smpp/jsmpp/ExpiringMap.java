package org.assemblypay.smpp.jsmpp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded map whose entries expire; the oldest entry is evicted when full. Thread-safe by
 * synchronisation; every use is cheap and rare compared with network round trips.
 */
final class ExpiringMap<K, V> {

  private record Entry<V>(V value, long expiresAtNanos) {}

  private final int capacity;
  private final long ttlNanos;
  private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();
  private long evicted;

  ExpiringMap(int capacity, long ttlMillis) {
    this.capacity = capacity;
    this.ttlNanos = ttlMillis * 1_000_000L;
  }

  synchronized void put(K key, V value) {
    entries.remove(key);
    entries.put(key, new Entry<>(value, System.nanoTime() + ttlNanos));
    while (entries.size() > capacity) {
      Iterator<K> it = entries.keySet().iterator();
      it.next();
      it.remove();
      evicted++;
    }
  }

  synchronized V get(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (entry.expiresAtNanos - System.nanoTime() < 0) {
      entries.remove(key);
      return null;
    }
    return entry.value;
  }

  synchronized V computeIfAbsent(K key, Function<K, V> factory) {
    V existing = get(key);
    if (existing != null) {
      return existing;
    }
    V created = factory.apply(key);
    put(key, created);
    return created;
  }

  synchronized V remove(K key) {
    Entry<V> entry = entries.remove(key);
    return entry == null ? null : entry.value;
  }

  /** Removes expired entries and returns how many. */
  synchronized int expire() {
    long now = System.nanoTime();
    int removed = 0;
    for (Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue().expiresAtNanos - now < 0) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  synchronized List<K> keys() {
    return new ArrayList<>(entries.keySet());
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long evicted() {
    return evicted;
  }
}
