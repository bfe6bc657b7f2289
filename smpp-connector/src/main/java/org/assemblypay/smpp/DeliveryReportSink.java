package org.assemblypay.smpp;

/** Where delivery reports go: the gateway updates the matching outbox row. */
@FunctionalInterface
public interface DeliveryReportSink {

  /**
   * Applies the report to the message that has this part id.
   *
   * @return true if a message matched; false if none did yet (the connector keeps the report for a
   *     while and offers it again, since it may have overtaken its submit_sm_resp)
   * @throws RuntimeException if it could not be stored; the SMSC is answered with an error and
   *     redelivers the report
   */
  boolean onReport(DeliveryReport report);
}
