package org.assemblypay.smpp;

import java.util.Objects;

/**
 * The four ports the connector talks through; the gateway adapts the ledger to them.
 *
 * @param outbox where outbound messages come from and their outcomes go
 * @param outboxSignal wakes the dispatcher when rows are added
 * @param reports where delivery reports go
 * @param inbound where inbound messages go
 */
public record SmppPorts(
    OutboxSource outbox,
    OutboxSignal outboxSignal,
    DeliveryReportSink reports,
    InboundSink inbound) {

  /** Checks the fields. */
  public SmppPorts {
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(outboxSignal, "outboxSignal");
    Objects.requireNonNull(reports, "reports");
    Objects.requireNonNull(inbound, "inbound");
  }
}
