package org.assemblypay.smpp.jsmpp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DeliveryReportSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery reports that matched no message yet, usually because they overtook their submit_sm_resp.
 * They are offered again as soon as a submit with their id is recorded, and by a periodic sweep
 * (for races and for submits recorded by another node); bounded in number and age.
 */
final class PendingReports {

  private static final Logger log = LoggerFactory.getLogger(PendingReports.class);
  private static final int MAX_OFFERS_PER_SWEEP = 2_000;

  private record Held(DeliveryReport report, long expiresAtNanos) {}

  private final int capacity;
  private final long ttlNanos;
  private final DeliveryReportSink sink;
  private final ConnectorMetrics metrics;
  private final LinkedHashMap<String, List<Held>> byId = new LinkedHashMap<>();
  private int size;

  PendingReports(int capacity, long ttlMillis, DeliveryReportSink sink, ConnectorMetrics metrics) {
    this.capacity = capacity;
    this.ttlNanos = ttlMillis * 1_000_000L;
    this.sink = sink;
    this.metrics = metrics;
    metrics.gauge("smpp.reports.pending", this::size);
  }

  synchronized int size() {
    return size;
  }

  /** Keeps a report nobody matched. */
  void keep(DeliveryReport report) {
    keep(new Held(report, System.nanoTime() + ttlNanos));
  }

  private synchronized void keep(Held held) {
    byId.computeIfAbsent(held.report.messageId(), k -> new ArrayList<>(1)).add(held);
    size++;
    while (size > capacity) {
      Iterator<Map.Entry<String, List<Held>>> it = byId.entrySet().iterator();
      Map.Entry<String, List<Held>> eldest = it.next();
      it.remove();
      size -= eldest.getValue().size();
      metrics.reportsExpired.increment(eldest.getValue().size());
    }
  }

  private synchronized List<Held> take(String messageId) {
    List<Held> held = byId.remove(messageId);
    if (held != null) {
      size -= held.size();
    }
    return held;
  }

  /** Offers again the reports kept for these ids (called right after their submit is recorded). */
  void replay(List<String> messageIds) {
    if (size() == 0) {
      return;
    }
    for (String id : messageIds) {
      List<Held> held = take(id);
      if (held != null) {
        held.forEach(this::offer);
      }
    }
  }

  /** Drops expired reports and offers the oldest others again. */
  void sweep() {
    List<Held> batch = new ArrayList<>();
    long now = System.nanoTime();
    synchronized (this) {
      for (Iterator<List<Held>> it = byId.values().iterator(); it.hasNext(); ) {
        List<Held> list = it.next();
        it.remove();
        size -= list.size();
        for (Held held : list) {
          if (held.expiresAtNanos - now < 0) {
            metrics.reportsExpired.increment();
          } else {
            batch.add(held);
          }
        }
        if (batch.size() >= MAX_OFFERS_PER_SWEEP) {
          break;
        }
      }
    }
    batch.forEach(this::offer);
  }

  private void offer(Held held) {
    boolean matched;
    try {
      matched = sink.onReport(held.report);
    } catch (RuntimeException e) {
      log.warn("Delivery report sink failed for a kept report: {}", e.toString());
      matched = false;
    }
    if (matched) {
      metrics.reportsMatchedLate.increment();
    } else {
      keep(held);
    }
  }
}
