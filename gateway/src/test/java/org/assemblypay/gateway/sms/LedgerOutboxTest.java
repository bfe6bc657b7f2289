package org.assemblypay.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assemblypay.ledger.InvalidInputException;
import org.assemblypay.smpp.OutboundMessage;
import org.assemblypay.smpp.Submission;
import org.junit.jupiter.api.Test;

/** The outbox adapter against real assembly outboxes, without an SMSC. */
class LedgerOutboxTest {

  private static LedgerOutbox outbox(SmsTestBed bed, int perAssemblyMax) {
    return outbox(bed, perAssemblyMax, 0);
  }

  private static LedgerOutbox outbox(SmsTestBed bed, int perAssemblyMax, long emptySkipMillis) {
    return new LedgerOutbox(
        bed.ledger,
        new ServedAssemblies(bed.ledger, bed.assemblies, 30_000),
        new MessageIdIndex(1_000),
        perAssemblyMax,
        emptySkipMillis,
        Clock.systemUTC(),
        new SimpleMeterRegistry(),
        ids -> {});
  }

  @Test
  void aQuietAssemblyIsNotQueriedAgainUntilRowsAreSaidToBeAdded() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      LedgerOutbox outbox = outbox(bed, 10, Duration.ofHours(1).toMillis());
      bed.enqueue(0, SmsTestBed.phone(), "busy");
      assertThat(outbox.claimDue(10)).extracting(OutboundMessage::text).containsExactly("busy");

      bed.enqueue(1, SmsTestBed.phone(), "quiet no more");
      bed.enqueue(0, SmsTestBed.phone(), "busy again");
      assertThat(outbox.claimDue(10))
          .extracting(OutboundMessage::text)
          .containsExactly("busy again");

      outbox.rowsAdded();
      assertThat(outbox.claimDue(10))
          .extracting(OutboundMessage::text)
          .containsExactly("quiet no more");
    }
  }

  @Test
  void oneAssemblysBacklogDoesNotStarveTheOthers() throws Exception {
    try (var bed = new SmsTestBed(3)) {
      for (int i = 0; i < 60; i++) {
        bed.enqueue(0, SmsTestBed.phone(), "backlog " + i);
      }
      bed.enqueue(1, SmsTestBed.phone(), "one");
      bed.enqueue(2, SmsTestBed.phone(), "two");
      LedgerOutbox outbox = outbox(bed, 100);

      List<OutboundMessage> first = outbox.claimDue(12);

      assertThat(first).hasSize(12);
      assertThat(first)
          .extracting(OutboundMessage::assemblyId)
          .contains(bed.assembly(1), bed.assembly(2));
      assertThat(first.stream().filter(m -> m.assemblyId().equals(bed.assembly(0))).count())
          .isEqualTo(10);
      assertThat(outbox.claimDue(100)).hasSize(50);
      assertThat(outbox.claimDue(100)).isEmpty();
    }
  }

  @Test
  void twoNodesClaimingAtOnceNeverTakeTheSameRow() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      for (int i = 0; i < 200; i++) {
        bed.enqueue(i % 2, SmsTestBed.phone(), "row " + i);
      }
      LedgerOutbox nodeA = outbox(bed, 20);
      LedgerOutbox nodeB = outbox(bed, 20);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<String>>> claims = new ArrayList<>();
        for (LedgerOutbox node : List.of(nodeA, nodeB)) {
          Callable<List<String>> drain =
              () -> {
                List<String> texts = new ArrayList<>();
                List<OutboundMessage> batch;
                while (!(batch = node.claimDue(15)).isEmpty()) {
                  batch.forEach(m -> texts.add(m.text()));
                }
                return texts;
              };
          claims.add(pool.submit(drain));
        }
        List<String> all = new ArrayList<>(claims.get(0).get());
        all.addAll(claims.get(1).get());
        assertThat(all).hasSize(200);
        assertThat(new HashSet<>(all)).hasSize(200);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void outcomesAreWrittenToTheRightAssemblysRow() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      long submitted = bed.enqueue(0, SmsTestBed.phone(), "submitted");
      long failed = bed.enqueue(1, SmsTestBed.phone(), "failed");
      LedgerOutbox outbox = outbox(bed, 10);
      List<OutboundMessage> claimed = outbox.claimDue(10);
      assertThat(claimed).hasSize(2);
      for (OutboundMessage m : claimed) {
        if (m.text().equals("submitted")) {
          outbox.markSubmitted(m.id(), new Submission("sim", "sim", List.of("77", "78"), 1));
        } else {
          outbox.failPermanently(m.id(), "SMSC refused: ESME_RINVDSTADR (0xb)", 1);
        }
      }
      assertThat(bed.status(0, submitted)).isEqualTo("SUBMITTED");
      assertThat(bed.messageIds(0, submitted)).isEqualTo("77,78");
      assertThat(bed.status(1, failed)).isEqualTo("FAILED");
      assertThat(bed.lastError(1, failed)).startsWith("SMSC refused: ESME_RINVDSTADR (0xb)");
      assertThat(outbox.held()).isZero();
    }
  }

  @Test
  void anUnknownOutcomeIsVisibleAndNeverSentAgainBlindly() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      long noIds = bed.enqueue(0, SmsTestBed.phone(), "no ids");
      long someIds = bed.enqueue(0, SmsTestBed.phone(), "some ids");
      LedgerOutbox outbox = outbox(bed, 10);
      for (OutboundMessage m : outbox.claimDue(10)) {
        List<String> ids = m.text().equals("no ids") ? List.of() : List.of("501");
        outbox.markOutcomeUnknown(
            m.id(), new Submission("sim", "sim", ids, 3), "no submit_sm_resp");
      }
      // Neither failed nor sent: UNKNOWN, with the attempts and any part ids the SMSC gave.
      assertThat(bed.status(0, noIds)).isEqualTo("UNKNOWN");
      assertThat(bed.lastError(0, noIds)).startsWith("OUTCOME_UNKNOWN: no submit_sm_resp");
      assertThat(bed.status(0, someIds)).isEqualTo("UNKNOWN");
      assertThat(bed.messageIds(0, someIds)).isEqualTo("501");
      assertThat(bed.ledgerOf(0).smsOutboxRow(noIds).orElseThrow().submitAttempts()).isEqualTo(3);
      assertThat(outbox.claimDue(10)).isEmpty();
      assertThat(outbox.held()).isZero();
    }
  }

  @Test
  void aRetryMakesTheRowDueOnlyAfterItsDelay() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      long later = bed.enqueue(0, SmsTestBed.phone(), "later");
      long soon = bed.enqueue(0, SmsTestBed.phone(), "soon");
      LedgerOutbox outbox = outbox(bed, 10);
      for (OutboundMessage m : outbox.claimDue(10)) {
        Duration delay = m.text().equals("later") ? Duration.ofHours(1) : Duration.ZERO;
        outbox.scheduleRetry(m.id(), delay, "no SMSC connection is up", 0);
      }
      Set<String> again = new HashSet<>();
      outbox.claimDue(10).forEach(m -> again.add(m.text()));
      assertThat(again).containsExactly("soon");
      assertThat(bed.status(0, later)).isEqualTo("QUEUED");
      assertThat(bed.lastError(0, later)).isEqualTo("no SMSC connection is up");
      assertThat(bed.status(0, soon)).isEqualTo("QUEUED");
    }
  }

  @Test
  void concurrentOutcomesAreWrittenTogetherAndABadOneFailsAlone() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      List<Long> rows = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        rows.add(bed.enqueue(i % 2, SmsTestBed.phone(), "m" + i));
      }
      LedgerOutbox outbox = outbox(bed, 100);
      List<OutboundMessage> claimed = outbox.claimDue(100);
      assertThat(claimed).hasSize(40);
      var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<?>> calls = new java.util.ArrayList<>();
        for (OutboundMessage m : claimed) {
          String id = m.text().equals("m7") ? "x".repeat(101) : "id-" + m.text();
          calls.add(
              pool.submit(
                  () ->
                      outbox.markSubmitted(m.id(), new Submission("sim", "sim", List.of(id), 1))));
        }
        int failed = 0;
        for (var call : calls) {
          try {
            call.get(60, java.util.concurrent.TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(InvalidInputException.class);
            failed++;
          }
        }
        assertThat(failed).isEqualTo(1);
      } finally {
        pool.shutdownNow();
        outbox.close();
      }
      for (int i = 0; i < 40; i++) {
        String expected = i == 7 ? "QUEUED" : "SUBMITTED";
        assertThat(bed.status(i % 2, rows.get(i))).as("row m" + i).isEqualTo(expected);
      }
      var reports =
          new LedgerDeliveryReports(
              bed.ledger,
              new ServedAssemblies(bed.ledger, bed.assemblies, 30_000),
              new MessageIdIndex(1_000),
              SmsConfig.Recovery.defaults(),
              Clock.systemUTC(),
              new SimpleMeterRegistry());
      var parked = bed.ledger.parkedDeliveryReports();
      try {
        assertThat(reports.onReport(report("id-m3"))).isTrue();
        // m7 was never submitted: its report is parked (D210), not lost.
        assertThat(reports.onReport(report("id-m7"))).isFalse();
        assertThat(
                parked.withMessageIds(
                    List.of(new org.assemblypay.ledger.SmscMessageId("sim", "id-m7"))))
            .isNotEmpty();
      } finally {
        reports.close();
        parked.delete(
            parked
                .withMessageIds(List.of(new org.assemblypay.ledger.SmscMessageId("sim", "id-m7")))
                .stream()
                .map(org.assemblypay.ledger.ParkedDeliveryReports.Parked::id)
                .toList());
      }
      assertThat(bed.status(1, rows.get(3))).isEqualTo("DELIVERED");
    }
  }

  private static org.assemblypay.smpp.DeliveryReport report(String messageId) {
    return new org.assemblypay.smpp.DeliveryReport(
        messageId,
        org.assemblypay.smpp.DeliveryState.DELIVERED,
        "DELIVRD",
        "",
        "sim",
        "sim",
        java.time.Instant.now());
  }
}
