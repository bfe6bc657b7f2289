package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.DeliveryState;
import org.assemblypay.ledger.DeliveryUpdate;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.SmscMessageId;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DeliveryReportSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies delivery reports to the outbox row that holds the part's message id under the report's
 * SMSC identity (never the same id from another SMSC, D230), in whichever served assembly that is:
 * the assembly this node recorded at submit time, else every served assembly in turn (the message
 * may have been submitted by another node). A report that overtakes its own submission's commit on
 * this node waits for that commit first, at most {@link #RECORDING_WAIT} (D236). A final report
 * that still matches no row is parked in the control schema before this returns (D210), then tried
 * once more (D211); a database failure propagates, so the SMSC redelivers.
 *
 * <p>Reports are written in groups (one transaction per assembly for whatever has queued up) and
 * each call returns only after its report has committed, or has been parked, so the SMSC's
 * deliver_sm is answered only for a durable report.
 */
final class LedgerDeliveryReports implements DeliveryReportSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerDeliveryReports.class);

  /**
   * How long a report that overtook its own submission's commit on this node waits for it before it
   * is parked instead (D236); its deliver_sm is answered that much later at most.
   */
  static final Duration RECORDING_WAIT = Duration.ofSeconds(2);

  private final Ledger ledger;
  private final ServedAssemblies assemblies;
  private final MessageIdIndex index;
  private final ParkedReports parked;
  private final Counter matchedDirect;
  private final Counter matchedBySearch;
  private final Counter unmatched;
  private final Counter intermediate;
  private final Counter waitedForSubmission;
  private final GroupCommitWriter<DeliveryUpdate> writer;

  LedgerDeliveryReports(
      Ledger ledger,
      ServedAssemblies assemblies,
      MessageIdIndex index,
      SmsConfig.Recovery recovery,
      Clock clock,
      MeterRegistry registry) {
    this.ledger = ledger;
    this.assemblies = assemblies;
    this.index = index;
    this.matchedDirect = registry.counter("sms.reports.applied", "lookup", "index");
    this.matchedBySearch = registry.counter("sms.reports.applied", "lookup", "search");
    this.unmatched = registry.counter("sms.reports.unmatched");
    this.intermediate = registry.counter("sms.reports.intermediate");
    this.waitedForSubmission = registry.counter("sms.reports.waited_for_submission");
    registry.gauge("sms.reports.waiting_for_submission", index, MessageIdIndex::waitingCount);
    this.writer =
        new GroupCommitWriter<>(
            "reports",
            LedgerOutbox.WRITER_CAPACITY,
            LedgerOutbox.WRITER_MAX_BATCH,
            LedgerOutbox.WRITER_THREADS,
            LedgerOutbox.WRITER_WAIT_LIMIT,
            this::writeReports,
            registry);
    this.parked =
        new ParkedReports(
            ledger.parkedDeliveryReports(), this::applyAll, recovery, clock, registry);
  }

  private List<Boolean> writeReports(String assemblyCode, List<DeliveryUpdate> reports) {
    Set<SmscMessageId> matched = ledger.assembly(assemblyCode).recordDeliveryReports(reports);
    return reports.stream().map(r -> matched.contains(r.key())).toList();
  }

  /** The parked reports: replayed after submissions, swept periodically. */
  ParkedReports parked() {
    return parked;
  }

  /** Stops the parked-report sweep, writes what is queued, then stops the writer. */
  @Override
  public void close() {
    parked.close();
    writer.close();
  }

  @Override
  public boolean onReport(DeliveryReport report) {
    Optional<DeliveryState> state = toLedgerState(report.state());
    if (state.isEmpty()) {
      // ENROUTE/UNKNOWN: the ledger keeps only final states, and a final report follows.
      intermediate.increment();
      return true;
    }
    SmscMessageId id = new SmscMessageId(report.smsc(), report.messageId());
    String error = report.errorCode().isEmpty() ? null : report.errorCode();
    var update =
        new DeliveryUpdate(
            report.smsc(),
            report.messageId(),
            state.get(),
            error,
            report.handset().isEmpty() ? null : report.handset(),
            report.textStart().isEmpty() ? null : report.textStart());
    if (index.awaitRecorded(id, RECORDING_WAIT)) {
      // It overtook its own submission's commit on this node, and waited for it (D236).
      waitedForSubmission.increment();
    }
    Optional<String> hint = index.assemblyOf(id);
    if (hint.isPresent()) {
      if (writer.write(hint.get(), update)) {
        matchedDirect.increment();
        index.forget(id);
        return true;
      }
      // This node submitted the message and its submission has not committed yet (the report came
      // before submit_sm_resp was handled, or the commit took longer than the wait): no other
      // assembly can hold the id, so park it without searching them (D211).
    } else {
      for (Assembly assembly : assemblies.all()) {
        if (writer.write(assembly.code(), update)) {
          matchedBySearch.increment();
          return true;
        }
      }
    }
    unmatched.increment();
    long rowId =
        parked.park(update, report.rawState(), report.connectionName(), report.receivedAt());
    // Parked, and the SMSC may be answered. The submission may have committed since the attempt
    // above, and its replay may have looked before the row was written: try once more (D211).
    Optional<String> now = index.assemblyOf(id);
    if (now.isPresent()) {
      try {
        if (writer.write(now.get(), update)) {
          index.forget(id);
          parked.matchedOnRecheck(rowId, id, report.receivedAt());
          return true;
        }
      } catch (RuntimeException e) {
        log.warn("Re-check of a parked delivery report failed (it stays parked): {}", e.toString());
      }
    }
    return false;
  }

  /**
   * Applies parked reports directly (one transaction per assembly): those this node can place by
   * their SMSC and id to that assembly, then what is left to every served assembly in turn. Returns
   * the (SMSC, message id) pairs that matched. An assembly that fails is skipped; its reports stay
   * parked.
   */
  Set<SmscMessageId> applyAll(List<DeliveryUpdate> updates) {
    Set<SmscMessageId> matched = new HashSet<>();
    Map<String, List<DeliveryUpdate>> byHint = new LinkedHashMap<>();
    List<DeliveryUpdate> rest = new ArrayList<>();
    for (DeliveryUpdate u : updates) {
      Optional<String> hint = index.assemblyOf(u.key());
      if (hint.isPresent()) {
        byHint.computeIfAbsent(hint.get(), k -> new ArrayList<>()).add(u);
      } else {
        rest.add(u);
      }
    }
    byHint.forEach(
        (code, group) -> {
          Set<SmscMessageId> m = record(code, group);
          matched.addAll(m);
          group.stream().filter(u -> !m.contains(u.key())).forEach(rest::add);
        });
    for (Assembly assembly : assemblies.all()) {
      if (rest.isEmpty()) {
        break;
      }
      Set<SmscMessageId> m = record(assembly.code(), rest);
      matched.addAll(m);
      rest.removeIf(u -> m.contains(u.key()));
    }
    matched.forEach(index::forget);
    return matched;
  }

  private Set<SmscMessageId> record(String assemblyCode, List<DeliveryUpdate> updates) {
    try {
      return ledger.assembly(assemblyCode).recordDeliveryReports(updates);
    } catch (RuntimeException e) {
      log.warn(
          "Applying parked delivery reports to assembly {} failed: {}", assemblyCode, e.toString());
      return Set.of();
    }
  }

  /** The ledger's final states; empty for states after which another report is expected. */
  static Optional<DeliveryState> toLedgerState(org.assemblypay.smpp.DeliveryState state) {
    return switch (state) {
      case DELIVERED -> Optional.of(DeliveryState.DELIVERED);
      case UNDELIVERABLE, DELETED -> Optional.of(DeliveryState.UNDELIVERABLE);
      case EXPIRED -> Optional.of(DeliveryState.EXPIRED);
      case REJECTED -> Optional.of(DeliveryState.REJECTED);
      case ENROUTE, UNKNOWN -> Optional.empty();
    };
  }
}
