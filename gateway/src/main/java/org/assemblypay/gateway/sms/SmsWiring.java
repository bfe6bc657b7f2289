package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.gateway.health.ReadinessCheck;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.smpp.BindState;
import org.assemblypay.smpp.InboundSettings;
import org.assemblypay.smpp.Route;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.SmppPorts;
import org.assemblypay.smpp.SmscConnectionConfig;
import org.assemblypay.smpp.jsmpp.SmppConnector;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the SMS side of a node from configuration: the ledger adapters (outbox, delivery reports,
 * inbound), the PostgreSQL outbox listener and the SMPP connector; in demo mode also an in-process
 * SMSC simulator the connector binds to. Close it before the ledger.
 */
public final class SmsWiring implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmsWiring.class);
  private static final String DEMO_SYSTEM_ID = "gateway";

  private final SmppConnector connector;
  private final OutboxWakeUps wakeUps;
  private final PostgresOutboxListener listener;
  private final ThreadPoolExecutor handlerPool;
  private final Optional<SmscSimulator> simulator;
  private final LedgerOutbox outbox;
  private final LedgerDeliveryReports reports;
  private final SmsRecovery recovery;

  private SmsWiring(
      SmppConnector connector,
      OutboxWakeUps wakeUps,
      PostgresOutboxListener listener,
      ThreadPoolExecutor handlerPool,
      Optional<SmscSimulator> simulator,
      LedgerOutbox outbox,
      LedgerDeliveryReports reports,
      SmsRecovery recovery) {
    this.recovery = recovery;
    this.connector = connector;
    this.wakeUps = wakeUps;
    this.listener = listener;
    this.handlerPool = handlerPool;
    this.simulator = simulator;
    this.outbox = outbox;
    this.reports = reports;
  }

  /**
   * Starts SMS on a node: binds every configured connection (asynchronously), listens for outbox
   * notifications and starts draining the served assemblies' outboxes.
   *
   * @param config the {@code smsc} section; needs at least one connection
   * @param database where the ledger's main database is (the listener opens its own connection)
   * @param ledger the ledger, already open
   * @param commands runs stored inbound commands, e.g. {@code smsCommands::handle}
   */
  public static SmsWiring start(
      SmsConfig config,
      GatewayConfig.Database database,
      Ledger ledger,
      InboundCommandHandler commands,
      MeterRegistry registry,
      Clock clock) {
    if (config.connections().isEmpty()) {
      throw new IllegalArgumentException("smsc.connections is empty: SMS needs an SMSC");
    }
    return build(config, database, ledger, commands, registry, clock, Optional.empty());
  }

  /**
   * Demo mode: starts an SMSC simulator on an ephemeral 127.0.0.1 port and binds one connection to
   * it, in place of any configured connection. The simulator backs {@link SimulatorSmsRoutes}.
   */
  public static SmsWiring demo(
      SmsConfig config,
      GatewayConfig.Database database,
      Ledger ledger,
      InboundCommandHandler commands,
      MeterRegistry registry,
      Clock clock) {
    String password = UUID.randomUUID().toString().substring(0, 8);
    SmscSimulator smsc;
    try {
      smsc = SmscSimulator.start(SimulatorConfig.defaults(DEMO_SYSTEM_ID, password));
    } catch (IOException e) {
      throw new UncheckedIOException("SMSC simulator did not start", e);
    }
    try {
      var connection =
          new SmsConfig.Connection(
              "simulator",
              "127.0.0.1",
              smsc.port(),
              DEMO_SYSTEM_ID,
              password,
              null,
              null,
              10,
              -1,
              0,
              2_000,
              2_000,
              100,
              2_000,
              null,
              null,
              null,
              null,
              null);
      SmsConfig demoConfig =
          config
              .withConnections(List.of(connection))
              .withDispatcher(
                  new SmsConfig.Dispatcher(0, 0, 200, 0, 500, 500, 1_000, null, 100, 2_000, 0));
      return build(demoConfig, database, ledger, commands, registry, clock, Optional.of(smsc));
    } catch (RuntimeException | Error e) {
      closeQuietly(smsc);
      throw e;
    }
  }

  private static SmsWiring build(
      SmsConfig config,
      GatewayConfig.Database database,
      Ledger ledger,
      InboundCommandHandler commands,
      MeterRegistry registry,
      Clock clock,
      Optional<SmscSimulator> simulator) {
    var assemblies =
        new ServedAssemblies(ledger, config.servedAssemblies(), config.assemblyRefreshMillis());
    var index = new MessageIdIndex(config.messageIdCacheSize());
    var wakeUps = new OutboxWakeUps();
    var reports =
        new LedgerDeliveryReports(ledger, assemblies, index, config.recovery(), clock, registry);
    var outbox =
        new LedgerOutbox(
            ledger,
            assemblies,
            index,
            config.claimPerAssemblyMax(),
            config.dispatcher().toSettings().pollIntervalMillis(),
            clock,
            registry,
            reports.parked()::submitted);
    // Subscribed before the connector, so a wake-up first makes every assembly eligible again.
    wakeUps.subscribe(outbox::rowsAdded);
    ThreadPoolExecutor pool = handlerPool(config);
    ExecutorService monitored =
        ExecutorServiceMetrics.monitor(registry, pool, "sms-commands", List.of());
    var inbound =
        new LedgerInbound(
            ledger,
            assemblies,
            config.inboundNumbers(),
            monitored,
            commands,
            wakeUps::fire,
            config.recovery().inboundLeaseSeconds(),
            registry);
    var recovery =
        new SmsRecovery(
            ledger, assemblies, config.recovery(), commands, wakeUps::fire, clock, registry);
    List<Assembly> known = assemblies.all();
    SmppConnector connector = null;
    PostgresOutboxListener listener = null;
    try {
      listener =
          new PostgresOutboxListener(
              listenTargets(database, known), config.notifyChannel(), wakeUps::fire, registry);
      SmppConnectorConfig connectorConfig =
          new SmppConnectorConfig(
              connections(config, known),
              routes(config),
              config.dispatcher().toSettings(),
              InboundSettings.defaults());
      connector =
          SmppConnector.start(
              connectorConfig, new SmppPorts(outbox, wakeUps, reports, inbound), registry);
      log.info(
          "SMS started connections={} assemblies={} demo={}",
          config.connections().size(),
          known.size(),
          simulator.isPresent());
      reports.parked().assignSmsc(config.connections());
      recovery.start();
      reports.parked().start();
      return new SmsWiring(
          connector, wakeUps, listener, pool, simulator, outbox, reports, recovery);
    } catch (RuntimeException | Error e) {
      if (connector != null) {
        connector.close();
      }
      if (listener != null) {
        listener.close();
      }
      pool.shutdownNow();
      recovery.close();
      outbox.close();
      reports.close();
      throw e;
    }
  }

  private static ThreadPoolExecutor handlerPool(SmsConfig config) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        config.handlerThreads(),
        config.handlerThreads(),
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(config.handlerQueueBound()),
        r -> {
          Thread t = new Thread(r, "sms-commands-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        (task, pool) -> {
          if (pool.isShutdown()) {
            log.warn("SMS command stored but not run: the node is stopping");
          } else {
            task.run();
          }
        });
  }

  private static List<PostgresOutboxListener.Target> listenTargets(
      GatewayConfig.Database database, List<Assembly> assemblies) {
    Set<String> urls = new LinkedHashSet<>();
    urls.add(database.url());
    for (Assembly a : assemblies) {
      a.ownJdbcUrl().ifPresent(urls::add);
    }
    List<PostgresOutboxListener.Target> targets = new ArrayList<>();
    for (String url : urls) {
      targets.add(new PostgresOutboxListener.Target(url, database.user(), database.password()));
    }
    return targets;
  }

  private static List<SmscConnectionConfig> connections(SmsConfig config, List<Assembly> known) {
    Map<String, String> senderIds = new HashMap<>();
    for (Assembly a : known) {
      if (a.smsSenderId() != null && !a.smsSenderId().isBlank()) {
        senderIds.put(a.code(), a.smsSenderId());
      }
    }
    List<SmscConnectionConfig> out = new ArrayList<>();
    for (SmsConfig.Connection c : config.connections()) {
      out.add(
          SmscConnectionConfig.builder(c.name(), c.host(), c.port(), c.systemId(), c.password())
              .systemType(c.systemType())
              .bindMode(c.bindMode())
              .windowSize(c.windowSize())
              .messagesPerSecond(Math.max(0, c.messagesPerSecond()))
              .enquireLinkIntervalMillis(c.enquireLinkIntervalMillis())
              .responseTimeoutMillis(c.responseTimeoutMillis())
              .bindTimeoutMillis(c.bindTimeoutMillis())
              .reconnectBackoffMillis(c.reconnectMinMillis(), c.reconnectMaxMillis())
              .defaultSenderId(c.defaultSenderId())
              .senderIdByAssembly(senderIds)
              .concatenation(c.concatenation())
              .messageIdFormats(c.submitRespIdFormat(), c.receiptIdFormat())
              .smsc(c.smscIdentity())
              .build());
    }
    return out;
  }

  private static List<Route> routes(SmsConfig config) {
    return config.routes().stream()
        .map(
            r ->
                new Route(
                    r.assembly().equals(Route.ANY_ASSEMBLY)
                        ? Route.ANY_ASSEMBLY
                        : r.assembly().trim().toUpperCase(java.util.Locale.ROOT),
                    r.prefix(),
                    r.connections()))
        .toList();
  }

  /**
   * Tells the dispatcher that SMS were just queued on this node, so it need not wait for a database
   * notification or the next poll. Cheap; any thread.
   */
  public void outboxChanged() {
    wakeUps.fire();
  }

  /** The state of every SMSC connection, by name. */
  public Map<String, BindState> bindStates() {
    return connector.bindStates();
  }

  /** The demo's SMSC simulator; empty outside demo mode. */
  public Optional<SmscSimulator> simulator() {
    return simulator;
  }

  /** The connector, for tests and benchmarks that wait for the binds. */
  public SmppConnector connector() {
    return connector;
  }

  /** Ready when at least one SMSC connection is bound (the routes fail over to it). */
  public ReadinessCheck readiness() {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "smsc";
      }

      @Override
      public String check() {
        Map<String, BindState> states = connector.bindStates();
        String description = states.toString();
        boolean anyBound =
            states.values().stream().anyMatch(s -> s == BindState.BOUND || s == BindState.PAUSED);
        if (!anyBound) {
          throw new IllegalStateException("no SMSC connection bound: " + description);
        }
        return description;
      }
    };
  }

  /** Runs one recovery sweep now (for tests; the node sweeps on its own schedule). */
  void sweepRecovery() {
    recovery.sweep();
  }

  /** Runs one sweep of the parked delivery reports now (for tests; the node sweeps on its own). */
  ParkedReports.Outcome sweepParkedReports() {
    return reports.parked().sweep();
  }

  /** Parts (SMSC, message id) this node remembers having parked (for tests). */
  java.util.Set<org.assemblypay.ledger.SmscMessageId> parkedHere() {
    return reports.parked().parkedHere();
  }

  /** Rows claimed by this node whose outcome is not yet written (for tests). */
  int heldRows() {
    return outbox.held();
  }

  /**
   * Stops claiming, lets in-flight submits finish and gives queued rows back to the outbox, then
   * lets the outcome and report writers commit what they hold, then lets running commands finish,
   * then stops listening and the simulator.
   */
  @Override
  public void close() {
    recovery.close();
    connector.close();
    // The connector has written its last outcomes; the writers finish what is queued.
    outbox.close();
    reports.close();
    handlerPool.shutdown();
    try {
      if (!handlerPool.awaitTermination(10, TimeUnit.SECONDS)) {
        handlerPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    listener.close();
    simulator.ifPresent(SmsWiring::closeQuietly);
  }

  private static void closeQuietly(SmscSimulator smsc) {
    try {
      smsc.close();
    } catch (IOException e) {
      log.warn("SMSC simulator did not close cleanly: {}", e.toString());
    }
  }
}
