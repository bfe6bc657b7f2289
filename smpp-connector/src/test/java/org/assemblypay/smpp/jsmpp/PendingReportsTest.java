package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DeliveryState;
import org.junit.jupiter.api.Test;

/** Unmatched delivery reports: kept, replayed, bounded and expired. */
class PendingReportsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ConnectorMetrics metrics = new ConnectorMetrics(registry);
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  private static DeliveryReport report(String id) {
    return new DeliveryReport(id, DeliveryState.DELIVERED, "DELIVRD", "000", "mtn", Instant.now());
  }

  private boolean sink(DeliveryReport report) {
    return known.contains(report.messageId());
  }

  @Test
  void a_kept_report_is_matched_when_its_submit_is_recorded() {
    var pending = new PendingReports(10, 60_000, this::sink, metrics);
    pending.keep(report("42"));
    pending.replay(List.of("42"));
    assertThat(pending.size()).isEqualTo(1);
    known.add("42");
    pending.replay(List.of("42"));
    assertThat(pending.size()).isZero();
    assertThat(metrics.reportsMatchedLate.count()).isEqualTo(1.0);
  }

  @Test
  void the_sweep_matches_reports_whose_submit_was_recorded_elsewhere() {
    var pending = new PendingReports(10, 60_000, this::sink, metrics);
    pending.keep(report("1"));
    pending.keep(report("2"));
    known.add("2");
    pending.sweep();
    assertThat(pending.size()).isEqualTo(1);
    assertThat(metrics.reportsMatchedLate.count()).isEqualTo(1.0);
  }

  @Test
  void the_oldest_reports_are_dropped_beyond_the_capacity() {
    var pending = new PendingReports(3, 60_000, this::sink, metrics);
    for (int i = 0; i < 5; i++) {
      pending.keep(report(Integer.toString(i)));
    }
    assertThat(pending.size()).isEqualTo(3);
    assertThat(metrics.reportsExpired.count()).isEqualTo(2.0);
    known.add("0");
    known.add("4");
    pending.replay(List.of("0", "4"));
    assertThat(metrics.reportsMatchedLate.count()).isEqualTo(1.0);
  }

  @Test
  void reports_older_than_the_ttl_are_dropped_by_the_sweep() throws InterruptedException {
    var pending = new PendingReports(10, 50, this::sink, metrics);
    pending.keep(report("7"));
    Thread.sleep(100);
    pending.sweep();
    assertThat(pending.size()).isZero();
    assertThat(metrics.reportsExpired.count()).isEqualTo(1.0);
  }

  @Test
  void a_failing_sink_keeps_the_report() {
    var pending =
        new PendingReports(
            10,
            60_000,
            r -> {
              throw new IllegalStateException("database down");
            },
            metrics);
    pending.keep(report("9"));
    pending.replay(List.of("9"));
    assertThat(pending.size()).isEqualTo(1);
  }
}
