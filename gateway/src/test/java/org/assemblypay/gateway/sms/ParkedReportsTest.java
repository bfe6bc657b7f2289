package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assemblypay.gateway.sms.SmsTestBed.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.assemblypay.ledger.DeliveryState;
import org.assemblypay.ledger.DeliveryUpdate;
import org.assemblypay.ledger.OutboxMessage;
import org.assemblypay.ledger.ParkedDeliveryReports;
import org.assemblypay.ledger.SmscMessageId;
import org.assemblypay.ledger.SubmittedSms;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

/**
 * Delivery reports that match no outbox row when they arrive are parked in the control schema
 * before the SMSC is answered, and applied later (D210–D213): real PostgreSQL, the SMSC simulator
 * over TCP.
 */
class ParkedReportsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A message id nobody else uses, in the connector's normal form (decimal, no leading zeros). */
  private static String uniqueId() {
    return Long.toString(9_000_000_000L + ThreadLocalRandom.current().nextLong(900_000_000_000L));
  }

  private static String receipt(String id) {
    return "id:" + id + " sub:001 dlvrd:001 stat:DELIVRD err:000 text:Paid";
  }

  private static List<ParkedDeliveryReports.Parked> parked(SmsTestBed bed, String id) {
    return bed.ledger
        .parkedDeliveryReports()
        .withMessageIds(List.of(new SmscMessageId(bed.smscIdentity(), id)));
  }

  private static double count(SimpleMeterRegistry registry, String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  private static double recording(SmsTestBed bed) {
    return bed.registry.get("sms.outbox.recording").gauge().value();
  }

  private static double matchedLate(SimpleMeterRegistry registry) {
    return registry.find("sms.reports.matched_late").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  /** The bed's settings with the periodic sweep of parked reports off (an hour apart). */
  private static SmsConfig noSweep(SmsTestBed bed) {
    return bed.config().withRecovery(new SmsConfig.Recovery(0, 0, 0, 0, 0, 3_600_000, 0));
  }

  /** Claims the row and records its submission with {@code messageId}, as another node would. */
  private static void submitElsewhere(SmsTestBed bed, int assembly, long row, String messageId) {
    var ledger = bed.ledgerOf(assembly);
    List<OutboxMessage> claimed = ledger.claimOutbox(1000, Instant.now().plusSeconds(1));
    assertThat(claimed).extracting(OutboxMessage::id).contains(row);
    assertThat(
            ledger.markSubmittedBatch(
                List.of(
                    new SubmittedSms(
                        row, List.of(new SmscMessageId(bed.smscIdentity(), messageId)), 1))))
        .containsExactly(row);
  }

  @Test
  void reportsThatOvertakeTheirSubmissionAreParkedThenAppliedWhenItCommits() throws Exception {
    var simulator =
        SimulatorConfig.defaults(SmsTestBed.SYSTEM_ID, SmsTestBed.PASSWORD)
            .withCapacity(32, 2_000, 100);
    try (var bed = new SmsTestBed(1, simulator)) {
      // Every receipt is sent, and answered, before its submit_sm_resp.
      bed.smsc.setReportBeforeResponse(true);
      bed.start(noSweep(bed));
      List<Long> rows = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        rows.add(bed.enqueue(0, SmsTestBed.phone(), "receipt " + i));
      }
      await(
          "all rows DELIVERED",
          WAIT,
          () -> sql(() -> bed.rowsIn(0, "DELIVERED") == 10),
          bed::statuses);
      assertThat(count(bed.registry, "sms.reports.parked_total")).isEqualTo(10);
      // Applied right after each submission committed (the periodic sweep is off here).
      await("the parked rows deleted", WAIT, () -> matchedLate(bed.registry) == 10);
      assertThat(count(bed.registry, "sms.reports.matched_late", "by", "sweep")).isZero();
      for (long row : rows) {
        for (String id : bed.messageIds(0, row).split(",")) {
          assertThat(parked(bed, id)).isEmpty();
        }
      }
      assertThat(bed.sms.parkedHere()).isEmpty();
    }
  }

  @Test
  void aReportThatOvertakesItsSubmissionsCommitWaitsForItInsteadOfBeingParked() throws Exception {
    // Receipts 300 ms after each submit_sm_resp: after the connector has read the response (a
    // receipt that beats the response itself is parked, as the first test shows), long before the
    // submission commits here.
    var simulator =
        SimulatorConfig.defaults(SmsTestBed.SYSTEM_ID, SmsTestBed.PASSWORD).withDelays(300, 200);
    try (var bed = new SmsTestBed(1, simulator)) {
      bed.start(noSweep(bed));
      String schema = bed.ledgerOf(0).assembly().schemaName();
      List<Long> rows = new ArrayList<>();
      try (Connection hold = bed.db.connect()) {
        // The submissions' statement writes sms_message_ids: holding the table makes every
        // submission's commit wait, while its submit_sm_resp and then its receipt (10 ms later)
        // arrive. Reads of the table (the report batch) are not blocked.
        hold.setAutoCommit(false);
        try (Statement s = hold.createStatement()) {
          s.execute("lock table " + schema + ".sms_message_ids in exclusive mode");
        }
        for (int i = 0; i < 5; i++) {
          rows.add(bed.enqueue(0, SmsTestBed.phone(), "receipt " + i));
        }
        await(
            "five receipts waiting for their submissions",
            WAIT,
            () ->
                recording(bed) == 5
                    && bed.registry.get("sms.reports.waiting_for_submission").gauge().value() == 5,
            () ->
                "recording "
                    + recording(bed)
                    + ", waiting "
                    + bed.registry.get("sms.reports.waiting_for_submission").gauge().value()
                    + ", accepted "
                    + bed.smsc.acceptedSubmits()
                    + ", parked "
                    + count(bed.registry, "sms.reports.parked_total"));
        hold.commit();
      }
      await(
          "all rows DELIVERED",
          WAIT,
          () -> sql(() -> bed.rowsIn(0, "DELIVERED") == 5),
          bed::statuses);
      assertThat(count(bed.registry, "sms.reports.waited_for_submission")).isEqualTo(5);
      assertThat(count(bed.registry, "sms.reports.parked_total")).isZero();
      assertThat(recording(bed)).isZero();
    }
  }

  @Test
  void aReportWhoseSubmissionCommitsLaterThanTheWaitIsParkedThenApplied() throws Exception {
    var simulator =
        SimulatorConfig.defaults(SmsTestBed.SYSTEM_ID, SmsTestBed.PASSWORD).withDelays(300, 200);
    try (var bed = new SmsTestBed(1, simulator)) {
      bed.start(noSweep(bed));
      String schema = bed.ledgerOf(0).assembly().schemaName();
      try (Connection hold = bed.db.connect()) {
        hold.setAutoCommit(false);
        try (Statement s = hold.createStatement()) {
          s.execute("lock table " + schema + ".sms_message_ids in exclusive mode");
        }
        for (int i = 0; i < 3; i++) {
          bed.enqueue(0, SmsTestBed.phone(), "receipt " + i);
        }
        // Each receipt waits LedgerDeliveryReports.RECORDING_WAIT, then is parked.
        await(
            "three receipts waiting for their submissions",
            WAIT,
            () -> bed.registry.get("sms.reports.waiting_for_submission").gauge().value() == 3);
        await(
            "three receipts parked after waiting",
            WAIT,
            () -> count(bed.registry, "sms.reports.parked_total") == 3);
        assertThat(count(bed.registry, "sms.reports.waited_for_submission")).isZero();
        hold.commit();
      }
      await(
          "all rows DELIVERED",
          WAIT,
          () -> sql(() -> bed.rowsIn(0, "DELIVERED") == 3),
          bed::statuses);
      await("the parked rows applied", WAIT, () -> matchedLate(bed.registry) == 3);
    }
  }

  @Test
  void aReportParkedBeforeARestartIsAppliedByTheNextSweep() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.start(bed.config());
      String id = uniqueId();
      String phone = SmsTestBed.phone();
      bed.smsc.injectReceipt(phone, "AMA", receipt(id));
      await("the report parked", WAIT, () -> !parked(bed, id).isEmpty());
      await("the SMSC's ack", WAIT, () -> bed.smsc.deliveredToEsme() >= 1);
      // The node stops (its memory of what it parked is gone) before the submission is recorded.
      bed.sms.close();
      bed.sms = null;
      long row = bed.enqueue(0, phone, "Paid GHS 5.00");
      submitElsewhere(bed, 0, row, id);
      assertThat(bed.status(0, row)).isEqualTo("SUBMITTED");

      var after = new SimpleMeterRegistry();
      bed.sms =
          SmsWiring.start(
              bed.config(), bed.database(), bed.ledger, bed.handler, after, Clock.systemUTC());
      await(
          "the row DELIVERED by the sweep",
          WAIT,
          () -> sql(() -> "DELIVERED".equals(bed.status(0, row))),
          bed::statuses);
      await("the parked row deleted", WAIT, () -> parked(bed, id).isEmpty());
      assertThat(count(after, "sms.reports.matched_late", "by", "sweep")).isEqualTo(1);
    }
  }

  @Test
  void aReportOnOneNodeForAMessageSubmittedByAnotherIsAppliedByTheOthersSweep() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      // Node B sends assembly 0's SMS; node A serves only assembly 1, whose outbox stays empty.
      // Both bind to the SMSC with one account, which hands out receipts to them in turn.
      bed.start(bed.config().withServedAssemblies(List.of(bed.assembly(0))));
      var registryA = new SimpleMeterRegistry();
      try (var nodeA =
          SmsWiring.start(
              bed.config().withServedAssemblies(List.of(bed.assembly(1))),
              bed.database(),
              bed.ledger,
              bed.handler,
              registryA,
              Clock.systemUTC())) {
        assertThat(nodeA.connector().awaitBound(Duration.ofSeconds(10))).isTrue();
        List<Long> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          rows.add(bed.enqueue(0, SmsTestBed.phone(), "receipt " + i));
        }
        await(
            "all rows DELIVERED",
            WAIT,
            () -> sql(() -> bed.rowsIn(0, "DELIVERED") == 8),
            bed::statuses);
        // A could not place the reports it received: it parked them; B's sweep applied them.
        assertThat(count(registryA, "sms.reports.parked_total")).isGreaterThan(0);
        await(
            "B's sweep to count them",
            WAIT,
            () -> count(bed.registry, "sms.reports.matched_late", "by", "sweep") > 0);
        for (long row : rows) {
          String id = bed.messageIds(0, row);
          await("no report left parked", WAIT, () -> parked(bed, id).isEmpty());
        }
      }
    }
  }

  @Test
  void whenParkingFailsTheSmscGetsAnErrorAndDeliversTheReportAgain() throws Exception {
    var simulator =
        SimulatorConfig.defaults(SmsTestBed.SYSTEM_ID, SmsTestBed.PASSWORD)
            .withCapacity(32, 2_000, 100)
            .withDelays(10, 300);
    String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    String connectionName = "refused" + suffix;
    try (var bed = new SmsTestBed(1, simulator)) {
      execute(
          bed,
          "create function control.refuse_park_"
              + suffix
              + "() returns trigger language plpgsql as $$ begin if new.connection_name = '"
              + connectionName
              + "' then raise exception 'parking refused by the test'; end if; return new; end"
              + " $$",
          "create trigger refuse_park_"
              + suffix
              + " before insert on control.parked_delivery_reports for each row execute function"
              + " control.refuse_park_"
              + suffix
              + "()");
      try {
        var refused = bed.connection(connectionName);
        bed.smsc.setReportBeforeResponse(true);
        bed.start(bed.config().withConnections(List.of(refused)));
        long row = bed.enqueue(0, SmsTestBed.phone(), "Paid GHS 5.00");
        await(
            "the row DELIVERED",
            WAIT,
            () -> sql(() -> "DELIVERED".equals(bed.status(0, row))),
            bed::statuses);
        // The copy that could not be parked was answered with an error (else it would be lost:
        // this connection cannot park); a copy delivered again after the submission matched.
        assertThat(count(bed.registry, "sms.reports.park_failed")).isGreaterThanOrEqualTo(1);
        assertThat(count(bed.registry, "sms.reports.parked_total")).isZero();
        assertThat(count(bed.registry, "sms.reports.applied", "lookup", "index")).isEqualTo(1);
        await("the SMSC's ack", WAIT, () -> bed.smsc.deliveredToEsme() >= 1);
        assertThat(bed.smsc.deliveredToEsme()).isEqualTo(1);
        assertThat(parked(bed, bed.messageIds(0, row))).isEmpty();
      } finally {
        execute(
            bed,
            "drop trigger refuse_park_" + suffix + " on control.parked_delivery_reports",
            "drop function control.refuse_park_" + suffix + "()");
      }
    }
  }

  @Test
  void aReportParkedTwiceAndSweptTwiceIsAppliedAndCountedOnce() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.start(noSweep(bed));
      String id = uniqueId();
      String phone = SmsTestBed.phone();
      // The SMSC delivers the same receipt twice (as after a lost deliver_sm_resp): parked once.
      bed.smsc.injectReceipt(phone, "AMA", receipt(id));
      bed.smsc.injectReceipt(phone, "AMA", receipt(id));
      await("both acknowledged", WAIT, () -> bed.smsc.deliveredToEsme() >= 2);
      assertThat(parked(bed, id)).hasSize(1);
      assertThat(count(bed.registry, "sms.reports.parked_total")).isEqualTo(1);
      // Stopped while the row is queued and submitted elsewhere; a node that sweeps only when told.
      bed.sms.close();
      bed.sms = null;
      long row = bed.enqueue(0, phone, "Paid GHS 5.00");
      submitElsewhere(bed, 0, row, id);
      var after = new SimpleMeterRegistry();
      bed.sms =
          SmsWiring.start(
              noSweep(bed), bed.database(), bed.ledger, bed.handler, after, Clock.systemUTC());
      var report = parked(bed, id).get(0);
      // Applying a report twice (a replay and a sweep racing) changes nothing the second time.
      var reports =
          List.of(new DeliveryUpdate(bed.smscIdentity(), id, DeliveryState.DELIVERED, null));
      assertThat(bed.ledgerOf(0).recordDeliveryReports(reports))
          .containsExactly(new SmscMessageId(bed.smscIdentity(), id));
      String deliveredAt = deliveredAt(bed, row);
      assertThat(bed.ledgerOf(0).recordDeliveryReports(reports))
          .containsExactly(new SmscMessageId(bed.smscIdentity(), id));
      assertThat(deliveredAt(bed, row)).isEqualTo(deliveredAt);
      // Swept until applied, then once more: it is applied and counted once.
      await(
          "the sweep applied it",
          WAIT,
          () -> {
            bed.sms.sweepParkedReports();
            return parked(bed, id).isEmpty();
          });
      bed.sms.sweepParkedReports();
      assertThat(matchedLate(after)).isEqualTo(1);
      assertThat(bed.ledger.parkedDeliveryReports().delete(List.of(report.id()))).isEmpty();
      assertThat(bed.status(0, row)).isEqualTo("DELIVERED");
      assertThat(deliveredAt(bed, row)).isEqualTo(deliveredAt);
    }
  }

  @Test
  void aReportThatNeverMatchesIsGivenUpAfterTheMaximumAge() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      bed.start(noSweep(bed));
      String id = uniqueId();
      var table = bed.ledger.parkedDeliveryReports();
      Instant received = Instant.now().minus(Duration.ofHours(73));
      long rowId =
          table.park(
              new DeliveryUpdate(bed.smscIdentity(), id, DeliveryState.DELIVERED, null),
              "DELIVRD",
              "sim",
              received,
              Instant.now().minusSeconds(1));
      assertThat(rowId).isPositive();
      double before = count(bed.registry, "sms.reports.parked_expired");
      await(
          "the report given up",
          WAIT,
          () -> {
            bed.sms.sweepParkedReports();
            return parked(bed, id).isEmpty();
          });
      assertThat(count(bed.registry, "sms.reports.parked_expired") - before).isEqualTo(1);
      assertThat(count(bed.registry, "sms.reports.matched_late", "by", "sweep")).isZero();
      // A young one that matches nothing stays parked, due again within seconds.
      String young = uniqueId();
      table.park(
          new DeliveryUpdate(bed.smscIdentity(), young, DeliveryState.DELIVERED, null),
          "DELIVRD",
          "sim",
          Instant.now().minusSeconds(30),
          Instant.now().minusSeconds(1));
      bed.sms.sweepParkedReports();
      assertThat(parked(bed, young)).hasSize(1);
      assertThat(parked(bed, young).get(0).attempts()).isEqualTo(1);
      table.delete(parked(bed, young).stream().map(ParkedDeliveryReports.Parked::id).toList());
    }
  }

  private static String deliveredAt(SmsTestBed bed, long row) throws SQLException {
    String schema = bed.ledgerOf(0).assembly().schemaName();
    try (Connection c = bed.db.connect();
        var s =
            c.prepareStatement(
                "select delivered_at::text || '/' || updated_at::text from "
                    + schema
                    + ".sms_outbox where id = ?")) {
      s.setLong(1, row);
      try (var r = s.executeQuery()) {
        r.next();
        return r.getString(1);
      }
    }
  }

  private static void execute(SmsTestBed bed, String... statements) throws SQLException {
    try (Connection c = bed.db.connect();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
