package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.assemblypay.smpp.ConcatenationMode;
import org.assemblypay.smpp.DeliveryState;
import org.assemblypay.smpp.MessageIdFormat;
import org.assemblypay.smpp.ResponseTimeoutPolicy;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.jsmpp.InMemoryOutbox.Status;
import org.assemblypay.smpp.simulator.ReceivedSms;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Outbound over real TCP against the simulator: submits, concatenation, reports, error table. */
class OutboundTcpTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @ParameterizedTest
  @EnumSource(ConcatenationMode.class)
  void long_receipt_arrives_whole_on_the_phone_and_every_part_id_is_stored(ConcatenationMode mode)
      throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).concatenation(mode).build());
      String text =
          "Receipt AMA-2026-000123: GHS 5.00 paid for stall B12 {market toll}. ".repeat(4);
      long id = f.outbox.add("ama", "233244123678", text);

      Await.until("submitted", WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
      List<ReceivedSms> inbox = f.smsc.messagesTo("233244123678");
      assertThat(inbox).hasSize(1);
      assertThat(inbox.get(0).text()).isEqualTo(text);
      assertThat(inbox.get(0).from()).isEqualTo("AMA");
      int expectedIds = mode == ConcatenationMode.PAYLOAD ? 1 : 2;
      assertThat(f.outbox.row(id).partIds).hasSize(expectedIds);
      Await.until("a report per part", WAIT, () -> f.outbox.row(id).reports.size() == expectedIds);
      assertThat(f.outbox.row(id).reports)
          .extracting(r -> r.state())
          .containsOnly(DeliveryState.DELIVERED);
      assertThat(f.outbox.violations).isEmpty();
    }
  }

  @Test
  void unicode_text_goes_as_ucs2_and_sender_id_follows_the_assembly() throws Exception {
    try (var f = new Fixture()) {
      f.start(
          Fixture.connection("mtn", f.smsc.port())
              .senderIdByAssembly(java.util.Map.of("kma", "KMA"))
              .build());
      long id = f.outbox.add("kma", "233201000001", "Wo ka yɛ GH₵ 5.00 — meda wo ase");
      Await.until("submitted", WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
      ReceivedSms sms = f.smsc.messagesTo("233201000001").get(0);
      assertThat(sms.text()).isEqualTo("Wo ka yɛ GH₵ 5.00 — meda wo ase");
      assertThat(sms.from()).isEqualTo("KMA");
    }
  }

  @Test
  void hex_ids_in_responses_match_zero_padded_decimal_ids_in_receipts() throws Exception {
    var smscConfig =
        SimulatorConfig.defaults(Fixture.SYSTEM_ID, Fixture.PASSWORD)
            .withIdFormats(MessageIdFormat.HEX, MessageIdFormat.DECIMAL, 20, false);
    try (var f = new Fixture(smscConfig)) {
      f.start(
          Fixture.connection("mtn", f.smsc.port())
              .messageIdFormats(MessageIdFormat.HEX, MessageIdFormat.DECIMAL)
              .build());
      long id = f.outbox.add("ama", "233244000001", "Receipt AMA-2026-000124");
      Await.until("report matched", WAIT, () -> !f.outbox.row(id).reports.isEmpty());
      assertThat(f.outbox.row(id).reports.get(0).state()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(f.counter("smpp.reports", "result", "matched")).isEqualTo(1.0);
    }
  }

  @Test
  void receipt_tlvs_take_precedence_and_undelivered_is_reported() throws Exception {
    var smscConfig =
        SimulatorConfig.defaults(Fixture.SYSTEM_ID, Fixture.PASSWORD)
            .withIdFormats(MessageIdFormat.HEX, MessageIdFormat.DECIMAL, 0, true);
    try (var f = new Fixture(smscConfig)) {
      // Text ids read as hex would not match; the receipted_message_id TLV (hex, as in the
      // response) must be used.
      f.start(
          Fixture.connection("mtn", f.smsc.port())
              .messageIdFormats(MessageIdFormat.HEX, MessageIdFormat.HEX)
              .build());
      f.smsc.setReportOutcome("UNDELIV", "034");
      long id = f.outbox.add("ama", "233244000002", "Your arrears are GHS 12.00");
      Await.until("report matched", WAIT, () -> !f.outbox.row(id).reports.isEmpty());
      assertThat(f.outbox.row(id).reports.get(0).state()).isEqualTo(DeliveryState.UNDELIVERABLE);
      assertThat(f.outbox.row(id).reports.get(0).errorCode()).isEqualTo("034");
    }
  }

  @Test
  void a_report_arriving_before_its_response_goes_to_the_sink_which_stores_it() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.smsc.setReportBeforeResponse(true);
      long id = f.outbox.add("ama", "233244000003", "Receipt AMA-2026-000125");
      Await.until("report matched", WAIT, () -> !f.outbox.row(id).reports.isEmpty());
      // The sink said "stored, not matched yet"; the connector keeps nothing itself (D210).
      assertThat(f.counter("smpp.reports", "result", "parked")).isEqualTo(1.0);
      assertThat(f.counter("smpp.reports", "result", "matched")).isZero();
      assertThat(f.outbox.parkedCount()).isZero();
      assertThat(f.outbox.row(id).reports.get(0).state()).isEqualTo(DeliveryState.DELIVERED);
    }
  }

  @Test
  void temporary_error_is_retried_and_the_attempts_are_visible() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.smsc.rejectNext(1, 0x08);
      long id = f.outbox.add("ama", "233244000004", "Receipt AMA-2026-000126");
      Await.until("submitted", WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
      assertThat(f.outbox.row(id).attemptsUsed).isEqualTo(2);
      assertThat(f.smsc.negativeResponses()).isEqualTo(1);
    }
  }

  @Test
  void temporary_errors_beyond_the_attempt_limit_fail_the_message() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.smsc.rejectNext(3, 0x08);
      long id = f.outbox.add("ama", "233244000005", "Receipt AMA-2026-000127");
      Await.until("failed", WAIT, () -> f.outbox.row(id).status == Status.FAILED);
      assertThat(f.outbox.row(id).reason).contains("ESME_RSYSERR").contains("3 attempts");
      assertThat(f.smsc.acceptedSubmits()).isZero();
    }
  }

  @Test
  void permanent_error_fails_at_once_with_the_reason() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.smsc.rejectNext(1, 0x0B);
      long id = f.outbox.add("ama", "2330", "Receipt AMA-2026-000128");
      Await.until("failed", WAIT, () -> f.outbox.row(id).status == Status.FAILED);
      assertThat(f.outbox.row(id).reason).contains("ESME_RINVDSTADR");
      assertThat(f.outbox.row(id).attemptsUsed).isEqualTo(1);
    }
  }

  @Test
  void a_text_longer_than_six_parts_fails_without_being_sent() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      long id = f.outbox.add("ama", "233244000006", "x".repeat(153 * 6 + 1));
      Await.until("failed", WAIT, () -> f.outbox.row(id).status == Status.FAILED);
      assertThat(f.outbox.row(id).reason).contains("7 SMS parts");
      assertThat(f.smsc.acceptedSubmits()).isZero();
    }
  }

  @Test
  void response_timeout_with_resend_policy_resends_and_counts_the_attempt() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).responseTimeoutMillis(300).build());
      f.smsc.setResponseDelayMillis(600);
      long id = f.outbox.add("ama", "233244000007", "Receipt AMA-2026-000129");
      Await.until("a resend", WAIT, () -> f.counter("smpp.submit.timeouts") >= 1);
      f.smsc.setResponseDelayMillis(0);
      Await.until("submitted", WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
      assertThat(f.outbox.row(id).attemptsUsed).isGreaterThanOrEqualTo(2);
      // At least once: the phone sees it twice (the first copy's response came too late), which
      // is what RESEND documents.
      Await.until(
          "both copies at the SMSC", WAIT, () -> f.smsc.messagesTo("233244000007").size() >= 2);
    }
  }

  @Test
  void response_timeout_with_await_report_policy_marks_the_outcome_unknown() throws Exception {
    try (var f = new Fixture()) {
      var connection = Fixture.connection("mtn", f.smsc.port()).responseTimeoutMillis(300).build();
      f.start(
          SmppConnectorConfig.of(connection)
              .withDispatcher(
                  Fixture.fastDispatcher().withTimeoutPolicy(ResponseTimeoutPolicy.AWAIT_REPORT)));
      f.smsc.setResponseDelayMillis(600);
      long id = f.outbox.add("ama", "233244000008", "Receipt AMA-2026-000130");
      Await.until("unknown", WAIT, () -> f.outbox.row(id).status == Status.UNKNOWN);
      f.smsc.setResponseDelayMillis(0);
      assertThat(f.outbox.row(id).reason).contains("AWAIT_REPORT");
      assertThat(f.outbox.row(id).attemptsUsed).isEqualTo(1);
      Await.until("late submit seen by the SMSC", WAIT, () -> f.smsc.acceptedSubmits() == 1);
      assertThat(f.smsc.messagesTo("233244000008")).hasSize(1);
    }
  }

  @Test
  void the_rate_limit_makes_the_sender_wait_for_tokens() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).messagesPerSecond(10).build());
      for (int i = 0; i < 15; i++) {
        f.outbox.add("ama", "23324400010" + (i % 10), "toll #" + i);
      }
      Await.until("all submitted", WAIT, () -> f.outbox.count(Status.SUBMITTED) == 15);
      // 10/s with a burst of one token: nearly every submit had to wait for its token.
      assertThat(f.counter("smpp.rate_limit.waits")).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void closing_gives_every_claimed_row_an_outcome() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).windowSize(1).build());
      f.smsc.setResponseDelayMillis(200);
      for (int i = 0; i < 50; i++) {
        f.outbox.add("ama", "2332440002" + String.format("%02d", i), "receipt #" + i);
      }
      Await.until("one in flight", WAIT, () -> f.connector.inFlight() == 1);
      f.connector.close();
      assertThat(f.outbox.count(Status.CLAIMED)).isZero();
      assertThat(f.outbox.count(Status.SUBMITTED)).isGreaterThanOrEqualTo(1);
      assertThat(f.outbox.count(Status.QUEUED)).isGreaterThan(0);
      assertThat(f.outbox.rows())
          .filteredOn(r -> r.status == Status.QUEUED && r.attemptsUsed == 0)
          .allSatisfy(r -> assertThat(r.reason).isIn("connector stopping", ""));
      assertThat(f.outbox.violations).isEmpty();
    }
  }

  @Test
  void a_new_row_is_sent_on_the_wake_up_signal_without_waiting_for_the_poll() throws Exception {
    try (var f = new Fixture()) {
      var connection = Fixture.connection("mtn", f.smsc.port()).build();
      var settings = Fixture.fastDispatcher().withTimings(600_000, 50, 100, 300, 20, 200);
      f.start(SmppConnectorConfig.of(connection).withDispatcher(settings));
      Thread.sleep(200); // let the dispatcher find the outbox empty and go to sleep
      long id = f.outbox.add("ama", "233244000030", "Receipt AMA-2026-000140");
      // The poll interval is ten minutes: only the signal can get it out within the wait.
      Await.until("submitted", WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
    }
  }

  @Test
  void the_dispatcher_survives_the_outbox_failing_to_claim() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.outbox.failClaims = true;
      long id = f.outbox.add("ama", "233244000031", "Receipt AMA-2026-000141");
      Thread.sleep(500);
      assertThat(f.outbox.row(id).status).isEqualTo(Status.QUEUED);
      f.outbox.failClaims = false;
      Await.until("submitted", WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
    }
  }

  @Test
  void a_report_the_store_cannot_take_is_refused_and_redelivered_by_the_smsc() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.outbox.failReports.set(2);
      long id = f.outbox.add("ama", "233244000032", "Receipt AMA-2026-000142");
      Await.until("report applied", WAIT, () -> f.outbox.row(id).reports.size() == 1);
      assertThat(f.smsc.deliverRejections()).isEqualTo(2);
      assertThat(f.outbox.row(id).reports.get(0).state()).isEqualTo(DeliveryState.DELIVERED);
    }
  }
}
