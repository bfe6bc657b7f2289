package org.assemblypay.ussd;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.memory.InMemorySessionStore;
import org.assemblypay.ussd.menu.ActionResult;
import org.assemblypay.ussd.menu.Item;
import org.assemblypay.ussd.menu.MenuDefinition;
import org.assemblypay.ussd.menu.MenuLoader;

/** The test menu with counting actions, an in-memory store and a hand-moved clock. */
public final class TestMenu implements AutoCloseable {

  public static final MenuDefinition MENU =
      MenuLoader.loadResource(TestMenu.class, "/menus/test-menu.yaml");

  public final AtomicInteger payRuns = new AtomicInteger();
  public final java.util.concurrent.Semaphore payStarted = new java.util.concurrent.Semaphore(0);
  public final AtomicInteger greetRuns = new AtomicInteger();
  public final CountDownLatch slowGate = new CountDownLatch(1);
  public final CountDownLatch payGate;
  public final List<DeadlineMissed> deadlines = new ArrayList<>();
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final MovableClock clock = new MovableClock();
  public final SessionStore store;
  public final ExecutorService executor = Executors.newFixedThreadPool(4);
  public final UssdEngine engine;
  public int itemCount = 30;

  public TestMenu() {
    this(null, EngineConfig.DEFAULTS, null);
  }

  public TestMenu(SessionStore store, EngineConfig config, CountDownLatch payGate) {
    this.store =
        store != null
            ? store
            : new InMemorySessionStore(SessionStoreSettings.DEFAULTS, clock, registry);
    this.payGate = payGate;
    this.engine =
        UssdEngine.builder()
            .menu(MENU)
            .store(this.store)
            .actionExecutor(executor)
            .meterRegistry(registry)
            .config(config)
            .clock(clock)
            .listener(
                new EngineListener() {
                  @Override
                  public void onDeadlineMissed(DeadlineMissed event) {
                    synchronized (deadlines) {
                      deadlines.add(event);
                    }
                  }
                })
            .action(
                "greet",
                context -> {
                  greetRuns.incrementAndGet();
                  return ActionResult.show(Map.of("name", "Ama"));
                })
            .action(
                "pay",
                context -> {
                  payStarted.release();
                  if (this.payGate != null) {
                    this.payGate.await(10, TimeUnit.SECONDS);
                  }
                  payRuns.incrementAndGet();
                  return ActionResult.show(Map.of());
                })
            .action(
                "listItems",
                context -> {
                  List<Item> items = new ArrayList<>();
                  for (int i = 1; i <= itemCount; i++) {
                    items.add(new Item("Stall " + i + " rent GHS " + i + ".00", "s" + i));
                  }
                  return ActionResult.items(items, Map.of());
                })
            .action(
                "slow",
                context -> {
                  slowGate.await(10, TimeUnit.SECONDS);
                  return ActionResult.show(Map.of());
                })
            .build();
  }

  public double counter(String name, String... tags) {
    var search = registry.find(name).tags(tags);
    return search.counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    slowGate.countDown();
    executor.shutdownNow();
  }

  /** A clock tests move by hand. */
  public static final class MovableClock extends Clock {
    public volatile Instant now = Instant.parse("2026-11-21T10:00:00Z");

    public void advanceMillis(long millis) {
      now = now.plusMillis(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
