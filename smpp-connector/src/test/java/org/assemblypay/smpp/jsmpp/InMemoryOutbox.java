package org.assemblypay.smpp.jsmpp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DeliveryReportSink;
import org.assemblypay.smpp.OutboundMessage;
import org.assemblypay.smpp.OutboxSignal;
import org.assemblypay.smpp.OutboxSource;
import org.assemblypay.smpp.Submission;

/**
 * An outbox in memory with the ledger's semantics: claims, leases by status, outcome calls, and
 * report matching by part id; a report that matches nothing yet is parked and applied when a
 * submission with its id is recorded, as the gateway does durably. Records protocol violations (an
 * outcome for a row not claimed).
 */
final class InMemoryOutbox implements OutboxSource, OutboxSignal, DeliveryReportSink {

  enum Status {
    QUEUED,
    CLAIMED,
    SUBMITTED,
    FAILED,
    UNKNOWN
  }

  static final class Row {
    final long id;
    final String assemblyId;
    final String destination;
    final String text;
    volatile Status status = Status.QUEUED;
    volatile int attemptsUsed;
    volatile long dueAtNanos;
    volatile List<String> partIds = List.of();
    volatile List<String> partSmscs = List.of();
    volatile String reason = "";
    volatile String connection = "";
    final List<DeliveryReport> reports = new CopyOnWriteArrayList<>();

    Row(long id, String assemblyId, String destination, String text) {
      this.id = id;
      this.assemblyId = assemblyId;
      this.destination = destination;
      this.text = text;
    }

    @Override
    public String toString() {
      return "Row[" + id + " " + status + " attempts=" + attemptsUsed + " reason=" + reason + "]";
    }
  }

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Row> rows = new ConcurrentHashMap<>();
  private final Deque<Long> queue = new ArrayDeque<>();
  private final Map<String, Row> byPartId = new ConcurrentHashMap<>();
  private final Map<String, List<DeliveryReport>> parked = new ConcurrentHashMap<>();
  private final List<Runnable> wakeUps = new CopyOnWriteArrayList<>();
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong claims = new AtomicLong();
  volatile boolean failClaims;
  final java.util.concurrent.atomic.AtomicInteger failReports =
      new java.util.concurrent.atomic.AtomicInteger();

  long add(String assemblyId, String destination, String text) {
    long id = ids.incrementAndGet();
    rows.put(id, new Row(id, assemblyId, destination, text));
    synchronized (queue) {
      queue.addLast(id);
    }
    wakeUps.forEach(Runnable::run);
    return id;
  }

  Row row(long id) {
    return rows.get(id);
  }

  List<Row> rows() {
    return new ArrayList<>(rows.values());
  }

  Map<Status, Integer> counts() {
    var counts = new EnumMap<Status, Integer>(Status.class);
    for (Status s : Status.values()) {
      counts.put(s, 0);
    }
    for (Row row : rows.values()) {
      counts.merge(row.status, 1, Integer::sum);
    }
    return counts;
  }

  long count(Status status) {
    return rows.values().stream().filter(r -> r.status == status).count();
  }

  @Override
  public void subscribe(Runnable wakeUp) {
    wakeUps.add(wakeUp);
  }

  @Override
  public List<OutboundMessage> claimDue(int max) {
    if (failClaims) {
      throw new IllegalStateException("database down");
    }
    var claimed = new ArrayList<OutboundMessage>();
    long now = System.nanoTime();
    synchronized (queue) {
      int scan = queue.size();
      for (int i = 0; i < scan && claimed.size() < max; i++) {
        long id = queue.pollFirst();
        Row row = rows.get(id);
        if (row.dueAtNanos - now > 0) {
          queue.addLast(id);
          continue;
        }
        row.status = Status.CLAIMED;
        claimed.add(
            new OutboundMessage(
                row.id, row.assemblyId, row.destination, row.text, row.attemptsUsed));
      }
    }
    claims.addAndGet(claimed.size());
    return claimed;
  }

  private Row claimed(long id, String call) {
    Row row = rows.get(id);
    if (row == null || row.status != Status.CLAIMED) {
      violations.add(call + " for row " + id + " in state " + (row == null ? "none" : row.status));
    }
    return row;
  }

  @Override
  public void markSubmitted(long messageId, Submission submission) {
    Row row = claimed(messageId, "markSubmitted");
    row.partIds = submission.partMessageIds();
    row.partSmscs = submission.partSmscs();
    row.attemptsUsed = submission.attemptsUsed();
    row.connection = submission.connectionName();
    synchronized (parked) {
      for (String key : keys(submission)) {
        if (byPartId.putIfAbsent(key, row) != null) {
          violations.add("part id " + key + " given twice");
        }
      }
      row.status = Status.SUBMITTED;
      for (String key : keys(submission)) {
        List<DeliveryReport> early = parked.remove(key);
        if (early != null) {
          row.reports.addAll(early);
        }
      }
    }
  }

  /** Part ids are unique only within their SMSC identity, as in the ledger (D230). */
  private static List<String> keys(Submission submission) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < submission.partMessageIds().size(); i++) {
      keys.add(key(submission.partSmscs().get(i), submission.partMessageIds().get(i)));
    }
    return keys;
  }

  private static String key(String smsc, String messageId) {
    return smsc + "/" + messageId;
  }

  /** Reports parked because nothing matched them yet. */
  int parkedCount() {
    return parked.values().stream().mapToInt(List::size).sum();
  }

  @Override
  public void scheduleRetry(long messageId, Duration delay, String reason, int attemptsUsed) {
    Row row = claimed(messageId, "scheduleRetry");
    row.reason = reason;
    row.attemptsUsed = attemptsUsed;
    row.dueAtNanos = System.nanoTime() + delay.toNanos();
    row.status = Status.QUEUED;
    synchronized (queue) {
      queue.addLast(messageId);
    }
  }

  @Override
  public void failPermanently(long messageId, String reason, int attemptsUsed) {
    Row row = claimed(messageId, "failPermanently");
    row.reason = reason;
    row.attemptsUsed = attemptsUsed;
    row.status = Status.FAILED;
  }

  @Override
  public void markOutcomeUnknown(long messageId, Submission partial, String reason) {
    Row row = claimed(messageId, "markOutcomeUnknown");
    row.reason = reason;
    row.attemptsUsed = partial.attemptsUsed();
    row.partIds = partial.partMessageIds();
    row.partSmscs = partial.partSmscs();
    row.status = Status.UNKNOWN;
  }

  @Override
  public boolean onReport(DeliveryReport report) {
    if (failReports.get() > 0 && failReports.getAndDecrement() > 0) {
      throw new IllegalStateException("database down");
    }
    synchronized (parked) {
      String key = key(report.smsc(), report.messageId());
      Row row = byPartId.get(key);
      if (row == null) {
        parked.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(report);
        return false;
      }
      row.reports.add(report);
      return true;
    }
  }
}
