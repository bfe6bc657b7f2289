package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.DeliveryState;
import org.assemblypay.ledger.DeliveryUpdate;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DeliveryReportSink;

/**
 * Applies delivery reports to the outbox row that holds the part's message id, in whichever served
 * assembly that is: first the assembly this node recorded at submit time, else every served
 * assembly in turn (the message may have been submitted by another node). Returns false when no row
 * has the id yet, so the connector keeps the report and offers it again; a database failure
 * propagates, so the SMSC redelivers.
 *
 * <p>Reports are written in groups (one transaction per assembly for whatever has queued up) and
 * each call returns only after its report has committed, so the SMSC's deliver_sm is answered only
 * for a durable report.
 */
final class LedgerDeliveryReports implements DeliveryReportSink, AutoCloseable {

  private final Ledger ledger;
  private final ServedAssemblies assemblies;
  private final MessageIdIndex index;
  private final Counter matchedDirect;
  private final Counter matchedBySearch;
  private final Counter unmatched;
  private final Counter intermediate;
  private final GroupCommitWriter<DeliveryUpdate> writer;

  LedgerDeliveryReports(
      Ledger ledger, ServedAssemblies assemblies, MessageIdIndex index, MeterRegistry registry) {
    this.ledger = ledger;
    this.assemblies = assemblies;
    this.index = index;
    this.matchedDirect = registry.counter("sms.reports.applied", "lookup", "index");
    this.matchedBySearch = registry.counter("sms.reports.applied", "lookup", "search");
    this.unmatched = registry.counter("sms.reports.unmatched");
    this.intermediate = registry.counter("sms.reports.intermediate");
    this.writer =
        new GroupCommitWriter<>(
            "reports",
            LedgerOutbox.WRITER_CAPACITY,
            LedgerOutbox.WRITER_MAX_BATCH,
            LedgerOutbox.WRITER_THREADS,
            LedgerOutbox.WRITER_WAIT_LIMIT,
            this::writeReports,
            registry);
  }

  private List<Boolean> writeReports(String assemblyCode, List<DeliveryUpdate> reports) {
    Set<String> matched = ledger.assembly(assemblyCode).recordDeliveryReports(reports);
    return reports.stream().map(r -> matched.contains(r.messageId())).toList();
  }

  /** Writes what is queued, then stops the writer. */
  @Override
  public void close() {
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
    String id = report.messageId();
    String error = report.errorCode().isEmpty() ? null : report.errorCode();
    var update =
        new DeliveryUpdate(
            id,
            state.get(),
            error,
            report.handset().isEmpty() ? null : report.handset(),
            report.textStart().isEmpty() ? null : report.textStart());
    Optional<String> hint = index.assemblyOf(id);
    if (hint.isPresent() && writer.write(hint.get(), update)) {
      matchedDirect.increment();
      index.forget(id);
      return true;
    }
    for (Assembly assembly : assemblies.all()) {
      if (hint.isPresent() && hint.get().equals(assembly.code())) {
        continue;
      }
      if (writer.write(assembly.code(), update)) {
        matchedBySearch.increment();
        return true;
      }
    }
    unmatched.increment();
    return false;
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
