package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.assemblypay.smpp.BindMode;
import org.assemblypay.smpp.ConcatenationMode;
import org.assemblypay.smpp.OutboundMessage;
import org.assemblypay.smpp.Route;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.SmscConnectionConfig;
import org.assemblypay.smpp.encoding.SmsEncoder;
import org.assemblypay.smpp.jsmpp.InMemoryOutbox.Status;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;
import org.junit.jupiter.api.Test;

/**
 * The SMSC identity (D230): which namespace a connection's message ids live in, carried by every
 * submitted part and every delivery report.
 */
class SmscIdentityTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void binds_of_one_account_on_one_address_share_the_default_identity() {
    var tx =
        SmscConnectionConfig.builder("mtn-tx", "SMSC.Example.com", 2775, "AssemblyPay", "pw")
            .bindMode(BindMode.TRANSMITTER_AND_RECEIVER)
            .build();
    var second =
        SmscConnectionConfig.builder("mtn-2", "smsc.example.com", 2775, "assemblypay", "pw")
            .build();
    var otherSmsc =
        SmscConnectionConfig.builder("telecel", "smsc.example.com", 2776, "assemblypay", "pw")
            .build();
    assertThat(tx.smsc()).isEqualTo("assemblypay@smsc.example.com:2775");
    assertThat(second.smsc()).isEqualTo(tx.smsc());
    assertThat(otherSmsc.smsc()).isNotEqualTo(tx.smsc());
    assertThat(tx.toString()).contains("smsc=assemblypay@smsc.example.com:2775");
  }

  @Test
  void an_explicit_identity_is_kept_and_checked() {
    var builder = SmscConnectionConfig.builder("mtn-a", "10.0.0.1", 2775, "ap", "pw");
    assertThat(builder.smsc("MTN-GH").build().smsc()).isEqualTo("MTN-GH");
    assertThatThrownBy(() -> builder.smsc(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("smsc must not be blank");
    assertThatThrownBy(() -> builder.smsc("x".repeat(101)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 100");
    String longHost = "h".repeat(95) + ".example.com";
    assertThatThrownBy(
            () -> SmscConnectionConfig.builder("mtn", longHost, 2775, "ap", "pw").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set it explicitly");
  }

  @Test
  void parts_taken_by_different_smscs_after_a_fail_over_keep_their_own_identity() {
    var message = new OutboundMessage(7, "ama", "233244000001", "x".repeat(300), 0);
    var job = new SubmitJob(message, SmsEncoder.encode(message.text(), ConcatenationMode.UDH8, 1));
    assertThat(job.encoded.parts()).hasSize(2);
    job.beginRound(2);
    job.record(1, new PartOutcome.Accepted("12345", "mtn"));
    job.record(2, new PartOutcome.TimedOut("no response"));
    var partial = job.submission("mtn", 1);
    assertThat(partial.partMessageIds()).containsExactly("12345");
    assertThat(partial.partSmscs()).containsExactly("mtn");

    job.beginRound(1);
    job.record(2, new PartOutcome.Accepted("12345", "telecel"));
    var whole = job.submission("telecel", 2);
    assertThat(whole.partMessageIds()).containsExactly("12345", "12345");
    assertThat(whole.partSmscs()).containsExactly("mtn", "telecel");
    assertThat(whole.connectionName()).isEqualTo("telecel");
  }

  @Test
  void each_report_names_the_identity_its_part_was_submitted_under() throws Exception {
    try (var f = new Fixture();
        var b =
            SmscSimulator.start(SimulatorConfig.defaults(Fixture.SYSTEM_ID, Fixture.PASSWORD))) {
      var mtn = Fixture.connection("mtn", f.smsc.port()).smsc("mtn-gh").build();
      var telecel = Fixture.connection("telecel", b.port()).build();
      f.start(
          new SmppConnectorConfig(
              List.of(mtn, telecel),
              List.of(
                  new Route(Route.ANY_ASSEMBLY, "23320", List.of("telecel")),
                  new Route(Route.ANY_ASSEMBLY, "", List.of("mtn"))),
              Fixture.fastDispatcher(),
              org.assemblypay.smpp.InboundSettings.defaults()));
      long toMtn = f.outbox.add("ama", "233244000001", "to mtn");
      long toTelecel = f.outbox.add("ama", "233201000001", "to telecel");
      Await.until(
          "both reported",
          WAIT,
          () ->
              f.outbox.row(toMtn).reports.size() == 1
                  && f.outbox.row(toTelecel).reports.size() == 1);
      assertThat(f.outbox.row(toMtn).partSmscs).containsExactly("mtn-gh");
      assertThat(f.outbox.row(toMtn).reports.get(0).smsc()).isEqualTo("mtn-gh");
      assertThat(telecel.smsc()).isEqualTo("gateway@127.0.0.1:" + b.port());
      assertThat(f.outbox.row(toTelecel).partSmscs).containsExactly(telecel.smsc());
      assertThat(f.outbox.row(toTelecel).reports.get(0).smsc()).isEqualTo(telecel.smsc());
      assertThat(f.outbox.count(Status.SUBMITTED)).isEqualTo(2);
      assertThat(f.outbox.violations).isEmpty();
    }
  }
}
