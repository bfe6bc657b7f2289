package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assemblypay.ledger.DeliveryUpdate;
import org.assemblypay.ledger.ParkedDeliveryReports;
import org.assemblypay.ledger.ParkedDeliveryReports.Parked;
import org.assemblypay.ledger.SmscMessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery reports that matched no outbox row when they arrived, parked in the control schema
 * before the SMSC is answered (D210) and applied later: on this node right after a submission with
 * their id commits (D211), or by the sweep of any node (D212), which gives up after the maximum age
 * (D213).
 *
 * <p>A parked report is applied only to a part its own SMSC took (D230): every key here is the pair
 * (SMSC identity, message id).
 *
 * <p>This node remembers which message ids it parked (a hint, bounded; the table is the truth), so
 * a recorded submission costs no database work unless one of its ids was parked here. A report
 * parked on another node, or before a restart, is found by the sweep.
 */
final class ParkedReports implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ParkedReports.class);

  /** Rows claimed per sweep round; a sweep takes rounds until fewer are due. */
  static final int SWEEP_BATCH = 200;

  /** Ids remembered at most; beyond that only the sweep finds the reports parked here. */
  static final int HINT_CAPACITY = 100_000;

  /** How long an id is remembered: its report was applied by another node if still here by then. */
  private static final long HINT_TTL_NANOS = Duration.ofMinutes(10).toNanos();

  /** The first sweep try of a parked report (the replay on this node usually comes first). */
  static final Duration FIRST_TRY_AFTER = Duration.ofSeconds(1);

  /**
   * The sweep's back-off: a tenth of the report's age, at least one second, at most five seconds in
   * its first two minutes (a submission that commits late is found within seconds) and at most ten
   * minutes after.
   */
  static final ParkedDeliveryReports.Backoff BACKOFF =
      new ParkedDeliveryReports.Backoff(
          Duration.ofSeconds(1),
          Duration.ofMinutes(2),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10));

  private final ParkedDeliveryReports table;
  private final Function<List<DeliveryUpdate>, Set<SmscMessageId>> apply;
  private final Duration maxAge;
  private final long sweepMillis;
  private final Clock clock;
  private final Map<SmscMessageId, Long> parkedHere = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicInteger parkedNow = new AtomicInteger();
  private final Counter parkedTotal;
  private final Counter parkFailed;
  private final Counter matchedOnRecheck;
  private final Counter matchedOnReplay;
  private final Counter matchedBySweep;
  private final Counter expired;
  private final Counter replays;
  private final Timer parkedFor;

  /**
   * @param apply applies reports to whichever served assembly's outbox holds their ids under their
   *     SMSCs; returns the (SMSC, id) pairs that matched (may throw: the rows stay parked)
   */
  ParkedReports(
      ParkedDeliveryReports table,
      Function<List<DeliveryUpdate>, Set<SmscMessageId>> apply,
      SmsConfig.Recovery settings,
      Clock clock,
      MeterRegistry registry) {
    this.table = table;
    this.apply = apply;
    this.maxAge = Duration.ofHours(settings.parkedMaxAgeHours());
    this.sweepMillis = settings.parkedSweepMillis();
    this.clock = clock;
    this.parkedTotal = registry.counter("sms.reports.parked_total");
    this.parkFailed = registry.counter("sms.reports.park_failed");
    this.matchedOnRecheck = registry.counter("sms.reports.matched_late", "by", "recheck");
    this.matchedOnReplay = registry.counter("sms.reports.matched_late", "by", "replay");
    this.matchedBySweep = registry.counter("sms.reports.matched_late", "by", "sweep");
    this.expired = registry.counter("sms.reports.parked_expired");
    this.replays = registry.counter("sms.reports.parked_replays");
    this.parkedFor = registry.timer("sms.reports.parked_for");
    registry.gauge("sms.reports.parked", parkedNow);
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "sms-parked-reports");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Gives the reports parked before SMSC identities were recorded (control migration V4) the
   * identity their connection has in this configuration; a failure only leaves them without one
   * (they then match only ids recorded before assembly migration V16), so it is logged, not thrown.
   */
  void assignSmsc(List<SmsConfig.Connection> connections) {
    for (SmsConfig.Connection c : connections) {
      try {
        int n = table.assignSmsc(c.name(), c.smscIdentity());
        if (n > 0) {
          log.info(
              "{} delivery report(s) parked on {} before V4 now belong to SMSC {}",
              n,
              c.name(),
              c.smscIdentity());
        }
      } catch (RuntimeException e) {
        log.warn(
            "Could not give parked delivery reports of {} their SMSC: {}", c.name(), e.toString());
      }
    }
  }

  /** Starts the periodic sweep. */
  void start() {
    executor.scheduleWithFixedDelay(
        this::sweepQuietly, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Parks a report that matched nothing, durably, before the SMSC is answered; runs on the thread
   * that received it. The id is remembered first, so a submission that commits while the row is
   * being written is replayed (D211).
   *
   * @return the parked row's id, or -1 if the same report was parked already
   * @throws RuntimeException if it could not be stored: the SMSC must get an error and redeliver
   */
  long park(DeliveryUpdate update, String rawState, String connectionName, Instant receivedAt) {
    remember(update.key());
    try {
      long id =
          table.park(
              update, rawState, connectionName, receivedAt, clock.instant().plus(FIRST_TRY_AFTER));
      if (id > 0) {
        parkedTotal.increment();
        parkedNow.incrementAndGet();
      }
      return id;
    } catch (RuntimeException e) {
      parkFailed.increment();
      throw e;
    }
  }

  /**
   * The report parked as {@code rowId} (received at {@code receivedAt}) was applied on the re-check
   * after parking: the row is deleted off the receiving thread (if that fails, the sweep applies
   * the report again, which changes nothing, and deletes it).
   */
  void matchedOnRecheck(long rowId, SmscMessageId part, Instant receivedAt) {
    parkedHere.remove(part);
    if (rowId <= 0) {
      return;
    }
    parkedFor.record(Duration.between(receivedAt, clock.instant()));
    runLater(
        () -> {
          int n = table.delete(List.of(rowId)).size();
          matchedOnRecheck.increment(n);
          parkedNow.addAndGet(-n);
        });
  }

  /**
   * A submission with these parts (SMSC, id) has committed: if a report for any was parked on this
   * node, it is applied now, off the caller's thread. Costs a map look-up per part otherwise.
   */
  void submitted(List<SmscMessageId> parts) {
    if (parkedHere.isEmpty()) {
      return;
    }
    List<SmscMessageId> hit = null;
    for (SmscMessageId part : parts) {
      if (parkedHere.remove(part) != null) {
        if (hit == null) {
          hit = new ArrayList<>(parts.size());
        }
        hit.add(part);
      }
    }
    if (hit != null) {
      List<SmscMessageId> found = hit;
      runLater(() -> replay(found));
    }
  }

  private void replay(List<SmscMessageId> parts) {
    replays.increment();
    List<Parked> rows = table.withMessageIds(parts);
    if (!rows.isEmpty()) {
      applyAndDelete(rows, false, matchedOnReplay);
    }
  }

  /** What one batch of parked rows came to. */
  record Outcome(int matched, int expired) {}

  /**
   * Applies the rows; deletes those that matched, and with {@code expire} those past the maximum
   * age. Counts only what this call deleted, so a report applied twice (by a replay and a sweep, or
   * by two nodes) counts once.
   */
  private Outcome applyAndDelete(List<Parked> rows, boolean expire, Counter matchedCounter) {
    List<DeliveryUpdate> updates = rows.stream().map(Parked::update).toList();
    Set<SmscMessageId> matched = apply.apply(updates);
    List<Long> done = new ArrayList<>();
    List<Parked> tooOld = new ArrayList<>();
    Instant now = clock.instant();
    for (Parked p : rows) {
      if (matched.contains(p.update().key())) {
        done.add(p.id());
        parkedHere.remove(p.update().key());
      } else if (expire && Duration.between(p.receivedAt(), now).compareTo(maxAge) > 0) {
        tooOld.add(p);
      }
    }
    Set<Long> deleted = table.delete(done);
    int m = deleted.size();
    matchedCounter.increment(m);
    for (Parked p : rows) {
      if (deleted.contains(p.id())) {
        parkedFor.record(Duration.between(p.receivedAt(), now));
      }
    }
    int x = 0;
    if (!tooOld.isEmpty()) {
      Set<Long> gone = table.delete(tooOld.stream().map(Parked::id).toList());
      for (Parked p : tooOld) {
        if (gone.contains(p.id())) {
          x++;
          parkedHere.remove(p.update().key());
          log.atWarn()
              .addKeyValue("event", "parked_delivery_report_expired")
              .addKeyValue("smsc", p.update().smsc())
              .addKeyValue("messageId", p.update().messageId())
              .addKeyValue("state", p.update().state().name())
              .addKeyValue("connection", p.connectionName())
              .addKeyValue("receivedAt", p.receivedAt().toString())
              .addKeyValue("attempts", p.attempts())
              .log(
                  "Delivery report for SMSC message {} matched no outbox row within {} h;"
                      + " given up",
                  p.update().messageId(),
                  maxAge.toHours());
        }
      }
    }
    expired.increment(x);
    parkedNow.addAndGet(-(m + x));
    return new Outcome(m, x);
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Sweep of parked delivery reports failed: {}", e.toString());
    }
  }

  /**
   * Claims the due parked reports ({@code FOR UPDATE SKIP LOCKED}, safe with several nodes) in
   * rounds, applies them, deletes the matched and the expired; the others are due again after the
   * back-off. Returns what it did, for tests.
   */
  Outcome sweep() {
    int matched = 0;
    int gone = 0;
    while (true) {
      List<Parked> rows = table.claimDue(SWEEP_BATCH, clock.instant(), BACKOFF);
      if (rows.isEmpty()) {
        break;
      }
      Outcome o = applyAndDelete(rows, true, matchedBySweep);
      matched += o.matched();
      gone += o.expired();
      if (rows.size() < SWEEP_BATCH) {
        break;
      }
    }
    parkedNow.set(table.count());
    forgetOldHints();
    return new Outcome(matched, gone);
  }

  private void remember(SmscMessageId part) {
    if (parkedHere.size() < HINT_CAPACITY) {
      parkedHere.put(part, System.nanoTime());
    }
  }

  private void forgetOldHints() {
    long now = System.nanoTime();
    parkedHere.values().removeIf(at -> now - at > HINT_TTL_NANOS);
  }

  private void runLater(Runnable task) {
    try {
      executor.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              // The rows stay parked; the sweep applies them.
              log.warn("Applying parked delivery reports failed: {}", e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      // Closing: the sweep of the next start (or another node) applies them.
    }
  }

  /** Parts (SMSC, id) this node remembers as parked (for tests). */
  Set<SmscMessageId> parkedHere() {
    return new HashSet<>(parkedHere.keySet());
  }

  /** Finishes queued replays (waiting up to five seconds) and stops the sweep. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
