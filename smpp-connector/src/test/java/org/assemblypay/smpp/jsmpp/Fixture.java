package org.assemblypay.smpp.jsmpp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.assemblypay.smpp.DispatcherSettings;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.SmppPorts;
import org.assemblypay.smpp.SmscConnectionConfig;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;

/** A simulator, an in-memory outbox and inbound store, and a connector between them, over TCP. */
final class Fixture implements AutoCloseable {

  static final String SYSTEM_ID = "gateway";
  static final String PASSWORD = "s3cret";

  final SmscSimulator smsc;
  final InMemoryOutbox outbox = new InMemoryOutbox();
  final RecordingInbound inbound = new RecordingInbound();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  SmppConnector connector;

  Fixture(SimulatorConfig simulatorConfig) throws IOException {
    this.smsc = SmscSimulator.start(simulatorConfig);
  }

  Fixture() throws IOException {
    this(SimulatorConfig.defaults(SYSTEM_ID, PASSWORD));
  }

  /** Timings short enough for tests; reconnect floor 50 ms (the simulator has no bind timeout). */
  static SmscConnectionConfig.Builder connection(String name, int port) {
    return SmscConnectionConfig.builder(name, "127.0.0.1", port, SYSTEM_ID, PASSWORD)
        .windowSize(10)
        .messagesPerSecond(0)
        .responseTimeoutMillis(2_000)
        .bindTimeoutMillis(2_000)
        .reconnectBackoffMillis(50, 500)
        .defaultSenderId("AMA");
  }

  static DispatcherSettings fastDispatcher() {
    return DispatcherSettings.defaults().withTimings(200, 50, 100, 300, 20, 200);
  }

  SmppConnector start(SmppConnectorConfig config) throws InterruptedException {
    connector =
        SmppConnector.start(config, new SmppPorts(outbox, outbox, outbox, inbound), registry);
    if (!connector.awaitBound(Duration.ofSeconds(10))) {
      throw new AssertionError("connector did not bind: " + connector.bindStates());
    }
    return connector;
  }

  SmppConnector start(SmscConnectionConfig connection) throws InterruptedException {
    return start(SmppConnectorConfig.of(connection).withDispatcher(fastDispatcher()));
  }

  double counter(String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  double counter(String name, String tagKey, String tagValue) {
    return registry.find(name).tag(tagKey, tagValue).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Override
  public void close() throws IOException {
    if (connector != null) {
      connector.close();
    }
    smsc.close();
  }
}
