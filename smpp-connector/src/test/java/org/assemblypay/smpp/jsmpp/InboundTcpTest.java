package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.assemblypay.smpp.BindMode;
import org.assemblypay.smpp.ConcatenationMode;
import org.assemblypay.smpp.InboundMessage;
import org.assemblypay.smpp.InboundSettings;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.jsmpp.InMemoryOutbox.Status;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.jsmpp.bean.OptionalParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Inbound over real TCP: collectors' SMS, duplicates, concatenation, sink failures, receipts. */
class InboundTcpTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void a_collectors_sms_is_stored_with_sender_and_recipient() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.smsc.injectMo("233244123678", "1411", "PAY 10023 5.00 1234");
      Await.until("stored", WAIT, () -> f.inbound.stored.size() == 1);
      InboundMessage message = f.inbound.stored.get(0);
      assertThat(message.source()).isEqualTo("233244123678");
      assertThat(message.destination()).isEqualTo("1411");
      assertThat(message.text()).isEqualTo("PAY 10023 5.00 1234");
      assertThat(message.connectionName()).isEqualTo("mtn");
      assertThat(message.smscMessageId()).isEmpty();
      assertThat(message.toString()).doesNotContain("233244123678");
    }
  }

  @Test
  void a_redelivered_message_with_the_same_smsc_id_is_stored_once() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.smsc.injectMo("233244123678", "1411", "TOTAL", Optional.of("abc123"));
      f.smsc.injectMo("233244123678", "1411", "TOTAL", Optional.of("abc123"));
      f.smsc.injectMo("233244123678", "1411", "TOTAL", Optional.of("abc124"));
      Await.until("all three delivered", WAIT, () -> f.smsc.deliveredToEsme() == 3);
      assertThat(f.inbound.stored)
          .extracting(m -> m.smscMessageId().orElseThrow())
          .containsExactlyInAnyOrder("abc123", "abc124");
      assertThat(f.counter("smpp.inbound", "result", "duplicate")).isEqualTo(1.0);
    }
  }

  @Test
  void the_same_text_from_the_same_sender_within_the_window_is_a_duplicate() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.smsc.injectMo("233244123678", "1411", "CHECK 10023");
      f.smsc.injectMo("233244123678", "1411", "CHECK 10023");
      f.smsc.injectMo("233244999999", "1411", "CHECK 10023");
      Await.until("all three delivered", WAIT, () -> f.smsc.deliveredToEsme() == 3);
      assertThat(f.inbound.stored)
          .extracting(InboundMessage::source)
          .containsExactlyInAnyOrder("233244123678", "233244999999");
    }
  }

  @Test
  void the_same_text_after_the_duplicate_window_is_a_new_message() throws Exception {
    try (var f = new Fixture()) {
      var connection = Fixture.connection("mtn", f.smsc.port()).build();
      f.start(
          SmppConnectorConfig.of(connection)
              .withDispatcher(Fixture.fastDispatcher())
              .withInbound(new InboundSettings(200, 1_000, 60_000, 100)));
      f.smsc.injectMo("233244123678", "1411", "TOTAL");
      Await.until("first stored", WAIT, () -> f.inbound.stored.size() == 1);
      Thread.sleep(400);
      f.smsc.injectMo("233244123678", "1411", "TOTAL");
      Await.until("second stored", WAIT, () -> f.inbound.stored.size() == 2);
      assertThat(f.counter("smpp.inbound", "result", "duplicate")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(ConcatenationMode.class)
  void a_concatenated_message_is_reassembled_before_it_is_stored(ConcatenationMode mode)
      throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      String text = "VERIFY AMA-2026-000123 ".repeat(12) + "[end] €";
      f.smsc.injectMo("233244123678", "1411", text, Optional.empty(), mode);
      Await.until("stored", WAIT, () -> f.inbound.stored.size() == 1);
      assertThat(f.inbound.stored.get(0).text()).isEqualTo(text);
      int deliverSms = mode == ConcatenationMode.PAYLOAD ? 1 : 2;
      assertThat(f.inbound.stored.get(0).partCount()).isEqualTo(deliverSms);
      assertThat(f.counter("smpp.inbound", "result", "part_buffered")).isEqualTo(deliverSms - 1.0);
    }
  }

  @Test
  void a_window_of_deliver_sm_is_processed_at_once_while_the_store_commits() throws Exception {
    try (var f =
        new Fixture(
            SimulatorConfig.defaults(Fixture.SYSTEM_ID, Fixture.PASSWORD).withDeliverWindow(16))) {
      f.start(Fixture.connection("mtn", f.smsc.port()).receiver(16, 1_000).build());
      var gate = new CountDownLatch(1);
      f.inbound.gate = gate;
      for (int i = 0; i < 12; i++) {
        f.smsc.injectMo("23324412" + (1000 + i), "1411", "PAY 100" + i);
      }
      // Stores waiting at once beyond the old four threads on either side. Not all twelve: two of
      // these duplicate keys share one of the receiver's 64 lock stripes and so take turns.
      Await.until("eight stores in progress", WAIT, () -> f.inbound.inside.get() >= 8);
      gate.countDown();
      Await.until("all stored", WAIT, () -> f.inbound.stored.size() == 12);
    }
  }

  @Test
  void concurrent_long_messages_are_each_reassembled_and_stored_once() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String text = ("VERIFY AMA-2026-" + i + " ").repeat(12) + "[end " + i + "]";
        texts.add(text);
        f.smsc.injectMo("233244123678", "1411", text, Optional.empty(), ConcatenationMode.UDH8);
        f.smsc.injectMo("233244123678", "1411", text, Optional.empty(), ConcatenationMode.SAR);
      }
      Await.until("all parts delivered", WAIT, () -> f.smsc.deliveredToEsme() == 40 * 2 * 2);
      assertThat(f.inbound.stored)
          .extracting(InboundMessage::text)
          .containsExactlyInAnyOrderElementsOf(texts);
      assertThat(f.counter("smpp.inbound", "result", "duplicate")).isEqualTo(40.0);
    }
  }

  @Test
  void a_unicode_message_is_decoded() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.smsc.injectMo("233244123678", "1411", "BAL ɔ ɛ ₵");
      Await.until("stored", WAIT, () -> f.inbound.stored.size() == 1);
      assertThat(f.inbound.stored.get(0).text()).isEqualTo("BAL ɔ ɛ ₵");
    }
  }

  @Test
  void when_the_store_fails_the_smsc_gets_an_error_and_redelivers() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      f.inbound.failNext.set(2);
      f.smsc.injectMo("233244123678", "1411", "PAY 10023 5 1234");
      Await.until("stored", WAIT, () -> f.inbound.stored.size() == 1);
      assertThat(f.smsc.deliverRejections()).isEqualTo(2);
      assertThat(f.inbound.failures.get()).isEqualTo(2);
      assertThat(f.inbound.stored.get(0).text()).isEqualTo("PAY 10023 5 1234");
    }
  }

  @Test
  void when_the_store_fails_on_the_last_part_the_earlier_parts_are_kept() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      String text = "HELP ".repeat(40);
      f.inbound.failNext.set(1);
      f.smsc.injectMo("233244123678", "1411", text);
      Await.until("stored", WAIT, () -> f.inbound.stored.size() == 1);
      assertThat(f.inbound.stored.get(0).text()).isEqualTo(text);
      assertThat(f.smsc.deliverRejections()).isEqualTo(1);
    }
  }

  @Test
  void vendor_receipts_with_missing_fields_and_odd_states_are_applied() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).requestDeliveryReports(false).build());
      long id = f.outbox.add("ama", "233244000010", "Receipt AMA-2026-000131");
      Await.until("submitted", WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
      String partId = f.outbox.row(id).partIds.get(0);
      f.smsc.injectReceipt("233244000010", "AMA", "id:" + "000" + partId + " stat:BUFFRED err:0");
      f.smsc.injectReceipt(
          "233244000010",
          "AMA",
          "ID:" + partId + " Sub:1 Dlvrd:0 Done_Date:2611211200 Stat:FAILED");
      f.smsc.injectReceipt(
          "233244000010",
          "AMA",
          "",
          new OptionalParameter.Receipted_message_id(partId),
          new OptionalParameter.Message_state((byte) 5),
          new OptionalParameter.Network_error_code(
              OptionalParameter.Network_error_code.Network_error_code_type.GSM, (short) 34));
      Await.until("three reports", WAIT, () -> f.outbox.row(id).reports.size() == 3);
      assertThat(f.outbox.row(id).reports)
          .extracting(r -> r.state() + "/" + r.errorCode())
          .containsExactlyInAnyOrder("ENROUTE/0", "UNDELIVERABLE/", "UNDELIVERABLE/3:34");
    }
  }

  @Test
  void a_receipt_whose_id_no_submit_could_have_is_acknowledged_and_dropped() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).requestDeliveryReports(false).build());
      f.smsc.injectReceipt(
          "233244000010",
          "AMA",
          "",
          new OptionalParameter.Receipted_message_id("z".repeat(120)),
          new OptionalParameter.Message_state((byte) 2));
      Await.until("dropped", WAIT, () -> f.counter("smpp.reports", "result", "unparsable") == 1.0);
      // Answered OK (not bounced back for redelivery), and never handed to the sink.
      assertThat(f.smsc.deliverRejections()).isZero();
      assertThat(f.outbox.parkedCount()).isZero();
    }
  }

  @Test
  void transmitter_and_receiver_binds_carry_submits_and_inbound_separately() throws Exception {
    try (var f = new Fixture()) {
      f.start(
          Fixture.connection("mtn", f.smsc.port())
              .bindMode(BindMode.TRANSMITTER_AND_RECEIVER)
              .build());
      assertThat(f.smsc.boundSessions()).isEqualTo(2);
      assertThat(f.registry.get("smpp.bind.state").tag("connection", "mtn").gauge().value())
          .isEqualTo(1.0);
      assertThat(f.registry.get("smpp.queue.size").tag("connection", "mtn").gauge().value())
          .isZero();
      assertThat(f.registry.get("smpp.window.in_flight").tag("connection", "mtn").gauge().value())
          .isZero();
      long id = f.outbox.add("ama", "233244000011", "Receipt AMA-2026-000132");
      f.smsc.injectMo("233244123678", "1411", "TOTAL");
      Await.until("report", WAIT, () -> !f.outbox.row(id).reports.isEmpty());
      Await.until("inbound stored", WAIT, () -> f.inbound.stored.size() == 1);
      assertThat(f.counter("smpp.submitted", "connection", "mtn")).isEqualTo(1.0);
      f.smsc.kill();
      Await.until(
          "bind state gauge drops",
          WAIT,
          () -> f.registry.get("smpp.bind.state").tag("connection", "mtn").gauge().value() < 1.0);
    }
  }
}
