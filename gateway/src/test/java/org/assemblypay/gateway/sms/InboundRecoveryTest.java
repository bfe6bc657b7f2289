package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assemblypay.gateway.sms.SmsTestBed.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.menus.Translations;
import org.assemblypay.menus.collector.SmsCommands;
import org.junit.jupiter.api.Test;

/**
 * A collector's PAY stored before deliver_sm_resp whose handling did not finish is handled again by
 * the recovery sweep, and the cash is posted exactly once, over TCP from the SMSC simulator with
 * the real SMS commands and PostgreSQL.
 */
class InboundRecoveryTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A collector with PIN 4821 and a trader, both in the bed's market. */
  private static String[] collectorAndTrader(SmsTestBed bed) {
    String collector = SmsTestBed.phone();
    String trader = SmsTestBed.phone();
    String customer = "R" + trader.substring(trader.length() - 6);
    bed.ledgerOf(0)
        .registerCollector(
            new NewCollector("C-" + collector, "Ama Collector", collector, "4821", Set.of("MKT")));
    bed.ledgerOf(0)
        .registerTrader(
            new NewTrader(customer, "Esi Trader", trader, "MKT", "A1", "STALL", Language.EN));
    return new String[] {collector, customer};
  }

  private static SmsConfig config(SmsTestBed bed) {
    // A short handling lease (longer than a PAY takes on a loaded machine) and a fast sweep.
    return bed.config()
        .withInboundNumbers(
            List.of(new SmsConfig.InboundNumber(SmsTestBed.SHORT_CODE, bed.assembly(0))))
        .withRecovery(new SmsConfig.Recovery(0, 0, 5, 5, 200, 0, 0));
  }

  private static int cashTransfers(SmsTestBed bed) throws java.sql.SQLException {
    return bed.count(0, "transfers", "idempotency_key like 'cash:sms:%'");
  }

  @Test
  void aPayWhoseHandlerFailedBeforePostingIsHandledAgainAndPostedOnce() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      String[] ct = collectorAndTrader(bed);
      var commands = new SmsCommands(bed.ledger, Translations.load(), Clock.systemUTC());
      AtomicInteger calls = new AtomicInteger();
      // The first handling meets a database blip before it writes anything.
      InboundCommandHandler flaky =
          (code, key, sender, text) -> {
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("database blip");
            }
            commands.handle(code, key, sender, text);
          };
      bed.start(config(bed), flaky);

      bed.smsc.injectMo(
          ct[0], SmsTestBed.SHORT_CODE, "PAY " + ct[1] + " 5 4821", Optional.of("r1"));

      await("the cash posted", WAIT, () -> sql(() -> cashTransfers(bed) == 1));
      await(
          "the message marked handled",
          WAIT,
          () -> sql(() -> bed.count(0, "sms_inbound", "processed_at is not null") == 1));
      assertThat(calls.get()).isEqualTo(2);
      assertThat(bed.count(0, "sms_inbound", "handling_attempts = 2")).isEqualTo(1);
      // Later sweeps find nothing left to do.
      bed.sms.sweepRecovery();
      bed.sms.sweepRecovery();
      assertThat(calls.get()).isEqualTo(2);
      assertThat(cashTransfers(bed)).isEqualTo(1);
      assertThat(bed.registry.counter("sms.inbound.recovered", "result", "handled").count())
          .isEqualTo(1);
    }
  }

  @Test
  void aPayThatPostedButWasNeverMarkedHandledIsNotPostedOrAnsweredTwice() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      String[] ct = collectorAndTrader(bed);
      var commands = new SmsCommands(bed.ledger, Translations.load(), Clock.systemUTC());
      AtomicInteger calls = new AtomicInteger();
      // The first handling commits its posting and replies, then the node "dies" before marking
      // the message handled.
      InboundCommandHandler dying =
          (code, key, sender, text) -> {
            calls.incrementAndGet();
            commands.handle(code, key, sender, text);
            if (calls.get() == 1) {
              throw new IllegalStateException("node died after the commit");
            }
          };
      bed.start(config(bed), dying);

      bed.smsc.injectMo(
          ct[0], SmsTestBed.SHORT_CODE, "PAY " + ct[1] + " 5 4821", Optional.of("r2"));

      await("the cash posted", WAIT, () -> sql(() -> cashTransfers(bed) == 1));
      int outboxRows = bed.count(0, "sms_outbox", "true");
      await(
          "the recovery sweep to see it handled",
          WAIT,
          () ->
              bed.registry.counter("sms.inbound.recovered", "result", "already_handled").count()
                  == 1);
      assertThat(bed.count(0, "sms_inbound", "processed_at is not null")).isEqualTo(1);
      bed.sms.sweepRecovery();
      assertThat(calls.get()).isEqualTo(1);
      assertThat(cashTransfers(bed)).isEqualTo(1);
      // No second receipt or "repeat?" question was queued.
      assertThat(bed.count(0, "sms_outbox", "true")).isEqualTo(outboxRows);
    }
  }
}
