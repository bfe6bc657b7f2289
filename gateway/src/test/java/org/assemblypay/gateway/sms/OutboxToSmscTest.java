package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assemblypay.gateway.sms.SmsTestBed.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assemblypay.smpp.BindState;
import org.assemblypay.smpp.simulator.ReceivedSms;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

/** Outbox rows in PostgreSQL → connector → SMSC simulator over TCP → delivery reports → rows. */
class OutboxToSmscTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aReceiptQueuedInTheOutboxReachesThePhoneAndItsRowEndsDelivered() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      bed.start(bed.config());
      String phone = SmsTestBed.phone();
      long row = bed.enqueue(1, phone, "Paid GHS 2.50. Receipt AMA-2026-000001 code 7KQ2-9D");

      await("the SMS at the phone", WAIT, () -> !bed.smsc.messagesTo(phone).isEmpty());
      ReceivedSms received = bed.smsc.messagesTo(phone).get(0);
      assertThat(received.text()).isEqualTo("Paid GHS 2.50. Receipt AMA-2026-000001 code 7KQ2-9D");
      assertThat(received.from()).isEqualTo(bed.ledgerOf(1).assembly().smsSenderId());
      await(
          "the row DELIVERED",
          WAIT,
          () -> sql(() -> "DELIVERED".equals(bed.status(1, row))),
          bed::statuses);
      assertThat(bed.messageIds(1, row)).isEqualTo(String.join(",", received.messageIds()));
    }
  }

  @Test
  void aReportThatOvertakesItsSubmitResponseStillSettlesTheRow() throws Exception {
    // In this mode the simulator blocks a jSMPP worker per submit until the receipt is answered;
    // more workers than the window keeps one free to read those answers.
    var simulator =
        SimulatorConfig.defaults(SmsTestBed.SYSTEM_ID, SmsTestBed.PASSWORD)
            .withCapacity(32, 2_000, 100);
    try (var bed = new SmsTestBed(1, simulator)) {
      bed.smsc.setReportBeforeResponse(true);
      bed.start(bed.config());
      List<Long> rows = new ArrayList<>();
      String phone = SmsTestBed.phone();
      for (int i = 0; i < 20; i++) {
        rows.add(bed.enqueue(0, phone, "receipt " + i));
      }
      await(
          "all rows DELIVERED",
          WAIT,
          () -> sql(() -> bed.rowsIn(0, "DELIVERED") == 20),
          bed::statuses);
      // Parked before the SMSC was answered (D210) and applied once the submission committed.
      assertThat(bed.registry.counter("smpp.reports", "result", "parked").count()).isGreaterThan(0);
      assertThat(bed.registry.counter("sms.reports.parked_total").count()).isGreaterThan(0);
      for (long row : rows) {
        assertThat(bed.status(0, row)).isEqualTo("DELIVERED");
      }
    }
  }

  @Test
  void anUndeliverableReportMarksTheRowUndeliverable() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.smsc.setReportOutcome("UNDELIV", "034");
      bed.start(bed.config());
      long row = bed.enqueue(0, SmsTestBed.phone(), "your receipt");
      await("row UNDELIVERABLE", WAIT, () -> sql(() -> "UNDELIVERABLE".equals(bed.status(0, row))));
    }
  }

  @Test
  void aPermanentRefusalFailsTheRowWithTheSmscReason() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.smsc.rejectNext(1, 0x0B);
      bed.start(bed.config());
      long row = bed.enqueue(0, SmsTestBed.phone(), "your receipt");
      await("row FAILED", WAIT, () -> sql(() -> "FAILED".equals(bed.status(0, row))));
      assertThat(bed.lastError(0, row)).contains("0xb");
    }
  }

  @Test
  void theSmscKilledAndRestartedMidStreamLosesNoOutboxRow() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      bed.start(bed.config());
      int perAssembly = 150;
      List<String> phones = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        phones.add(SmsTestBed.phone());
      }
      Set<String> texts = new HashSet<>();
      for (int i = 0; i < perAssembly; i++) {
        for (int a = 0; a < 2; a++) {
          String text = "receipt " + a + "-" + i;
          texts.add(text);
          bed.enqueue(a, phones.get(i % phones.size()), text);
        }
      }
      await("some submits", WAIT, () -> bed.smsc.acceptedSubmits() >= 30);
      bed.smsc.kill();
      await(
          "the bind to drop",
          WAIT,
          () -> bed.sms.bindStates().values().stream().noneMatch(s -> s == BindState.BOUND));
      bed.smsc.restart();

      await(
          "every row DELIVERED",
          Duration.ofSeconds(90),
          () ->
              sql(
                  () ->
                      bed.rowsIn(0, "DELIVERED") == perAssembly
                          && bed.rowsIn(1, "DELIVERED") == perAssembly),
          bed::statuses);
      assertThat(bed.rowsIn(0, "FAILED") + bed.rowsIn(1, "FAILED")).isZero();
      Set<String> received = new HashSet<>();
      for (String phone : phones) {
        bed.smsc.messagesTo(phone).forEach(m -> received.add(m.text()));
      }
      assertThat(received).isEqualTo(texts);
      assertThat(bed.sms.heldRows()).isZero();
    }
  }

  @Test
  void aRowQueuedOnThisNodeIsSentWithoutWaitingForThePoll() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.start(bed.config().withDispatcher(POLL_EVERY_TEN_MINUTES));
      awaitIdle(bed);
      String phone = SmsTestBed.phone();
      long row = bed.enqueue(0, phone, "woken in process");
      bed.sms.outboxChanged();
      await("the SMS at the phone", WAIT, () -> !bed.smsc.messagesTo(phone).isEmpty());
      await("row DELIVERED", WAIT, () -> sql(() -> "DELIVERED".equals(bed.status(0, row))));
    }
  }

  @Test
  void aPostgresNotificationWakesTheDispatcher() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      String channel = "sms_test_" + bed.assembly(0).toLowerCase(java.util.Locale.ROOT);
      bed.start(bed.config().withDispatcher(POLL_EVERY_TEN_MINUTES).withNotifyChannel(channel));
      awaitIdle(bed);
      String phone = SmsTestBed.phone();
      long row = bed.enqueue(0, phone, "woken by NOTIFY");
      // A NOTIFY on a channel of this test's own, as the ledger's insert trigger sends on
      // sms_outbox.
      try (var c = bed.db.connect();
          var s = c.createStatement()) {
        s.execute("NOTIFY " + channel);
      }
      await("the SMS at the phone", WAIT, () -> !bed.smsc.messagesTo(phone).isEmpty());
      await("row DELIVERED", WAIT, () -> sql(() -> "DELIVERED".equals(bed.status(0, row))));
    }
  }

  @Test
  void theLedgersInsertTriggerWakesTheDispatcherOnItsOwn() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.start(bed.config().withDispatcher(POLL_EVERY_TEN_MINUTES));
      awaitIdle(bed);
      String phone = SmsTestBed.phone();
      // No in-process signal and no manual NOTIFY: only the sms_outbox insert trigger.
      long row = bed.enqueue(0, phone, "woken by the ledger's trigger");
      await("the SMS at the phone", WAIT, () -> !bed.smsc.messagesTo(phone).isEmpty());
      await("row DELIVERED", WAIT, () -> sql(() -> "DELIVERED".equals(bed.status(0, row))));
    }
  }

  /** Polls only every ten minutes, so a row sent within seconds proves a wake-up. */
  private static final SmsConfig.Dispatcher POLL_EVERY_TEN_MINUTES =
      new SmsConfig.Dispatcher(0, 0, 600_000, 0, 50, 100, 300, null, 20, 200, 0);

  /** Waits until the dispatcher has made its start-up claims and sleeps until woken. */
  private static void awaitIdle(SmsTestBed bed) throws InterruptedException {
    await(
        "the outbox listener",
        WAIT,
        () -> bed.registry.get("sms.outbox.listeners.connected").gauge().value() >= 1);
    double claims;
    do {
      claims = bed.registry.counter("sms.outbox.claims").count();
      Thread.sleep(300);
    } while (bed.registry.counter("sms.outbox.claims").count() != claims);
  }
}
