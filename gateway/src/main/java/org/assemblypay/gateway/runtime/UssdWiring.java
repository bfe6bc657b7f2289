package org.assemblypay.gateway.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.assemblypay.gateway.admin.UssdScreenCounters;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.gateway.health.ReadinessCheck;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.menus.Translations;
import org.assemblypay.menus.trader.PaymentRequests;
import org.assemblypay.menus.trader.TraderMenu;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.memory.InMemorySessionStore;
import org.assemblypay.session.redis.RedisSessionStore;
import org.assemblypay.session.redis.RedisSessionStoreConfig;
import org.assemblypay.ussd.DeadlineMissed;
import org.assemblypay.ussd.EngineConfig;
import org.assemblypay.ussd.EngineListener;
import org.assemblypay.ussd.PhoneRateLimit;
import org.assemblypay.ussd.ScreenBudget;
import org.assemblypay.ussd.UssdEngine;
import org.assemblypay.ussd.dialect.AggregatorConfig;
import org.assemblypay.ussd.dialect.Dialects;
import org.assemblypay.ussd.dialect.UssdFront;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the USSD side of a node from configuration: session store, engine, trader menu, front. */
final class UssdWiring {
  private static final Logger log = LoggerFactory.getLogger(UssdWiring.class);
  private static final int MAX_SCREEN_COUNTERS = 10_000;

  final SessionStore store;
  final UssdEngine engine;
  final UssdFront front;

  /** USSD sessions and drop-off per screen, counted in memory and flushed to each ledger. */
  final UssdScreenCounters screens;

  UssdWiring(
      GatewayConfig config,
      Ledger ledger,
      PaymentRequests payments,
      Translations translations,
      ExecutorService actionWorkers,
      MeterRegistry registry,
      Clock clock) {
    store = sessionStore(config.sessions(), registry, clock);
    TraderMenu menu = TraderMenu.create(ledger, payments, translations, clock);
    screens =
        new UssdScreenCounters(
            ledger,
            new FollowUpSms(ledger, translations, actionWorkers),
            clock,
            MAX_SCREEN_COUNTERS,
            registry);
    engine =
        UssdEngine.builder()
            .menu(menu.definition())
            .actions(menu.actions())
            .messages(translations)
            .store(store)
            .actionExecutor(actionWorkers)
            .callerExecutor(UssdWiring::callerContext)
            .meterRegistry(registry)
            .config(EngineConfig.DEFAULTS.withHopDeadlineMillis(config.ussd().hopDeadlineMillis()))
            .listener(screens)
            .clock(clock)
            .build();
    front =
        new UssdFront(
            engine,
            aggregators(config.aggregators()),
            Dialects.standard(),
            new PhoneRateLimit(
                Math.max(0, config.ussd().maxHopsPerPhonePerMinute()),
                config.ussd().maxRateLimitedPhones(),
                clock));
  }

  static SessionStore sessionStore(
      GatewayConfig.Sessions sessions, MeterRegistry registry, Clock clock) {
    SessionStoreSettings settings =
        new SessionStoreSettings(
            sessions.ttlSeconds(), sessions.resumeWindowSeconds(), sessions.maxSessions());
    return switch (sessions.store()) {
      case "memory" -> new InMemorySessionStore(settings, clock, registry);
      case "redis" ->
          RedisSessionStore.connect(
              (sessions.redisClusterSeeds().isEmpty()
                      ? RedisSessionStoreConfig.standalone(sessions.redisUrl())
                      : RedisSessionStoreConfig.cluster(sessions.redisClusterSeeds()))
                  .withSettings(settings)
                  .withConnect(
                      sessions.redisConnectTimeoutMillis(), sessions.redisConnectAttempts()));
      default ->
          throw new IllegalArgumentException(
              "sessions.store must be memory or redis, not " + sessions.store());
    };
  }

  private static List<AggregatorConfig> aggregators(List<GatewayConfig.Aggregator> configured) {
    return configured.stream()
        .map(
            a ->
                new AggregatorConfig(
                    a.name(),
                    a.dialect(),
                    a.secretHeader(),
                    Optional.ofNullable(a.sharedSecret()),
                    new HashSet<>(a.allowedSources()),
                    new ScreenBudget(a.gsmScreenChars(), a.ucs2ScreenChars()),
                    a.maxBodyBytes(),
                    a.serviceCode(),
                    a.secretQueryParam()))
        .toList();
  }

  ReadinessCheck readiness() {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "sessionStore";
      }

      @Override
      public String check() throws Exception {
        store.ping().toCompletableFuture().get(1, TimeUnit.SECONDS);
        return "ok";
      }
    };
  }

  /**
   * When starting a payment overran the hop deadline, the trader saw a polite END but the request
   * may still go through: tell them by SMS what to expect, in their language.
   */
  private static final class FollowUpSms implements EngineListener {
    private final Ledger ledger;
    private final Translations translations;
    private final ExecutorService workers;

    FollowUpSms(Ledger ledger, Translations translations, ExecutorService workers) {
      this.ledger = ledger;
      this.translations = translations;
      this.workers = workers;
    }

    @Override
    public void onDeadlineMissed(DeadlineMissed event) {
      if (!"trader.start_payment".equals(event.action())) {
        return;
      }
      // The engine calls this on the thread that fired the deadline (the JDK's single timer
      // thread for every hop's deadline): the database work goes to the bounded workers.
      try {
        workers.execute(() -> queue(event));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        log.warn("follow-up SMS after a missed deadline not queued: workers full");
      }
    }

    private void queue(DeadlineMissed event) {
      String assemblyCode = event.vars().get("assemblyCode");
      try {
        Optional<Assembly> assembly = ledger.assemblies().find(assemblyCode);
        if (assembly.isEmpty()) {
          return;
        }
        String language = event.language() == null ? "en" : event.language();
        String text =
            translations.render(
                "sms_deadline_payment",
                language,
                Map.of(
                    "sender", assembly.get().smsSenderId(),
                    "ussd", assembly.get().ussdServiceCodes().get(0)));
        ledger
            .assembly(assemblyCode)
            .enqueueSms(
                new OutboundSmsDraft(
                    event.msisdn().value(), text, Language.ofCode(language), event.sessionId()));
      } catch (RuntimeException e) {
        log.warn("follow-up SMS after a missed deadline not queued: {}", e.toString());
      }
    }
  }

  /**
   * The Vert.x context of the calling thread as an executor (the request's event loop), or null off
   * Vert.x: a hop's engine work then continues there instead of on the Redis client's one I/O
   * thread.
   */
  private static java.util.concurrent.Executor callerContext() {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context == null) {
      return null;
    }
    return task -> context.runOnContext(v -> task.run());
  }
}
