package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The database goes down while a collector's SMS arrives: the SMSC is answered with an error and
 * delivers again, and once the database is back the message is stored and handled exactly once.
 */
@Tag("slow")
class DatabaseDownInboundTest {

  @Test
  void theSmscRedeliversUntilTheDatabaseIsBackAndTheMessageIsHandledOnce() throws Exception {
    String url = TestDatabase.get().jdbcUrl();
    URI server = URI.create(url.substring("jdbc:".length()));
    try (var proxy =
            new TcpProxy(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
        var bed =
            new SmsTestBed(
                1,
                SimulatorConfig.defaults(SmsTestBed.SYSTEM_ID, SmsTestBed.PASSWORD)
                    .withDelays(10, 500),
                url.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port())
                    .replace("//" + server.getHost() + "/", "//127.0.0.1:" + proxy.port() + "/"))) {
      var config =
          bed.config()
              .withInboundNumbers(
                  List.of(new SmsConfig.InboundNumber(SmsTestBed.SHORT_CODE, bed.assembly(0))));
      bed.start(config);
      String collector = SmsTestBed.phone();

      proxy.stop();
      bed.smsc.injectMo(collector, SmsTestBed.SHORT_CODE, "PAY 10023 5 4821", Optional.of("mo-1"));
      // The sink fails once the pool gives up on the database (the ledger's 10 s connection
      // timeout); the connector then answers the SMSC with an error, and the SMSC redelivers.
      await(
          "the store to fail",
          Duration.ofSeconds(60),
          () -> bed.registry.counter("smpp.inbound", "result", "sink_failed").count() >= 1);
      assertThat(bed.handler.calls).isEmpty();
      proxy.start();

      await("the command handled", Duration.ofSeconds(60), () -> !bed.handler.calls.isEmpty());
      await("the SMSC's ack", Duration.ofSeconds(60), () -> bed.smsc.deliveredToEsme() >= 1);
      assertThat(bed.inboundRows(0)).isEqualTo(1);
      assertThat(bed.handler.calls).hasSize(1);
      assertThat(bed.handler.calls.get(0).inboundKey()).isEqualTo("sim:mo-1");
    }
  }
}
