package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.smpp.jsmpp.InMemoryOutbox.Status;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

/** Ten thousand outbox rows drained over one bind with receipts flowing back: none lost. */
class DrainTcpTest {

  @Test
  void ten_thousand_messages_are_drained_with_none_lost_and_every_report_matched()
      throws Exception {
    var simulatorConfig =
        SimulatorConfig.defaults(Fixture.SYSTEM_ID, Fixture.PASSWORD)
            .withCapacity(4, 5_000, 10)
            .withDelays(0, 50);
    try (var f = new Fixture(simulatorConfig)) {
      Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
      f.smsc.onMessage(
          sms -> arrivals.computeIfAbsent(sms.text(), k -> new AtomicInteger()).incrementAndGet());
      f.start(
          Fixture.connection("mtn", f.smsc.port())
              .windowSize(50)
              .messagesPerSecond(0)
              .responseTimeoutMillis(10_000)
              .build());
      int total = 10_000;
      for (int i = 0; i < total; i++) {
        f.outbox.add(i % 2 == 0 ? "ama" : "kma", "2332" + String.format("%08d", i), "receipt " + i);
      }
      Await.until(
          "every row submitted and reported",
          Duration.ofSeconds(120),
          () ->
              f.outbox.count(Status.SUBMITTED) == total
                  && f.outbox.rows().stream().allMatch(r -> !r.reports.isEmpty()),
          () -> f.outbox.counts().toString());
      assertThat(arrivals).hasSize(total);
      assertThat(arrivals.values()).allSatisfy(a -> assertThat(a.get()).isEqualTo(1));
      assertThat(f.outbox.violations).isEmpty();
      assertThat(f.outbox.claims.get()).isEqualTo(total);
      assertThat(f.counter("smpp.submitted")).isEqualTo(total);
    }
  }
}
