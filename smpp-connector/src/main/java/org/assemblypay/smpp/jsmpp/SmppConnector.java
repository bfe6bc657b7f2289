package org.assemblypay.smpp.jsmpp;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.assemblypay.smpp.BindState;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.SmppPorts;
import org.assemblypay.smpp.SmscConnectionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMPP connector: binds every configured SMSC connection, drains the outbox through them,
 * applies delivery reports and stores inbound messages, all through {@link SmppPorts}.
 *
 * <pre>{@code
 * SmppConnector connector = SmppConnector.start(config, ports, meterRegistry);
 * ... connector.wakeUp();            // after committing new outbox rows (or via OutboxSignal)
 * ... connector.bindStates();        // for /health/ready
 * connector.close();                 // unbinds; queued messages go back to the outbox
 * }</pre>
 */
public final class SmppConnector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmppConnector.class);
  private static final long SWEEP_INTERVAL_MILLIS = 2_000;

  private final List<SmscBind> binds;
  private final OutboxDispatcher dispatcher;
  private final ScheduledThreadPoolExecutor scheduler;
  private volatile boolean closed;

  private SmppConnector(
      List<SmscBind> binds, OutboxDispatcher dispatcher, ScheduledThreadPoolExecutor scheduler) {
    this.binds = binds;
    this.dispatcher = dispatcher;
    this.scheduler = scheduler;
  }

  /** Starts binding every connection and dispatching; returns at once (binds come up async). */
  public static SmppConnector start(
      SmppConnectorConfig config, SmppPorts ports, MeterRegistry registry) {
    var metrics = new ConnectorMetrics(registry);
    var scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "smpp-scheduler");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    var receiver = new InboundReceiver(ports.reports(), ports.inbound(), config.inbound(), metrics);
    var dispatcher =
        new OutboxDispatcher(config.dispatcher(), ports.outbox(), config.routes(), scheduler);
    var binds = new ArrayList<SmscBind>();
    for (SmscConnectionConfig connection : config.connections()) {
      binds.add(
          new SmscBind(
              connection,
              config.dispatcher(),
              dispatcher,
              metrics,
              new ReceiverListener(connection, receiver)));
    }
    dispatcher.setBinds(binds);
    var connector = new SmppConnector(List.copyOf(binds), dispatcher, scheduler);
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            receiver.expire();
          } catch (RuntimeException e) {
            log.warn("Expiring inbound reassembly state failed: {}", e.toString());
          }
        },
        SWEEP_INTERVAL_MILLIS,
        SWEEP_INTERVAL_MILLIS,
        TimeUnit.MILLISECONDS);
    ports.outboxSignal().subscribe(dispatcher::wakeUp);
    binds.forEach(SmscBind::start);
    dispatcher.start();
    return connector;
  }

  /** Tells the dispatcher that outbox rows were added; cheap, callable from any thread. */
  public void wakeUp() {
    dispatcher.wakeUp();
  }

  /** The state of every connection, by name, in configuration order. */
  public Map<String, BindState> bindStates() {
    var states = new LinkedHashMap<String, BindState>();
    for (SmscBind bind : binds) {
      states.put(bind.config.name(), bind.state());
    }
    return states;
  }

  /**
   * Waits until every connection is bound (both sessions of a transmitter + receiver pair); true if
   * they all were within the timeout.
   */
  public boolean awaitBound(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (allBound()) {
        return true;
      }
      Thread.sleep(10);
    }
    return allBound();
  }

  private boolean allBound() {
    for (SmscBind bind : binds) {
      BindState state = bind.state();
      if (state != BindState.BOUND && state != BindState.PAUSED) {
        return false;
      }
    }
    return true;
  }

  /** Submits awaiting a response, over all connections. */
  public int inFlight() {
    return binds.stream().mapToInt(SmscBind::inFlight).sum();
  }

  /**
   * Stops claiming, waits for in-flight submits (at most the response timeout), gives queued
   * messages back to the outbox, unbinds and ends every thread it started.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    dispatcher.stopClaiming();
    var left = new ArrayList<SubmitJob>();
    for (SmscBind bind : binds) {
      left.addAll(bind.close());
    }
    dispatcher.releaseAll(left);
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
