package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assemblypay.gateway.sms.SmsTestBed.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.smpp.InboundMessage;
import org.junit.jupiter.api.Test;

/** Collectors' and traders' SMS: SMSC simulator → connector → inbound table → command handler. */
class InboundSmsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aCollectorsTextIsStoredInTheirAssemblyAndReachesTheHandlerOnceOffTheSmppThread()
      throws Exception {
    try (var bed = new SmsTestBed(2)) {
      String collector = SmsTestBed.phone();
      bed.ledgerOf(1)
          .registerCollector(
              new NewCollector(
                  "C-" + collector, "Ama Collector", collector, "4821", Set.of("MKT")));
      bed.start(bed.config());

      bed.smsc.injectMo(collector, SmsTestBed.SHORT_CODE, "TOTAL");

      await("the command handled", WAIT, () -> !bed.handler.calls.isEmpty());
      RecordingHandler.Call call = bed.handler.calls.get(0);
      assertThat(call.assemblyCode()).isEqualTo(bed.assembly(1));
      assertThat(call.sender()).isEqualTo(collector);
      assertThat(call.text()).isEqualTo("TOTAL");
      assertThat(call.thread()).startsWith("sms-commands-");
      assertThat(bed.inboundRows(1)).isEqualTo(1);
      assertThat(bed.inboundRows(0)).isZero();
      await("the SMSC's ack", WAIT, () -> bed.smsc.deliveredToEsme() >= 1);
      assertThat(bed.handler.calls).hasSize(1);
    }
  }

  @Test
  void aDuplicatedInboundMessageIsStoredAndHandledOnce() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      String trader = SmsTestBed.phone();
      bed.ledgerOf(0)
          .registerTrader(
              new NewTrader(
                  "T-" + trader, "Esi Trader", trader, "MKT", "A1", "STALL", Language.EN));
      bed.start(bed.config());

      bed.smsc.injectMo(trader, SmsTestBed.SHORT_CODE, "BAL", Optional.of("mo-778899"));
      bed.smsc.injectMo(trader, SmsTestBed.SHORT_CODE, "BAL", Optional.of("mo-778899"));
      await("both deliveries acknowledged", WAIT, () -> bed.smsc.deliveredToEsme() >= 2);
      await("the command handled", WAIT, () -> !bed.handler.calls.isEmpty());

      // The same message redelivered to another node (whose connector has not seen it).
      ExecutorService otherPool = Executors.newSingleThreadExecutor();
      var otherNode =
          new LedgerInbound(
              bed.ledger,
              new ServedAssemblies(bed.ledger, bed.assemblies, 30_000),
              List.of(),
              otherPool,
              bed.handler,
              () -> {},
              120,
              new SimpleMeterRegistry());
      otherNode.persist(
          new InboundMessage(
              "sim",
              trader,
              SmsTestBed.SHORT_CODE,
              "BAL",
              Optional.of("mo-778899"),
              1,
              Instant.now()));
      otherPool.shutdown();
      assertThat(otherPool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      assertThat(bed.inboundRows(0)).isEqualTo(1);
      assertThat(bed.handler.calls).hasSize(1);
      assertThat(bed.handler.calls.get(0).inboundKey()).isEqualTo("sim:mo-778899");
    }
  }

  @Test
  void theConfiguredInboundNumberDecidesTheAssembly() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      var config =
          bed.config()
              .withInboundNumbers(
                  List.of(new SmsConfig.InboundNumber(SmsTestBed.SHORT_CODE, bed.assembly(1))));
      bed.start(config);
      String stranger = SmsTestBed.phone();

      bed.smsc.injectMo(stranger, SmsTestBed.SHORT_CODE, "HELP");

      await("the command handled", WAIT, () -> !bed.handler.calls.isEmpty());
      assertThat(bed.handler.calls.get(0).assemblyCode()).isEqualTo(bed.assembly(1));
      assertThat(bed.inboundRows(1)).isEqualTo(1);
    }
  }

  @Test
  void aSenderKnownToNoAssemblyIsAcknowledgedAndDroppedNotRedelivered() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      bed.start(bed.config());

      bed.smsc.injectMo(SmsTestBed.phone(), SmsTestBed.SHORT_CODE, "HELP");

      await("the SMSC's ack", WAIT, () -> bed.smsc.deliveredToEsme() >= 1);
      await(
          "the drop counted",
          WAIT,
          () ->
              bed.registry.counter("sms.inbound.persisted", "result", "no_assembly").count() == 1);
      assertThat(bed.smsc.deliverRejections()).isZero();
      assertThat(bed.handler.calls).isEmpty();
      assertThat(sql(() -> bed.inboundRows(0) + bed.inboundRows(1) == 0)).isTrue();
    }
  }

  @Test
  void aSenderRegisteredInTwoAssembliesWithoutAnInboundNumberIsNotGuessed() throws Exception {
    try (var bed = new SmsTestBed(2)) {
      String trader = SmsTestBed.phone();
      for (int a = 0; a < 2; a++) {
        bed.ledgerOf(a)
            .registerTrader(
                new NewTrader("T" + a + trader, "Kofi", trader, "MKT", "B2", "STALL", Language.TW));
      }
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        var inbound =
            new LedgerInbound(
                bed.ledger,
                new ServedAssemblies(bed.ledger, bed.assemblies, 30_000),
                List.of(),
                pool,
                bed.handler,
                () -> {},
                120,
                new SimpleMeterRegistry());
        var message =
            new InboundMessage(
                "sim", trader, SmsTestBed.SHORT_CODE, "BAL", Optional.empty(), 1, Instant.now());
        assertThat(inbound.assemblyFor(message)).isEmpty();
      } finally {
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
