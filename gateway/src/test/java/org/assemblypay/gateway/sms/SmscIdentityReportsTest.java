package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.assemblypay.ledger.OutboxMessage;
import org.assemblypay.ledger.SmscMessageId;
import org.assemblypay.ledger.SubmittedSms;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DeliveryState;
import org.junit.jupiter.api.Test;

/**
 * Two SMSCs hand out the same message id: a delivery report settles only the message its own SMSC
 * took, in whichever assembly that is, found by the index, by the search, or after being parked
 * (D230).
 */
class SmscIdentityReportsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String MTN = "mtn-gh";
  private static final String TELECEL = "telecel-gh";

  /** An id both SMSCs could give (decimal counters), unique to this test run. */
  private static String collidingId() {
    return Long.toString(7_000_000_000L + ThreadLocalRandom.current().nextLong(900_000_000_000L));
  }

  private static DeliveryReport report(String smsc, String id, DeliveryState state, String stat) {
    return new DeliveryReport(id, state, stat, "", smsc + "-rx", smsc, Instant.now());
  }

  /** Claims the row and records its submission of one part, as the node that sent it would. */
  private static void submit(SmsTestBed bed, int assembly, long row, String smsc, String id) {
    var ledger = bed.ledgerOf(assembly);
    List<OutboxMessage> claimed = ledger.claimOutbox(1000, Instant.now().plusSeconds(1));
    assertThat(claimed).extracting(OutboxMessage::id).contains(row);
    assertThat(
            ledger.markSubmittedBatch(
                List.of(new SubmittedSms(row, List.of(new SmscMessageId(smsc, id)), 1))))
        .containsExactly(row);
  }

  private static LedgerDeliveryReports reports(SmsTestBed bed, MessageIdIndex index) {
    return new LedgerDeliveryReports(
        bed.ledger,
        new ServedAssemblies(bed.ledger, bed.assemblies, 30_000),
        index,
        SmsConfig.Recovery.defaults(),
        Clock.systemUTC(),
        new SimpleMeterRegistry());
  }

  private static void deleteParked(SmsTestBed bed, String id) {
    var table = bed.ledger.parkedDeliveryReports();
    for (String smsc : List.of(MTN, TELECEL, "airteltigo-gh")) {
      table.delete(
          table.withMessageIds(List.of(new SmscMessageId(smsc, id))).stream()
              .map(org.assemblypay.ledger.ParkedDeliveryReports.Parked::id)
              .toList());
    }
  }

  @Test
  void aReportSettlesOnlyItsOwnSmscsMessageAcrossAssemblies() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      String id = collidingId();
      long viaMtn = bed.enqueue(0, SmsTestBed.phone(), "Receipt via MTN");
      long viaTelecel = bed.enqueue(1, SmsTestBed.phone(), "Receipt via Telecel");
      submit(bed, 0, viaMtn, MTN, id);
      submit(bed, 1, viaTelecel, TELECEL, id);
      // This node sent the MTN one: its index names assembly 0 for (MTN, id) only.
      var index = new MessageIdIndex(1_000);
      index.put(List.of(new SmscMessageId(MTN, id)), bed.assembly(0));
      var reports = reports(bed, index);
      try {
        // Telecel's report is not sent to assembly 0 by the index: it is searched for and found
        // in assembly 1. With the index keyed by id alone it went to assembly 0 and was parked.
        assertThat(reports.onReport(report(TELECEL, id, DeliveryState.UNDELIVERABLE, "UNDELIV")))
            .isTrue();
        assertThat(bed.status(1, viaTelecel)).isEqualTo("UNDELIVERABLE");
        assertThat(bed.status(0, viaMtn)).isEqualTo("SUBMITTED");
        assertThat(index.assemblyOf(new SmscMessageId(MTN, id))).contains(bed.assembly(0));

        assertThat(reports.onReport(report(MTN, id, DeliveryState.DELIVERED, "DELIVRD"))).isTrue();
        assertThat(bed.status(0, viaMtn)).isEqualTo("DELIVERED");
        assertThat(bed.status(1, viaTelecel)).isEqualTo("UNDELIVERABLE");
        assertThat(index.assemblyOf(new SmscMessageId(MTN, id))).isEmpty();

        // A third SMSC's report for the same id matches neither: it is parked, nothing changes.
        assertThat(reports.onReport(report("airteltigo-gh", id, DeliveryState.EXPIRED, "EXPIRED")))
            .isFalse();
        assertThat(bed.status(0, viaMtn)).isEqualTo("DELIVERED");
        assertThat(bed.status(1, viaTelecel)).isEqualTo("UNDELIVERABLE");
        assertThat(
                bed.ledger
                    .parkedDeliveryReports()
                    .withMessageIds(List.of(new SmscMessageId("airteltigo-gh", id))))
            .hasSize(1);
      } finally {
        reports.close();
        deleteParked(bed, id);
      }
    }
  }

  @Test
  void aParkedReportWaitsForItsOwnSmscsSubmissionNotAnotherWithTheSameId() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      String id = collidingId();
      var reports = reports(bed, new MessageIdIndex(1_000));
      try {
        // MTN's report overtakes its submission: parked, remembered as (MTN, id).
        assertThat(reports.onReport(report(MTN, id, DeliveryState.DELIVERED, "DELIVRD"))).isFalse();
        assertThat(reports.parked().parkedHere()).containsExactly(new SmscMessageId(MTN, id));

        // Telecel's submission with the same id commits first (in the other assembly): the
        // replay and the sweep leave both the report and the row alone.
        long viaTelecel = bed.enqueue(1, SmsTestBed.phone(), "Receipt via Telecel");
        submit(bed, 1, viaTelecel, TELECEL, id);
        reports.parked().submitted(List.of(new SmscMessageId(TELECEL, id)));
        assertThat(reports.parked().parkedHere()).containsExactly(new SmscMessageId(MTN, id));
        Thread.sleep(ParkedReports.FIRST_TRY_AFTER.toMillis() + 200); // due for the sweep
        reports.parked().sweep();
        var table = bed.ledger.parkedDeliveryReports();
        assertThat(table.withMessageIds(List.of(new SmscMessageId(MTN, id))))
            .singleElement()
            .satisfies(p -> assertThat(p.attempts()).as("tried by the sweep").isEqualTo(1));
        assertThat(bed.status(1, viaTelecel)).isEqualTo("SUBMITTED");

        // MTN's own submission commits: its replay applies the report there, and only there.
        long viaMtn = bed.enqueue(0, SmsTestBed.phone(), "Receipt via MTN");
        submit(bed, 0, viaMtn, MTN, id);
        reports.parked().submitted(List.of(new SmscMessageId(MTN, id)));
        await(
            "MTN's row DELIVERED by the replay",
            WAIT,
            () -> SmsTestBed.sql(() -> "DELIVERED".equals(bed.status(0, viaMtn))));
        await(
            "the parked report deleted",
            WAIT,
            () -> table.withMessageIds(List.of(new SmscMessageId(MTN, id))).isEmpty());
        assertThat(bed.status(1, viaTelecel)).isEqualTo("SUBMITTED");
      } finally {
        reports.close();
        deleteParked(bed, id);
      }
    }
  }
}
