package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.IllegalTransitionException;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.OutboxMessage;
import org.assemblypay.ledger.SmscMessageId;
import org.assemblypay.ledger.SubmittedSms;
import org.assemblypay.ledger.UnknownEntityException;
import org.assemblypay.smpp.OutboundMessage;
import org.assemblypay.smpp.OutboxSource;
import org.assemblypay.smpp.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's outbox: every served, active assembly's {@code sms_outbox}, claimed round-robin
 * (each claim is the ledger's {@code FOR UPDATE SKIP LOCKED} with a lease, so several nodes share
 * the work), with each outcome written back to the row.
 *
 * <p>Outbox row ids are unique only within an assembly, so each claimed row gets a node-local id
 * for the connector; the mapping lives until the row's outcome is written (bounded by what the
 * connector holds: its queues and windows).
 */
final class LedgerOutbox implements OutboxSource, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerOutbox.class);

  /**
   * An assembly found empty: skipped until {@code untilNanos}, unless rows were said to be added
   * since ({@code generation} is then out of date), even while that claim was running.
   */
  record Quiet(long untilNanos, long generation) {}

  /**
   * A row's parts (each id under the SMSC that took it) and submit rounds, to be written with
   * others in one statement.
   */
  record SubmittedRow(long rowId, List<SmscMessageId> parts, int submitAttempts) {}

  /** Which assembly's row a connector-side id stands for, and since when this node holds it. */
  record ClaimedRow(String assemblyCode, long rowId, long claimedAtNanos) {}

  /**
   * A row whose outcome could not be written for this long is forgotten (the connector gave up on
   * it; the ledger's lease makes it due again), so a database outage cannot grow the map forever.
   */
  private static final long FORGET_AFTER_NANOS = Duration.ofMinutes(10).toNanos();

  private final Ledger ledger;
  private final ServedAssemblies assemblies;
  private final MessageIdIndex index;
  private final int perAssemblyMax;
  private final Clock clock;
  private final long emptySkipNanos;
  private final Map<Long, ClaimedRow> claimed = new ConcurrentHashMap<>();
  private final Map<String, Quiet> quiet = new ConcurrentHashMap<>();
  private final AtomicLong wakeGeneration = new AtomicLong();
  private final AtomicLong lastForgetNanos = new AtomicLong(System.nanoTime());
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicInteger cursor = new AtomicInteger();
  private final Counter claimCalls;
  private final Counter claimedRows;
  private final Counter unknownOutcomes;
  private final Counter staleOutcomes;
  private final GroupCommitWriter<SubmittedRow> submissions;
  private final Consumer<List<SmscMessageId>> idsRecorded;

  /**
   * @param idsRecorded told the parts (SMSC, id) of each submission once they have committed (the
   *     parked delivery reports replay theirs, D211); must be cheap, it runs on the connector's
   *     thread
   */
  LedgerOutbox(
      Ledger ledger,
      ServedAssemblies assemblies,
      MessageIdIndex index,
      int perAssemblyMax,
      long emptySkipMillis,
      Clock clock,
      MeterRegistry registry,
      Consumer<List<SmscMessageId>> idsRecorded) {
    this.ledger = ledger;
    this.idsRecorded = idsRecorded;
    this.emptySkipNanos = emptySkipMillis * 1_000_000L;
    this.assemblies = assemblies;
    this.index = index;
    this.perAssemblyMax = perAssemblyMax;
    this.clock = clock;
    this.claimCalls = registry.counter("sms.outbox.claims");
    this.claimedRows = registry.counter("sms.outbox.claimed");
    this.unknownOutcomes = registry.counter("sms.outbox.outcome_unknown");
    this.staleOutcomes = registry.counter("sms.outbox.stale_outcomes");
    registry.gauge("sms.outbox.held", claimed, Map::size);
    // Parts whose submit_sm_resp came and whose submission has not committed yet (D236).
    registry.gauge("sms.outbox.recording", index, MessageIdIndex::recordingCount);
    this.submissions =
        new GroupCommitWriter<>(
            "submitted",
            WRITER_CAPACITY,
            WRITER_MAX_BATCH,
            WRITER_THREADS,
            WRITER_WAIT_LIMIT,
            this::writeSubmitted,
            registry);
  }

  /** Outcomes waiting to be written at most; beyond that callers wait (then fail and retry). */
  static final int WRITER_CAPACITY = 10_000;

  /** Rows per transaction at most. */
  static final int WRITER_MAX_BATCH = 500;

  /** Transactions in flight at once. */
  static final int WRITER_THREADS = 4;

  /** How long a caller waits for its commit before the write counts as failed (and is retried). */
  static final Duration WRITER_WAIT_LIMIT = Duration.ofSeconds(30);

  private List<Boolean> writeSubmitted(String assemblyCode, List<SubmittedRow> rows) {
    Map<Long, SubmittedSms> byRow = new LinkedHashMap<>();
    for (SubmittedRow r : rows) {
      byRow.put(r.rowId(), new SubmittedSms(r.rowId(), r.parts(), r.submitAttempts()));
    }
    Set<Long> written =
        ledger.assembly(assemblyCode).markSubmittedBatch(new ArrayList<>(byRow.values()));
    return rows.stream().map(r -> written.contains(r.rowId())).toList();
  }

  /**
   * Writes the row's submission with others in one transaction and returns once it has committed;
   * forgets the row once written, or when it is no longer queued (its lease ran out and another
   * node took it). A failure (the database is down) propagates, and the connector calls again.
   */
  private void submitted(long messageId, ClaimedRow row, List<SmscMessageId> parts, int attempts) {
    boolean written =
        submissions.write(row.assemblyCode(), new SubmittedRow(row.rowId(), parts, attempts));
    claimed.remove(messageId);
    if (written) {
      idsRecorded.accept(parts);
    } else {
      staleOutcomes.increment();
      log.warn(
          "SMS {} of assembly {} changed under this node (lease expired?): no longer queued",
          row.rowId(),
          row.assemblyCode());
    }
  }

  /** Writes what is queued, then stops the writer. */
  @Override
  public void close() {
    submissions.close();
  }

  /**
   * Claims up to {@code max} rows, starting at a different assembly each call and taking at most a
   * fair share (and at most {@code claimPerAssemblyMax}) from each, so one assembly's backlog
   * cannot starve the others; a second pass fills what is left from assemblies that had more.
   */
  @Override
  public List<OutboundMessage> claimDue(int max) {
    claimCalls.increment();
    forgetAbandoned();
    long nowNanos = System.nanoTime();
    long generation = wakeGeneration.get();
    List<String> codes =
        assemblies.activeCodes().stream()
            .filter(
                c -> {
                  Quiet q = quiet.get(c);
                  return q == null
                      || q.generation() != generation
                      || q.untilNanos() - nowNanos <= 0;
                })
            .toList();
    if (codes.isEmpty() || max < 1) {
      return List.of();
    }
    int n = codes.size();
    int start = Math.floorMod(cursor.getAndIncrement(), n);
    int share = Math.max(1, Math.min(perAssemblyMax, (max + n - 1) / n));
    Instant now = clock.instant();
    List<OutboundMessage> out = new ArrayList<>(Math.min(max, 1000));
    List<String> more = new ArrayList<>();
    RuntimeException failure = null;
    int failed = 0;
    for (int i = 0; i < n && out.size() < max; i++) {
      String code = codes.get((start + i) % n);
      int want = Math.min(share, max - out.size());
      try {
        int got = claim(code, want, now, out);
        if (got == want) {
          more.add(code);
        } else if (got == 0) {
          quiet.put(code, new Quiet(nowNanos + emptySkipNanos, generation));
        }
      } catch (RuntimeException e) {
        failed++;
        failure = e;
        log.warn("claiming SMS of assembly {} failed: {}", code, e.toString());
      }
    }
    for (int i = 0; i < more.size() && out.size() < max; i++) {
      String code = more.get(i);
      int want = Math.min(perAssemblyMax, max - out.size());
      try {
        claim(code, want, now, out);
      } catch (RuntimeException e) {
        log.warn("claiming SMS of assembly {} failed: {}", code, e.toString());
      }
    }
    if (out.isEmpty() && failure != null && failed == n) {
      // Nothing is reachable: let the dispatcher back off until its next poll.
      throw failure;
    }
    claimedRows.increment(out.size());
    return out;
  }

  private int claim(String code, int want, Instant now, List<OutboundMessage> out) {
    List<OutboxMessage> rows = ledger.assembly(code).claimOutbox(want, now);
    for (OutboxMessage row : rows) {
      long id = nextId.incrementAndGet();
      claimed.put(id, new ClaimedRow(code, row.id(), System.nanoTime()));
      // The ledger counts claims, not submit attempts (a claim that found no bind up is not an
      // attempt), so each claim starts the connector's attempt count afresh.
      out.add(
          new OutboundMessage(id, code, row.recipientMsisdn(), row.text(), 0, row.correlationId()));
    }
    return rows.size();
  }

  /** Rows may have been added: look at every assembly on the next claim. */
  void rowsAdded() {
    wakeGeneration.incrementAndGet();
  }

  private void forgetAbandoned() {
    long now = System.nanoTime();
    long last = lastForgetNanos.get();
    if (now - last < FORGET_AFTER_NANOS / 10 || !lastForgetNanos.compareAndSet(last, now)) {
      return;
    }
    claimed
        .entrySet()
        .removeIf(
            e -> {
              boolean abandoned = now - e.getValue().claimedAtNanos() > FORGET_AFTER_NANOS;
              if (abandoned) {
                staleOutcomes.increment();
              }
              return abandoned;
            });
  }

  @Override
  public void markSubmitted(long messageId, Submission submission) {
    ClaimedRow row = claimed.get(messageId);
    if (row == null) {
      staleOutcomes.increment();
      return;
    }
    // Index first: a report that overtakes the commit then goes to the right assembly, after
    // waiting for the commit (D236).
    List<SmscMessageId> parts = parts(submission);
    var done = index.recording(parts);
    index.put(parts, row.assemblyCode());
    try {
      submitted(messageId, row, parts, submission.attemptsUsed());
    } finally {
      index.recorded(parts, done);
    }
  }

  @Override
  public void scheduleRetry(long messageId, Duration delay, String reason, int attemptsUsed) {
    ClaimedRow row = claimed.get(messageId);
    if (row == null) {
      staleOutcomes.increment();
      return;
    }
    Instant at = clock.instant().plus(delay);
    apply(messageId, row, l -> l.markSmsRetry(row.rowId(), at, reason, attemptsUsed));
  }

  @Override
  public void failPermanently(long messageId, String reason, int attemptsUsed) {
    ClaimedRow row = claimed.get(messageId);
    if (row == null) {
      staleOutcomes.increment();
      return;
    }
    String text = reason + " (submit attempts " + attemptsUsed + ")";
    apply(messageId, row, l -> l.markSmsFailed(row.rowId(), text, attemptsUsed));
  }

  /**
   * The row becomes UNKNOWN (D111): neither re-sent at once nor counted as sent. The ids of parts
   * that were accepted are kept on it, so their delivery reports settle it; with none, a report
   * naming the handset and text does. After the quiet period the recovery sweep may re-send it.
   */
  @Override
  public void markOutcomeUnknown(long messageId, Submission partial, String reason) {
    ClaimedRow row = claimed.get(messageId);
    if (row == null) {
      staleOutcomes.increment();
      return;
    }
    unknownOutcomes.increment();
    log.warn(
        "SMS {} of assembly {}: outcome unknown ({}); {} part ids known",
        row.rowId(),
        row.assemblyCode(),
        reason,
        partial.partMessageIds().size());
    List<SmscMessageId> parts = parts(partial);
    if (!parts.isEmpty()) {
      index.put(parts, row.assemblyCode());
    }
    apply(
        messageId,
        row,
        l -> l.markSmsOutcomeUnknown(row.rowId(), parts, partial.attemptsUsed(), reason));
    if (!parts.isEmpty()) {
      idsRecorded.accept(parts);
    }
  }

  /**
   * Each part's id under the SMSC identity of the connection that took it (after a fail-over the
   * parts of one message may have gone to different SMSCs, D230).
   */
  private static List<SmscMessageId> parts(Submission submission) {
    List<SmscMessageId> parts = new ArrayList<>(submission.partMessageIds().size());
    for (int i = 0; i < submission.partMessageIds().size(); i++) {
      parts.add(
          new SmscMessageId(submission.partSmscs().get(i), submission.partMessageIds().get(i)));
    }
    return parts;
  }

  /**
   * Writes an outcome; forgets the row once written. A row that is no longer queued (its lease ran
   * out and another node took it) is forgotten too: retrying cannot help. Any other failure (the
   * database is down) propagates, and the connector calls again.
   */
  private void apply(long messageId, ClaimedRow row, Consumer<AssemblyLedger> write) {
    try {
      write.accept(ledger.assembly(row.assemblyCode()));
      claimed.remove(messageId);
    } catch (IllegalTransitionException | UnknownEntityException e) {
      claimed.remove(messageId);
      staleOutcomes.increment();
      log.warn(
          "SMS {} of assembly {} changed under this node (lease expired?): {}",
          row.rowId(),
          row.assemblyCode(),
          e.getMessage());
    }
  }

  /** Rows claimed and not yet given an outcome (for tests and metrics). */
  int held() {
    return claimed.size();
  }
}
