package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assemblypay.gateway.sms.SmsTestBed.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.assemblypay.ledger.SmsOutboxRow;
import org.assemblypay.smpp.ResponseTimeoutPolicy;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

/**
 * A submit whose outcome is unknown (the SMSC answers after the connector's response timeout), over
 * TCP to the SMSC simulator: the row is UNKNOWN, not re-sent and not counted as sent, until a late
 * delivery report settles it or its quiet period ends and it is re-sent once, recorded.
 */
class UnknownOutcomeTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Await reports (no immediate resend); the connection's response timeout is 2 s. */
  private static SmsConfig config(SmsTestBed bed, SmsConfig.Recovery recovery) {
    return bed.config()
        .withDispatcher(
            new SmsConfig.Dispatcher(
                0, 0, 200, 0, 50, 100, 300, ResponseTimeoutPolicy.AWAIT_REPORT, 20, 200, 0))
        .withRecovery(recovery);
  }

  @Test
  void aLateReportSettlesAMessageWhoseSubmitResponseNeverCame() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.smsc.setResponseDelayMillis(3_000);
      // No re-send within the test: only the late report can settle the row.
      bed.start(config(bed, new SmsConfig.Recovery(3_600, 1, 0, 0, 100, 0, 0)));
      String phone = SmsTestBed.phone();
      long row = bed.enqueue(0, phone, "Paid GHS 4.00. Receipt AMA-2026-000077 code 4KQ2-1D");

      await("the row UNKNOWN", WAIT, () -> sql(() -> "UNKNOWN".equals(bed.status(0, row))));
      SmsOutboxRow unknown = bed.ledgerOf(0).smsOutboxRow(row).orElseThrow();
      assertThat(unknown.submitAttempts()).isEqualTo(1);
      assertThat(unknown.lastError().orElseThrow()).startsWith("OUTCOME_UNKNOWN");
      assertThat(unknown.messageIds()).isEmpty();

      // The SMSC did take it: its report (which names the handset and quotes the text) arrives.
      await("the row DELIVERED", WAIT, () -> sql(() -> "DELIVERED".equals(bed.status(0, row))));
      SmsOutboxRow delivered = bed.ledgerOf(0).smsOutboxRow(row).orElseThrow();
      assertThat(delivered.resends()).isZero();
      assertThat(delivered.messageIds()).hasSize(1);
      assertThat(bed.smsc.messagesTo(phone)).hasSize(1);
      assertThat(bed.smsc.acceptedSubmits()).isEqualTo(1);
    }
  }

  @Test
  void withoutAReportTheMessageIsResentOnceAfterItsQuietPeriodWithTheSameText() throws Exception {
    var simulator =
        SimulatorConfig.defaults(SmsTestBed.SYSTEM_ID, SmsTestBed.PASSWORD)
            .withDelays(600_000, 500);
    try (var bed = new SmsTestBed(1, simulator)) {
      bed.smsc.setResponseDelayMillis(3_000);
      bed.start(config(bed, new SmsConfig.Recovery(2, 1, 0, 0, 100, 0, 0)));
      String phone = SmsTestBed.phone();
      String text = "Paid GHS 6.00. Receipt AMA-2026-000078 code 9PL3-2X";
      long row = bed.enqueue(0, phone, text);

      await("the row UNKNOWN", WAIT, () -> sql(() -> "UNKNOWN".equals(bed.status(0, row))));
      bed.smsc.setResponseDelayMillis(0);
      await("the row re-sent", WAIT, () -> sql(() -> "SUBMITTED".equals(bed.status(0, row))));
      SmsOutboxRow entry = bed.ledgerOf(0).smsOutboxRow(row).orElseThrow();
      assertThat(entry.resends()).isEqualTo(1);
      assertThat(entry.submitAttempts()).isEqualTo(2);
      assertThat(entry.claims()).isEqualTo(2);
      assertThat(entry.lastError().orElseThrow()).startsWith("RESENT after 2 s");
      // The phone may get it twice (the first may have gone through): the same text both times.
      await("both sends at the SMSC", WAIT, () -> bed.smsc.messagesTo(phone).size() == 2);
      assertThat(bed.smsc.messagesTo(phone)).allSatisfy(m -> assertThat(m.text()).isEqualTo(text));
      assertThat(bed.registry.counter("sms.outbox.unknown_resent").count()).isEqualTo(1);
      assertThat(bed.count(0, "audit_log", "action = 'SMS_RESENT_AFTER_UNKNOWN'")).isEqualTo(1);
    }
  }

  @Test
  void aTemporaryErrorThenSuccessCountsBothSubmitAttemptsOnTheRow() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.smsc.rejectNext(1, 0x08); // ESME_RSYSERR: temporary
      bed.start(bed.config());
      long row = bed.enqueue(0, SmsTestBed.phone(), "Paid GHS 1.00");
      await("the row DELIVERED", WAIT, () -> sql(() -> "DELIVERED".equals(bed.status(0, row))));
      SmsOutboxRow entry = bed.ledgerOf(0).smsOutboxRow(row).orElseThrow();
      assertThat(entry.submitAttempts()).isEqualTo(2);
      assertThat(entry.lastAttemptAt()).isPresent();
    }
  }
}
