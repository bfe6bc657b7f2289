package org.assemblypay.smpp;

/** Where delivery reports go: the gateway updates the matching outbox row. */
@FunctionalInterface
public interface DeliveryReportSink {

  /**
   * Applies the report to the message that has this part id or, when no message has it yet (the
   * report overtook its submit_sm_resp or the commit of the submission), stores the report durably
   * and applies it once the submission is recorded. Returns only when the report is stored either
   * way: the connector answers the SMSC's deliver_sm after this returns and keeps nothing itself.
   *
   * @return true if a message matched now; false if the report was stored to be matched later
   * @throws RuntimeException if it could not be stored; the SMSC is answered with an error and
   *     redelivers the report
   */
  boolean onReport(DeliveryReport report);
}
