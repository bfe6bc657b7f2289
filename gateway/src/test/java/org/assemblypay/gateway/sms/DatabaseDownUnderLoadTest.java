package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assemblypay.gateway.sms.SmsTestBed.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.menus.Translations;
import org.assemblypay.menus.collector.SmsCommands;
import org.assemblypay.smpp.MessageIdFormat;
import org.assemblypay.smpp.simulator.ReceivedSms;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.ussd.PhoneRateLimit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Chaos: PostgreSQL goes away (a TCP proxy between the gateway and the database is stopped) while
 * receipts drain to the SMSC simulator, delivery reports flow back and collectors send PAY, then
 * comes back. Nothing is lost, nothing is sent or posted twice, and every outbox row ends in a
 * final state.
 */
@Tag("slow")
class DatabaseDownUnderLoadTest {

  private static final int RECEIPTS_PER_ASSEMBLY = 400;
  private static final int PAYS = 10;

  @Test
  void theDatabaseGoesDownUnderSmsLoadAndComesBackWithNothingLostOrDoubled() throws Exception {
    String url = TestDatabase.get().jdbcUrl();
    URI server = URI.create(url.substring("jdbc:".length()));
    // The SMSC keeps redelivering reports and MO messages until the database is back.
    var simulator =
        new SimulatorConfig(
            0,
            Map.of(SmsTestBed.SYSTEM_ID, SmsTestBed.PASSWORD),
            MessageIdFormat.DECIMAL,
            MessageIdFormat.DECIMAL,
            0,
            false,
            10,
            4,
            10_000,
            1_000,
            500,
            1_000,
            32);
    try (var proxy =
            new TcpProxy(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
        var bed =
            new SmsTestBed(
                2,
                simulator,
                url.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port())
                    .replace("//" + server.getHost() + "/", "//127.0.0.1:" + proxy.port() + "/"))) {
      String collector = SmsTestBed.phone();
      bed.ledgerOf(0)
          .registerCollector(
              new NewCollector(
                  "C-" + collector, "Ama Collector", collector, "4821", Set.of("MKT")));
      List<String> customers = new ArrayList<>();
      for (int i = 0; i < PAYS; i++) {
        String trader = SmsTestBed.phone();
        String customer = "D" + trader.substring(trader.length() - 6);
        customers.add(customer);
        bed.ledgerOf(0)
            .registerTrader(
                new NewTrader(
                    customer, "Trader " + i, trader, "MKT", "A" + i, "STALL", Language.EN));
      }
      // One collector sends every PAY within a minute: the per-sender limit must not refuse any.
      var commands =
          new SmsCommands(
              bed.ledger,
              Translations.load(),
              Clock.systemUTC(),
              null,
              new PhoneRateLimit(1_000, PhoneRateLimit.DEFAULT_MAX_PHONES, Clock.systemUTC()));
      var config =
          bed.config()
              .withInboundNumbers(
                  List.of(new SmsConfig.InboundNumber(SmsTestBed.SHORT_CODE, bed.assembly(0))))
              // A lease well above what a PAY takes here, so only unfinished handlings are re-run.
              .withRecovery(new SmsConfig.Recovery(0, 0, 60, 10, 500, 0, 0));
      bed.start(config, commands::handle);

      List<String> phones = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        phones.add(SmsTestBed.phone());
      }
      Map<String, Integer> expected = new HashMap<>();
      for (int i = 0; i < RECEIPTS_PER_ASSEMBLY; i++) {
        for (int a = 0; a < 2; a++) {
          String text = "receipt " + a + "-" + i;
          expected.put(text, 1);
          bed.enqueue(a, phones.get(i % phones.size()), text);
        }
      }
      await(
          "the stream under way", Duration.ofSeconds(60), () -> bed.smsc.acceptedSubmits() >= 100);

      proxy.stop();
      for (int i = 0; i < PAYS; i++) {
        bed.smsc.injectMo(
            collector,
            SmsTestBed.SHORT_CODE,
            "PAY " + customers.get(i) + " " + (i + 1) + " 4821",
            Optional.of("chaos-" + i));
      }
      Thread.sleep(8_000);
      proxy.start();

      await(
          "every outbox row DELIVERED",
          Duration.ofMinutes(4),
          () ->
              sql(
                  () ->
                      bed.rowsIn(0, "DELIVERED") == bed.count(0, "sms_outbox", "true")
                          && bed.rowsIn(1, "DELIVERED") == RECEIPTS_PER_ASSEMBLY
                          && bed.count(0, "transfers", "idempotency_key like 'cash:sms:%'")
                              == PAYS),
          () -> bed.statuses() + " cash posted " + cashPosted(bed) + ", inbound " + inbound(bed));
      await(
          "every inbound SMS handled",
          Duration.ofMinutes(1),
          () -> sql(() -> bed.count(0, "sms_inbound", "processed_at is null") == 0));

      // Each PAY posted once, with its own amount; each command stored once.
      assertThat(bed.count(0, "sms_inbound", "true")).isEqualTo(PAYS);
      for (int i = 0; i < PAYS; i++) {
        assertThat(bed.count(0, "transfers", "idempotency_key = 'cash:sms:sim:chaos-" + i + "'"))
            .isEqualTo(1);
      }
      // Every receipt reached the SMSC exactly once, and nothing is left open.
      Map<String, Integer> received = new HashMap<>();
      for (String phone : phones) {
        for (ReceivedSms m : bed.smsc.messagesTo(phone)) {
          received.merge(m.text(), 1, Integer::sum);
        }
      }
      assertThat(received).isEqualTo(expected);
      for (int a = 0; a < 2; a++) {
        assertThat(bed.count(a, "sms_outbox", "status in ('QUEUED', 'SUBMITTED', 'UNKNOWN')"))
            .isZero();
      }
      await("nothing held in memory", Duration.ofSeconds(30), () -> bed.sms.heldRows() == 0);
    }
  }

  private static String cashPosted(SmsTestBed bed) {
    try {
      return Integer.toString(bed.count(0, "transfers", "idempotency_key like 'cash:sms:%'"));
    } catch (java.sql.SQLException e) {
      return e.getMessage();
    }
  }

  private static String inbound(SmsTestBed bed) {
    try {
      return bed.count(0, "sms_inbound", "true")
          + " stored, "
          + bed.count(0, "sms_inbound", "processed_at is null")
          + " unhandled, "
          + bed.count(0, "sms_outbox", "text not like 'receipt %'")
          + " replies";
    } catch (java.sql.SQLException e) {
      return e.getMessage();
    }
  }
}
