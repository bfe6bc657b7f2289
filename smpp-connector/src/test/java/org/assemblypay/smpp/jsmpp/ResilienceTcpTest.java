package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.smpp.Route;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.jsmpp.InMemoryOutbox.Status;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;
import org.junit.jupiter.api.Test;

/** A bad day over real TCP: SMSC crash and restart, throttling storms, reconnects, failover. */
class ResilienceTcpTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Counts how often each outbox row's text reached the SMSC. */
  private static Map<String, AtomicInteger> countArrivals(SmscSimulator smsc) {
    Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    smsc.onMessage(
        sms -> arrivals.computeIfAbsent(sms.text(), k -> new AtomicInteger()).incrementAndGet());
    return arrivals;
  }

  @Test
  void smsc_killed_and_restarted_mid_stream_loses_nothing() throws Exception {
    var simulatorConfig =
        SimulatorConfig.defaults(Fixture.SYSTEM_ID, Fixture.PASSWORD).withCapacity(4, 2_000, 10);
    try (var f = new Fixture(simulatorConfig)) {
      Map<String, AtomicInteger> arrivals = countArrivals(f.smsc);
      int window = 10;
      f.start(
          Fixture.connection("mtn", f.smsc.port())
              .windowSize(window)
              .messagesPerSecond(2_000)
              .responseTimeoutMillis(1_000)
              .build());
      int total = 2_000;
      for (int i = 0; i < total; i++) {
        f.outbox.add("ama", "23324" + String.format("%07d", i), "receipt #" + i);
      }
      Await.until("a quarter sent", WAIT, () -> f.smsc.acceptedSubmits() >= total / 4);
      f.smsc.kill();
      Await.until("connector sees the loss", WAIT, () -> f.counter("smpp.reconnects") >= 1);
      Thread.sleep(300);
      f.smsc.restart();

      Await.until(
          "every row submitted",
          WAIT,
          () -> f.outbox.count(Status.SUBMITTED) == total,
          () -> f.outbox.counts().toString());
      for (int i = 0; i < total; i++) {
        assertThat(arrivals.get("receipt #" + i)).as("receipt #" + i).isNotNull();
      }
      long duplicates = arrivals.values().stream().mapToInt(a -> a.get() - 1).sum();
      // RESEND policy: only submits whose response was lost in the crash may arrive twice.
      assertThat(duplicates).isLessThanOrEqualTo((long) f.counter("smpp.submit.timeouts"));
      assertThat(duplicates).isLessThanOrEqualTo(window);
      assertThat(f.outbox.violations).isEmpty();
    }
  }

  @Test
  void a_throttling_storm_pauses_the_bind_and_everything_still_goes_out_once() throws Exception {
    try (var f = new Fixture()) {
      Map<String, AtomicInteger> arrivals = countArrivals(f.smsc);
      f.start(Fixture.connection("mtn", f.smsc.port()).windowSize(20).build());
      f.smsc.throttleRandomly(0.3);
      f.smsc.queueFullNext(50);
      int total = 1_000;
      for (int i = 0; i < total; i++) {
        f.outbox.add("ama", "233244" + String.format("%06d", i), "toll paid #" + i);
      }
      Await.until("half sent", WAIT, () -> f.smsc.acceptedSubmits() >= total / 2);
      f.smsc.throttleRandomly(0);
      Await.until(
          "every row submitted",
          WAIT,
          () -> f.outbox.count(Status.SUBMITTED) == total,
          () -> f.outbox.counts().toString());
      assertThat(f.smsc.negativeResponses()).isGreaterThan(50);
      assertThat(f.counter("smpp.throttled")).isEqualTo((double) f.smsc.negativeResponses());
      assertThat(arrivals).hasSize(total);
      assertThat(arrivals.values()).allSatisfy(a -> assertThat(a.get()).isEqualTo(1));
      // Throttling is the SMSC's doing, not the message's: no attempt is spent on it.
      assertThat(f.outbox.rows()).allSatisfy(r -> assertThat(r.attemptsUsed).isEqualTo(1));
    }
  }

  @Test
  void a_hundred_reconnects_leave_no_threads_behind() throws Exception {
    try (var f = new Fixture()) {
      f.start(Fixture.connection("mtn", f.smsc.port()).build());
      reconnectOnce(f);
      var threads = ManagementFactory.getThreadMXBean();
      Await.until("threads settle", WAIT, () -> threads.getThreadCount() <= liveThreadsAfterGc());
      int baseline = threads.getThreadCount();

      for (int i = 0; i < 100; i++) {
        reconnectOnce(f);
      }

      assertThat(f.counter("smpp.reconnects")).isGreaterThanOrEqualTo(101);
      // jSMPP stops a closed session's reader and workers asynchronously: wait for them.
      Await.until(
          "threads back to the baseline of " + baseline,
          WAIT,
          () -> threads.getThreadCount() <= baseline + 2,
          () -> "now " + threads.getThreadCount() + " " + threadNames());
      long id = f.outbox.add("ama", "233244000001", "still working");
      Await.until("submitted", WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
    }
  }

  private static int liveThreadsAfterGc() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static String threadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .sorted()
        .toList()
        .toString();
  }

  private static void reconnectOnce(Fixture f) throws InterruptedException {
    long bindsBefore = f.smsc.bindCount();
    f.smsc.disconnectAll();
    Await.until(
        "rebound", WAIT, () -> f.smsc.bindCount() > bindsBefore && f.smsc.boundSessions() == 1);
    if (!f.connector.awaitBound(WAIT)) {
      throw new AssertionError("not bound again");
    }
  }

  @Test
  void routes_by_prefix_and_fails_over_when_a_connection_is_down() throws Exception {
    try (var a = new Fixture();
        var b =
            SmscSimulator.start(SimulatorConfig.defaults(Fixture.SYSTEM_ID, Fixture.PASSWORD))) {
      var config =
          new SmppConnectorConfig(
              List.of(
                  Fixture.connection("mtn", a.smsc.port()).build(),
                  Fixture.connection("telecel", b.port()).build()),
              List.of(
                  new Route(Route.ANY_ASSEMBLY, "", List.of("mtn", "telecel")),
                  new Route("kma", "", List.of("telecel", "mtn")),
                  new Route(Route.ANY_ASSEMBLY, "23320", List.of("telecel", "mtn"))),
              Fixture.fastDispatcher(),
              org.assemblypay.smpp.InboundSettings.defaults());
      a.start(config);
      long toTelecel = a.outbox.add("ama", "233201000001", "to telecel");
      long toMtn = a.outbox.add("ama", "233244000001", "to mtn");
      long kmaToTelecel = a.outbox.add("kma", "233244000003", "kma has its own account");
      Await.until("all submitted", WAIT, () -> a.outbox.count(Status.SUBMITTED) == 3);
      assertThat(a.outbox.row(toTelecel).connection).isEqualTo("telecel");
      assertThat(a.outbox.row(toMtn).connection).isEqualTo("mtn");
      assertThat(a.outbox.row(kmaToTelecel).connection).isEqualTo("telecel");

      a.smsc.kill();
      Await.until(
          "mtn down",
          WAIT,
          () -> !a.connector.bindStates().get("mtn").equals(org.assemblypay.smpp.BindState.BOUND));
      long failover = a.outbox.add("ama", "233244000002", "to mtn, but it is down");
      Await.until("submitted", WAIT, () -> a.outbox.row(failover).status == Status.SUBMITTED);
      assertThat(a.outbox.row(failover).connection).isEqualTo("telecel");
      assertThat(b.messagesTo("233244000002")).hasSize(1);
    }
  }

  @Test
  void wrong_password_never_binds_and_messages_wait_in_the_outbox() throws Exception {
    try (var f = new Fixture()) {
      var connection =
          org.assemblypay.smpp.SmscConnectionConfig.builder(
                  "mtn", "127.0.0.1", f.smsc.port(), Fixture.SYSTEM_ID, "wrong")
              .reconnectBackoffMillis(50, 100)
              .bindTimeoutMillis(2_000)
              .build();
      f.connector =
          SmppConnector.start(
              SmppConnectorConfig.of(connection).withDispatcher(Fixture.fastDispatcher()),
              new org.assemblypay.smpp.SmppPorts(f.outbox, f.outbox, f.outbox, f.inbound),
              f.registry);
      long id = f.outbox.add("ama", "233244000001", "waiting");
      Await.until("several refused binds", WAIT, () -> f.counter("smpp.reconnects") >= 3);
      assertThat(f.smsc.bindCount()).isZero();
      assertThat(f.outbox.row(id).status).isEqualTo(Status.QUEUED);
      assertThat(f.connector.bindStates().get("mtn"))
          .isNotEqualTo(org.assemblypay.smpp.BindState.BOUND);
    }
  }

  @Test
  void closing_the_connector_and_the_simulator_ends_every_thread_they_started() throws Exception {
    var f = new Fixture();
    f.start(
        Fixture.connection("mtn", f.smsc.port())
            .bindMode(org.assemblypay.smpp.BindMode.TRANSMITTER_AND_RECEIVER)
            .build());
    long id = f.outbox.add("ama", "233244000001", "one receipt");
    f.smsc.injectMo("233244123678", "1411", "TOTAL");
    Await.until(
        "report and inbound",
        WAIT,
        () -> !f.outbox.row(id).reports.isEmpty() && f.inbound.stored.size() == 1);
    f.close();
    Await.until(
        "no connector or simulator thread left",
        WAIT,
        () -> ownThreads().isEmpty(),
        () -> ownThreads().toString());
  }

  private static List<String> ownThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(
            n ->
                n.startsWith("smpp-")
                    || n.startsWith("smsc-sim")
                    || n.startsWith("PDUReaderWorker")
                    || n.startsWith("EnquireLinkSender"))
        .sorted()
        .toList();
  }
}
