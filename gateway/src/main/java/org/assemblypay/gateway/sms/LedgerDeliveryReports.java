package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.DeliveryState;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DeliveryReportSink;

/**
 * Applies delivery reports to the outbox row that holds the part's message id, in whichever served
 * assembly that is: first the assembly this node recorded at submit time, else every served
 * assembly in turn (the message may have been submitted by another node). Returns false when no row
 * has the id yet, so the connector keeps the report and offers it again; a database failure
 * propagates, so the SMSC redelivers.
 */
final class LedgerDeliveryReports implements DeliveryReportSink {

  private final Ledger ledger;
  private final ServedAssemblies assemblies;
  private final MessageIdIndex index;
  private final Counter matchedDirect;
  private final Counter matchedBySearch;
  private final Counter unmatched;
  private final Counter intermediate;

  LedgerDeliveryReports(
      Ledger ledger, ServedAssemblies assemblies, MessageIdIndex index, MeterRegistry registry) {
    this.ledger = ledger;
    this.assemblies = assemblies;
    this.index = index;
    this.matchedDirect = registry.counter("sms.reports.applied", "lookup", "index");
    this.matchedBySearch = registry.counter("sms.reports.applied", "lookup", "search");
    this.unmatched = registry.counter("sms.reports.unmatched");
    this.intermediate = registry.counter("sms.reports.intermediate");
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
    Optional<String> hint = index.assemblyOf(id);
    if (hint.isPresent()
        && ledger.assembly(hint.get()).recordDeliveryReport(id, state.get(), error)) {
      matchedDirect.increment();
      index.forget(id);
      return true;
    }
    for (Assembly assembly : assemblies.all()) {
      if (hint.isPresent() && hint.get().equals(assembly.code())) {
        continue;
      }
      if (ledger.assembly(assembly.code()).recordDeliveryReport(id, state.get(), error)) {
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
