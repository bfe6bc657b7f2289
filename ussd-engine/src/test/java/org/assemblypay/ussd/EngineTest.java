package org.assemblypay.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.memory.InMemorySessionStore;
import org.assemblypay.ussd.menu.ActionResult;
import org.assemblypay.ussd.menu.MenuDefinition;
import org.assemblypay.ussd.menu.MenuLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine behaviour below the dialects: deadlines, failures, limits. */
class EngineTest {

  private static final Msisdn TRADER = Msisdn.parse("0244000001").orElseThrow();

  private TestMenu menu;

  @AfterEach
  void close() {
    if (menu != null) {
      menu.close();
    }
  }

  static UssdRequest hop(String sessionId, String input, boolean first, long sequence) {
    return new UssdRequest(
        "test",
        sessionId,
        TRADER,
        "*713*44#",
        "MTN",
        input,
        first,
        first ? "*713*44#" : "",
        OptionalLong.of(sequence),
        UssdRequest.InputStyle.SINGLE);
  }

  static UssdReply await(CompletionStage<UssdReply> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private UssdReply send(UssdRequest request) {
    return await(menu.engine.handle(request, ScreenBudget.DEFAULT));
  }

  @Test
  void anActionThatOverrunsTheDeadlineEndsPolitelyAndTellsTheCaller() {
    menu = new TestMenu(null, EngineConfig.DEFAULTS.withHopDeadlineMillis(150), null);
    send(hop("late-1", "", true, 1));
    UssdReply reply = send(hop("late-1", "4", false, 2));
    assertThat(reply)
        .isEqualTo(
            UssdReply.end(
                "Sorry, this is taking longer than expected. If anything is due, you will get"
                    + " an SMS."));
    assertThat(menu.deadlines).hasSize(1);
    DeadlineMissed event = menu.deadlines.get(0);
    assertThat(event.screen()).isEqualTo("slow");
    assertThat(event.action()).isEqualTo("slow");
    assertThat(event.msisdn()).isEqualTo(TRADER);
    assertThat(event.hopDeadlineMillis()).isEqualTo(150);
    // The aggregator retries: the END is replayed, the slow action is not started again.
    assertThat(send(hop("late-1", "4", false, 2))).isEqualTo(reply);
    assertThat(menu.deadlines).hasSize(1);
    assertThat(menu.counter("ussd.hops", "outcome", "deadline")).isEqualTo(1.0);
    assertThat(menu.counter("ussd.screen.dropoffs", "screen", "slow")).isEqualTo(1.0);
  }

  @Test
  void theCallingThreadIsNeverBlockedByAnAction() {
    menu = new TestMenu();
    send(hop("nb-1", "", true, 1));
    CompletableFuture<UssdReply> pending =
        menu.engine.handle(hop("nb-1", "4", false, 2), ScreenBudget.DEFAULT).toCompletableFuture();
    // handle() returned while the slow action still waits on its gate.
    assertThat(pending).isNotDone();
    menu.slowGate.countDown();
    assertThat(await(pending)).isEqualTo(UssdReply.end("Done"));
  }

  @Test
  void aContinuationForAnUnknownSessionEndsAndStoresNothing() {
    menu = new TestMenu();
    assertThat(send(hop("gone-1", "1", false, 3)))
        .isEqualTo(UssdReply.end("Your session has expired. Please dial again."));
    assertThat(menu.store.load("gone-1").toCompletableFuture().join()).isEmpty();
  }

  @Test
  void aStaleSequenceIsReplayedNotApplied() {
    menu = new TestMenu();
    UssdReply main = send(hop("seq-1", "", true, 1));
    UssdReply balance = send(hop("seq-1", "1", false, 2));
    assertThat(send(hop("seq-1", "1", false, 2))).isEqualTo(balance);
    assertThat(send(hop("seq-1", "", true, 1))).isEqualTo(balance);
    assertThat(send(hop("seq-1", "0", false, 3))).isEqualTo(main);
  }

  static UssdRequest africasTalking(String sessionId, String text) {
    return new UssdRequest(
        "africastalking",
        sessionId,
        TRADER,
        "*713*44#",
        "62001",
        text,
        text.isEmpty(),
        "",
        OptionalLong.empty(),
        UssdRequest.InputStyle.CUMULATIVE);
  }

  @Test
  void whenTheAggregatorsHistoryDisagreesItsLastSegmentIsTheInput() {
    menu = new TestMenu();
    UssdReply main = send(africasTalking("at-1", ""));
    assertThat(send(africasTalking("at-1", "1")).text()).startsWith("You owe");
    // The aggregator lost our "1" and sends another history: only the last input counts.
    assertThat(send(africasTalking("at-1", "2*0"))).isEqualTo(main);
    assertThat(send(africasTalking("at-1", "2*0*2"))).isEqualTo(UssdReply.proceed("Enter amount"));
  }

  @Test
  void actionsSeeTheNewestInputAndAKeyThatIsStableAcrossRetries() {
    java.util.List<org.assemblypay.ussd.menu.ActionContext> seen =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    UssdEngine engine =
        UssdEngine.builder()
            .menu(TestMenu.MENU)
            .store(
                new InMemorySessionStore(
                    SessionStoreSettings.DEFAULTS, java.time.Clock.systemUTC(), registry))
            .actionExecutor(Runnable::run)
            .meterRegistry(registry)
            .action("greet", c -> ActionResult.show(Map.of()))
            .action(
                "pay",
                c -> {
                  seen.add(c);
                  return ActionResult.show(Map.of());
                })
            .action("listItems", c -> ActionResult.show(Map.of()))
            .action("slow", c -> ActionResult.show(Map.of()))
            .build();
    for (String text : new String[] {"", "2", "2*5", "2*5*1"}) {
      await(engine.handle(africasTalking("ctx-1", text), ScreenBudget.DEFAULT));
    }
    assertThat(seen).hasSize(1);
    org.assemblypay.ussd.menu.ActionContext context = seen.get(0);
    assertThat(context.input()).isEqualTo("1");
    assertThat(context.msisdn()).isEqualTo("233244000001");
    assertThat(context.network()).isEqualTo("62001");
    assertThat(context.vars()).containsEntry("amount", "5.00");
    assertThat(context.screen()).isEqualTo("paid");
    assertThat(context.idempotencyKey()).isEqualTo("ctx-1:4:paid");
  }

  @Test
  void anActionThatFailsAfterItsDeadlineIsLoggedWithoutItsMessage() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService workers =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(UssdEngine.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      UssdEngine engine =
          UssdEngine.builder()
              .menu(TestMenu.MENU)
              .store(
                  new InMemorySessionStore(
                      SessionStoreSettings.DEFAULTS, java.time.Clock.systemUTC(), registry))
              .actionExecutor(workers)
              .meterRegistry(registry)
              .config(EngineConfig.DEFAULTS.withHopDeadlineMillis(100))
              .action("greet", c -> ActionResult.show(Map.of("name", "Ama")))
              .action("pay", c -> ActionResult.show(Map.of()))
              .action("listItems", c -> ActionResult.show(Map.of()))
              .action(
                  "slow",
                  c -> {
                    gate.await(10, TimeUnit.SECONDS);
                    throw new IllegalStateException("row 233244000001 refused");
                  })
              .build();
      await(engine.handle(hop("late-1", "", true, 1), ScreenBudget.DEFAULT));
      UssdReply reply = await(engine.handle(hop("late-1", "4", false, 2), ScreenBudget.DEFAULT));
      assertThat(reply.action()).isEqualTo(UssdReply.Action.END);
      gate.countDown();
      workers.shutdown();
      assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      java.util.List<String> lines =
          appender.list.stream()
              .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
              .filter(line -> line.contains("failed after"))
              .toList();
      assertThat(lines)
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains("action slow on screen slow failed after the 100 ms deadline")
                      .contains("java.lang.IllegalStateException")
                      .doesNotContain("233244000001")
                      .doesNotContain("refused"));
    } finally {
      logger.detachAppender(appender);
      gate.countDown();
      workers.shutdownNow();
    }
  }

  @Test
  void aHopContinuesOnTheCallersExecutorOnceItsSessionIsLoaded() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    java.util.concurrent.ExecutorService caller =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "caller-loop"));
    java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger tasks = new AtomicInteger();
    try {
      UssdEngine engine =
          UssdEngine.builder()
              .menu(TestMenu.MENU)
              .store(
                  new InMemorySessionStore(
                      SessionStoreSettings.DEFAULTS, java.time.Clock.systemUTC(), registry))
              .actionExecutor(Runnable::run)
              .callerExecutor(
                  () ->
                      task -> {
                        tasks.incrementAndGet();
                        caller.execute(task);
                      })
              .meterRegistry(registry)
              .action(
                  "greet",
                  c -> {
                    threads.add(Thread.currentThread().getName());
                    return ActionResult.show(Map.of());
                  })
              .action("pay", c -> ActionResult.show(Map.of()))
              .action("listItems", c -> ActionResult.show(Map.of()))
              .action("slow", c -> ActionResult.show(Map.of()))
              .build();
      UssdReply first = await(engine.handle(hop("caller-1", "", true, 1), ScreenBudget.DEFAULT));
      UssdReply direct =
          await(
              UssdEngine.builder()
                  .menu(TestMenu.MENU)
                  .store(
                      new InMemorySessionStore(
                          SessionStoreSettings.DEFAULTS, java.time.Clock.systemUTC(), registry))
                  .actionExecutor(Runnable::run)
                  .meterRegistry(new SimpleMeterRegistry())
                  .action("greet", c -> ActionResult.show(Map.of()))
                  .action("pay", c -> ActionResult.show(Map.of()))
                  .action("listItems", c -> ActionResult.show(Map.of()))
                  .action("slow", c -> ActionResult.show(Map.of()))
                  .build()
                  .handle(hop("caller-2", "", true, 1), ScreenBudget.DEFAULT));
      assertThat(first).isEqualTo(direct);
      assertThat(tasks.get()).isEqualTo(1);
      assertThat(threads).containsExactly("caller-loop");
    } finally {
      caller.shutdownNow();
    }
  }

  @Test
  void aFailingActionEndsPolitely() {
    MenuDefinition menuDefinition = TestMenu.MENU;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SessionStore store =
        new InMemorySessionStore(
            SessionStoreSettings.DEFAULTS, java.time.Clock.systemUTC(), registry);
    UssdEngine engine =
        UssdEngine.builder()
            .menu(menuDefinition)
            .store(store)
            .actionExecutor(Runnable::run)
            .meterRegistry(registry)
            .action(
                "greet",
                context -> {
                  throw new java.sql.SQLException("database down");
                })
            .action("pay", context -> ActionResult.show(Map.of()))
            .action("listItems", context -> ActionResult.show(Map.of()))
            .action("slow", context -> ActionResult.show(Map.of()))
            .build();
    assertThat(await(engine.handle(hop("fail-1", "", true, 1), ScreenBudget.DEFAULT)))
        .isEqualTo(
            UssdReply.end("Sorry, the service is not available now. Please try again later."));
    assertThat(registry.get("ussd.hops").tag("outcome", "error").counter().count()).isEqualTo(1);
  }

  @Test
  void aFullActionExecutorEndsWithBusy() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    UssdEngine engine =
        UssdEngine.builder()
            .menu(TestMenu.MENU)
            .store(
                new InMemorySessionStore(
                    SessionStoreSettings.DEFAULTS, java.time.Clock.systemUTC(), registry))
            .actionExecutor(
                task -> {
                  throw new java.util.concurrent.RejectedExecutionException("full");
                })
            .meterRegistry(registry)
            .actions(
                Map.of(
                    "greet", c -> ActionResult.show(Map.of()),
                    "pay", c -> ActionResult.show(Map.of()),
                    "listItems", c -> ActionResult.show(Map.of()),
                    "slow", c -> ActionResult.show(Map.of())))
            .build();
    assertThat(await(engine.handle(hop("busy-1", "", true, 1), ScreenBudget.DEFAULT)))
        .isEqualTo(UssdReply.end("The service is busy. Please try again shortly."));
  }

  @Test
  void aStoreAtCapacityEndsWithBusy() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InMemorySessionStore store =
        new InMemorySessionStore(
            SessionStoreSettings.DEFAULTS.withMaxSessions(1),
            java.time.Clock.systemUTC(),
            registry);
    menu = new TestMenu(store, EngineConfig.DEFAULTS, null);
    assertThat(send(hop("cap-1", "", true, 1)).ends()).isFalse();
    assertThat(send(hop("cap-2", "", true, 1)))
        .isEqualTo(UssdReply.end("The service is busy. Please try again shortly."));
  }

  @Test
  void aStoreThatFailsEndsPolitelyInsteadOfThrowing() {
    AtomicInteger calls = new AtomicInteger();
    SessionStore broken =
        (SessionStore)
            java.lang.reflect.Proxy.newProxyInstance(
                SessionStore.class.getClassLoader(),
                new Class<?>[] {SessionStore.class},
                (proxy, method, args) -> {
                  calls.incrementAndGet();
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  return CompletableFuture.failedFuture(
                      new IllegalStateException("connection refused"));
                });
    menu = new TestMenu(broken, EngineConfig.DEFAULTS, null);
    assertThat(send(hop("broken-1", "", true, 1)))
        .isEqualTo(
            UssdReply.end("Sorry, the service is not available now. Please try again later."));
    assertThat(calls).hasPositiveValue();
  }

  @Test
  void aMenuNamingAnUnsuppliedActionIsRefusedAtBuild() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                UssdEngine.builder()
                    .menu(TestMenu.MENU)
                    .store(
                        new InMemorySessionStore(
                            SessionStoreSettings.DEFAULTS,
                            java.time.Clock.systemUTC(),
                            new SimpleMeterRegistry()))
                    .actionExecutor(Runnable::run)
                    .meterRegistry(new SimpleMeterRegistry())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("greet");
  }

  @Test
  void directDialPathIsWhatFollowsTheServiceCode() {
    assertThat(UssdEngine.directDialPath("*713*44#", "*713*44*2#")).containsExactly("2");
    assertThat(UssdEngine.directDialPath("*713*44#", "*713*44*1*3#")).containsExactly("1", "3");
    assertThat(UssdEngine.directDialPath("*713*44#", "*713*44#")).isEmpty();
    assertThat(UssdEngine.directDialPath("*713*44#", "*713*45*2#")).isEmpty();
    assertThat(UssdEngine.directDialPath("", "*713*44*2#")).isEmpty();
  }

  @Test
  void theMenuLoaderRejectsBrokenMenus() {
    String broken =
        """
        start: main
        screens:
          main:
            text: t
            options:
              - {label: a, next: nowhere}
          both:
            text: t
            end: true
            input: {var: x}
        """;
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                MenuLoader.load(
                    new java.io.ByteArrayInputStream(
                        broken.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    "broken.yaml"))
        .hasMessageContaining("unknown screen 'nowhere'")
        .hasMessageContaining("'both' mixes");
  }
}
