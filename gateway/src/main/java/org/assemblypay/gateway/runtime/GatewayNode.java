package org.assemblypay.gateway.runtime;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assemblypay.gateway.admin.AdminCredential;
import org.assemblypay.gateway.admin.AdminRole;
import org.assemblypay.gateway.admin.AdminRoutes;
import org.assemblypay.gateway.admin.AdminSettings;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.gateway.health.Readiness;
import org.assemblypay.gateway.health.ReadinessCheck;
import org.assemblypay.gateway.http.DashboardRoutes;
import org.assemblypay.gateway.http.GatewayHttpServer;
import org.assemblypay.gateway.http.HealthRoutes;
import org.assemblypay.gateway.http.PaymentCallbackRoutes;
import org.assemblypay.gateway.http.Routes;
import org.assemblypay.gateway.http.SimulatorRoutes;
import org.assemblypay.gateway.http.UssdRoutes;
import org.assemblypay.gateway.jobs.AccrualScheduler;
import org.assemblypay.gateway.payments.PaymentsConfig;
import org.assemblypay.gateway.payments.PaymentsWiring;
import org.assemblypay.gateway.sms.SimulatorSmsRoutes;
import org.assemblypay.gateway.sms.SmsWiring;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.menus.Translations;
import org.assemblypay.menus.collector.SmsCommands;
import org.assemblypay.menus.sms.ReceiptNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway node: every part built from the configuration, wired by hand, and closed in
 * the reverse order. The only place that knows all modules.
 */
public final class GatewayNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayNode.class);
  private static final int WORKER_QUEUE_BOUND = 2_000;

  /** The number the demo's browser phone sends collector commands to. */
  public static final String DEMO_SHORT_CODE = "1411";

  private final List<AutoCloseable> closeInReverse = new ArrayList<>();
  private PrometheusMeterRegistry registry;
  private Ledger ledger;
  private GatewayHttpServer http;
  private Runnable backgroundJobs = () -> {};
  private boolean backgroundJobsStarted;

  /** What differs between {@code run} and {@code demo}. */
  public record Options(boolean demo) {}

  private GatewayNode(GatewayConfig config, Options options) throws Exception {
    try {
      startParts(config, options);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private void startParts(GatewayConfig config, Options options) throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    closeInReverse.add(gc);

    GatewayConfig.Database db = config.database();
    PaymentsConfig paymentsConfig =
        options.demo() ? PaymentsWiring.demoConfig(config.payments()) : config.payments();
    ledger =
        Ledger.open(
            paymentsConfig.ledgerSettings(
                LedgerSettings.of(db.url(), db.user(), db.password())
                    .withMaxPoolSizePerDatabase(db.poolSize())));
    closeInReverse.add(ledger);

    ExecutorService workers =
        BoundedWorkers.create(
            "gateway-workers", config.http().workerPoolSize(), WORKER_QUEUE_BOUND, registry);
    closeInReverse.add(() -> shutdown(workers));

    Vertx vertx = Vertx.vertx();
    closeInReverse.add(
        () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));

    Clock clock = Clock.systemUTC();
    Translations translations = Translations.load();
    ScheduledExecutorService scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "gateway-scheduler");
              t.setDaemon(true);
              return t;
            });
    closeInReverse.add(scheduler::shutdownNow);
    PaymentsWiring payments =
        PaymentsWiring.create(
            paymentsConfig,
            ledger,
            code -> receiptNotifier(ledger, translations, code),
            scheduler,
            registry,
            clock);
    closeInReverse.add(payments);

    SmsCommands smsCommands = new SmsCommands(ledger, translations, clock, registry);
    SmsWiring sms = null;
    if (options.demo()) {
      sms =
          SmsWiring.demo(
              config.smsc(), config.database(), ledger, smsCommands::handle, registry, clock);
    } else if (!config.smsc().connections().isEmpty()) {
      sms =
          SmsWiring.start(
              config.smsc(), config.database(), ledger, smsCommands::handle, registry, clock);
    } else {
      log.warn("no SMSC connections configured: SMS receipts stay queued in the outbox");
    }
    if (sms != null) {
      closeInReverse.add(sms);
    }

    UssdWiring ussd =
        new UssdWiring(config, ledger, payments, translations, workers, registry, clock);
    closeInReverse.add(ussd.store);
    scheduler.scheduleWithFixedDelay(ussd.screens::flush, 5, 5, TimeUnit.SECONDS);
    closeInReverse.add(ussd.screens::flush);

    List<ReadinessCheck> checks = new ArrayList<>();
    checks.add(databaseCheck(ledger));
    checks.add(ussd.readiness());
    if (sms != null) {
      checks.add(sms.readiness());
    }
    Readiness readiness = new Readiness(checks, workers, 2_000);

    List<Routes> routes = new ArrayList<>();
    routes.add(new HealthRoutes(vertx, readiness, registry));
    routes.add(new UssdRoutes(vertx, ussd.front));
    routes.add(new PaymentCallbackRoutes(payments.service()));
    routes.add(new DashboardRoutes());
    routes.add(
        new AdminRoutes(
            vertx,
            ledger,
            credentials(config.admin()),
            workers,
            registry,
            adminSettings(config.admin())));
    if (options.demo() && sms != null && sms.simulator().isPresent()) {
      routes.add(new SimulatorSmsRoutes(sms.simulator().get(), DEMO_SHORT_CODE));
      routes.add(new SimulatorRoutes());
    }
    http = GatewayHttpServer.start(vertx, config.http().host(), config.http().port(), routes);
    closeInReverse.add(http);
    AccrualScheduler accrual =
        config.accrual().enabled()
            ? new AccrualScheduler(config.accrual(), ledger, mainDatabase(db), registry, clock)
            : null;
    if (accrual != null) {
      closeInReverse.add(accrual);
    } else {
      log.info("daily charge accrual is off on this node (accrual.enabled: false)");
    }
    backgroundJobs =
        () -> {
          payments.startPolling();
          if (accrual != null) {
            accrual.start();
          }
        };
    if (!options.demo()) {
      startBackgroundJobs();
    }
    log.info("gateway node listening port={} demo={}", http.port(), options.demo());
  }

  /**
   * Starts the payment poller and the daily accrual. A {@code run} node does this itself once it
   * listens; the demo calls it after seeding, so no job meets a half-registered assembly.
   */
  public synchronized void startBackgroundJobs() {
    if (!backgroundJobsStarted) {
      backgroundJobsStarted = true;
      backgroundJobs.run();
    }
  }

  private static AccrualScheduler.MainDatabase mainDatabase(GatewayConfig.Database db) {
    return () -> {
      java.util.Properties p = new java.util.Properties();
      if (db.user() != null) {
        p.setProperty("user", db.user());
      }
      if (db.password() != null) {
        p.setProperty("password", db.password());
      }
      p.setProperty(
          "connectTimeout", Integer.toString(Math.max(1, db.connectionTimeoutMillis() / 1000)));
      p.setProperty("ApplicationName", "gateway-accrual");
      return java.sql.DriverManager.getConnection(db.url(), p);
    };
  }

  /** Builds and starts a node; on failure everything already started is closed again. */
  public static GatewayNode start(GatewayConfig config, Options options) throws Exception {
    return new GatewayNode(config, options);
  }

  private static Notifier receiptNotifier(Ledger ledger, Translations translations, String code) {
    // Called for every settlement: the ledger's in-memory snapshot, not a registry query.
    return ReceiptNotifier.forAssembly(translations, ledger.assembly(code).assembly());
  }

  private static List<AdminCredential> credentials(GatewayConfig.Admin admin) {
    return admin.credentials().stream()
        .map(
            c ->
                new AdminCredential(
                    c.name(), c.keySha256(), AdminRole.ofConfigName(c.role()), c.assembly()))
        .toList();
  }

  private static AdminSettings adminSettings(GatewayConfig.Admin admin) {
    AdminSettings d = AdminSettings.defaults();
    return new AdminSettings(
        admin.requestsPerSecond(),
        admin.burst(),
        d.maxJsonBodyBytes(),
        d.maxImportBodyBytes(),
        d.maxPendingReversals(),
        d.pendingReversalTtlSeconds());
  }

  private static ReadinessCheck databaseCheck(Ledger ledger) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "database";
      }

      @Override
      public String check() {
        return ledger.assemblies().list().size() + " assemblies";
      }
    };
  }

  private static void shutdown(ExecutorService pool) throws InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
      pool.shutdownNow();
    }
  }

  public int httpPort() {
    return http.port();
  }

  public Ledger ledger() {
    return ledger;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    for (int i = closeInReverse.size() - 1; i >= 0; i--) {
      try {
        closeInReverse.get(i).close();
      } catch (Exception e) {
        log.warn("part did not close cleanly: {}", e.toString());
      }
    }
    closeInReverse.clear();
  }
}
