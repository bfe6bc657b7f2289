package org.assemblypay.gateway.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.UssdScreenCount;
import org.assemblypay.ussd.DeadlineMissed;
import org.assemblypay.ussd.EngineListener;
import org.assemblypay.ussd.ScreenHop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts USSD hops per service code, day (UTC) and screen in memory — two atomic increments per
 * hop, no I/O — and adds the counts to each assembly's {@code ussd_screen_stats} when {@link
 * #flush()} runs (every few seconds on the node's scheduler, and at shutdown). Other events go to
 * the wrapped listener.
 */
public final class UssdScreenCounters implements EngineListener {
  private static final Logger log = LoggerFactory.getLogger(UssdScreenCounters.class);
  private static final int MAX_SCREEN_LENGTH = 64;

  private record Key(String serviceCode, LocalDate day, String screen) {}

  /** Started, shown, answered, ended. */
  private static final class Counts {
    final AtomicLong started = new AtomicLong();
    final AtomicLong shown = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong ended = new AtomicLong();
  }

  private final Ledger ledger;
  private final EngineListener delegate;
  private final Clock clock;
  private final int maxKeys;
  private final Map<Key, Counts> counts = new ConcurrentHashMap<>();
  private final Counter overflow;
  private final Counter unknownCode;
  private final Counter flushFailures;

  /** {@code maxKeys} bounds the in-memory map (service codes × days × screens). */
  public UssdScreenCounters(
      Ledger ledger, EngineListener delegate, Clock clock, int maxKeys, MeterRegistry registry) {
    this.ledger = ledger;
    this.delegate = delegate;
    this.clock = clock;
    this.maxKeys = maxKeys;
    Gauge.builder("ussd.screen.counters.keys", counts, Map::size)
        .description("USSD screen counters held in memory until the next flush")
        .register(registry);
    Gauge.builder("ussd.screen.counters.max", () -> maxKeys)
        .description("The bound on USSD screen counters held in memory")
        .register(registry);
    overflow =
        Counter.builder("ussd.screen.counters.overflow")
            .description("USSD hops not counted because the in-memory counter map was full")
            .register(registry);
    unknownCode =
        Counter.builder("ussd.screen.counters.unknown.code")
            .description("USSD screen counts dropped because no assembly owns the service code")
            .register(registry);
    flushFailures =
        Counter.builder("ussd.screen.counters.flush.failures")
            .description("Failed writes of USSD screen counts (kept for the next flush)")
            .register(registry);
  }

  @Override
  public void onDeadlineMissed(DeadlineMissed event) {
    delegate.onDeadlineMissed(event);
  }

  @Override
  public void onHop(ScreenHop hop) {
    LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    if (hop.fromScreen() == null) {
      increment(hop.serviceCode(), day, hop.screen(), 0);
    } else {
      increment(hop.serviceCode(), day, hop.fromScreen(), 2);
    }
    increment(hop.serviceCode(), day, hop.screen(), hop.ended() ? 3 : 1);
    delegate.onHop(hop);
  }

  private void increment(String serviceCode, LocalDate day, String screen, int which) {
    if (serviceCode == null || screen == null || screen.isEmpty()) {
      return;
    }
    String id =
        screen.length() > MAX_SCREEN_LENGTH ? screen.substring(0, MAX_SCREEN_LENGTH) : screen;
    Key key = new Key(serviceCode, day, id);
    Counts c = counts.get(key);
    if (c == null) {
      if (counts.size() >= maxKeys) {
        overflow.increment();
        return;
      }
      c = counts.computeIfAbsent(key, k -> new Counts());
    }
    switch (which) {
      case 0 -> c.started.incrementAndGet();
      case 1 -> c.shown.incrementAndGet();
      case 2 -> c.answered.incrementAndGet();
      default -> c.ended.incrementAndGet();
    }
  }

  /**
   * Adds everything counted since the last flush to the ledgers; a failed write puts its counts
   * back for the next flush. Never throws (it runs on a scheduler).
   */
  public void flush() {
    try {
      doFlush();
    } catch (RuntimeException e) {
      flushFailures.increment();
      log.warn("USSD screen counts not flushed: {}", e.toString());
    }
  }

  private void doFlush() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    Map<String, Map<LocalDate, List<UssdScreenCount>>> byCode = new HashMap<>();
    for (Map.Entry<Key, Counts> e : counts.entrySet()) {
      Key k = e.getKey();
      Counts c = e.getValue();
      if (k.day().isBefore(today)) {
        counts.remove(k, c); // yesterday's key: take its last counts below, then forget it
      }
      UssdScreenCount count =
          new UssdScreenCount(
              k.screen(),
              c.started.getAndSet(0),
              c.shown.getAndSet(0),
              c.answered.getAndSet(0),
              c.ended.getAndSet(0));
      if (count.started() + count.shown() + count.answered() + count.ended() == 0) {
        continue;
      }
      byCode
          .computeIfAbsent(k.serviceCode(), x -> new HashMap<>())
          .computeIfAbsent(k.day(), x -> new ArrayList<>())
          .add(count);
    }
    for (Map.Entry<String, Map<LocalDate, List<UssdScreenCount>>> code : byCode.entrySet()) {
      Optional<Assembly> assembly;
      try {
        assembly = assemblyFor(code.getKey());
      } catch (RuntimeException e) {
        flushFailures.increment();
        log.warn("USSD screen counts kept for the next flush: {}", e.toString());
        code.getValue().forEach((day, list) -> putBack(code.getKey(), day, list));
        continue;
      }
      if (assembly.isEmpty()) {
        unknownCode.increment();
        // Free the slots: a code nobody owns must not fill the bounded map for the rest of the day.
        counts.keySet().removeIf(k -> k.serviceCode().equals(code.getKey()));
        continue;
      }
      for (Map.Entry<LocalDate, List<UssdScreenCount>> day : code.getValue().entrySet()) {
        try {
          ledger.assembly(assembly.get().code()).addUssdScreenCounts(day.getKey(), day.getValue());
        } catch (RuntimeException e) {
          flushFailures.increment();
          log.warn(
              "USSD screen counts of {} for {} kept for the next flush: {}",
              assembly.get().code(),
              day.getKey(),
              e.toString());
          putBack(code.getKey(), day.getKey(), day.getValue());
        }
      }
    }
  }

  private void putBack(String serviceCode, LocalDate day, List<UssdScreenCount> list) {
    for (UssdScreenCount s : list) {
      Counts c = counts.computeIfAbsent(new Key(serviceCode, day, s.screen()), k -> new Counts());
      c.started.addAndGet(s.started());
      c.shown.addAndGet(s.shown());
      c.answered.addAndGet(s.answered());
      c.ended.addAndGet(s.ended());
    }
  }

  /** A direct-dial string ({@code *713*44*2#}) belongs to its base code, as in the trader menu. */
  private Optional<Assembly> assemblyFor(String serviceCode) {
    String code = serviceCode.trim();
    while (!code.isEmpty()) {
      Optional<Assembly> found = ledger.assemblies().byServiceCode(code);
      if (found.isPresent()) {
        return found;
      }
      int star = code.lastIndexOf('*');
      if (star <= 0) {
        break;
      }
      code = code.substring(0, star) + "#";
    }
    return Optional.empty();
  }
}
