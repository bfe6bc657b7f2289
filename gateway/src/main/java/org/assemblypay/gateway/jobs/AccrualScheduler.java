package org.assemblypay.gateway.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.AccrualResult;
import org.assemblypay.ledger.ActiveStatus;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accrues each ACTIVE assembly's charges once a day, at a local time of day in the assembly's own
 * time zone, on every node; missed days are caught up oldest first.
 *
 * <p>Nodes do not coordinate among themselves: before running an assembly-day a node takes a
 * transaction-scoped advisory lock on that assembly-day in the main database ({@code
 * pg_try_advisory_xact_lock}); a node that cannot take it leaves the day to the holder and looks
 * again later. The ledger's accrual is idempotent per (trader, item, period) and serialised per
 * assembly by its own advisory lock, so a repeated day posts nothing. Each node remembers the last
 * day it accrued per assembly; after a restart it re-runs the catch-up window once (no-ops for the
 * days another node did). Days before the assembly was registered are never accrued.
 */
public final class AccrualScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccrualScheduler.class);
  private static final long LOCK_PREFIX = 0x4143_4344_0000_0000L;

  /** Opens a connection to the main database (the control schema), closed by the caller. */
  @FunctionalInterface
  public interface MainDatabase {
    /** A new connection; the scheduler closes it. */
    Connection open() throws SQLException;
  }

  /** What happened to one assembly-day. */
  public enum Status {
    /** This node ran the accrual (it may have found nothing new to post). */
    ACCRUED,
    /** Another node holds the assembly-day; this node looks again later. */
    BUSY,
    /** The accrual failed; the same day is tried again at the next look. */
    FAILED
  }

  /** One assembly-day looked at in a pass. */
  public record Outcome(
      String assembly, LocalDate day, Status status, int chargesCreated, long chargedPesewas) {}

  private final AccrualConfig config;
  private final Ledger ledger;
  private final MainDatabase mainDatabase;
  private final MeterRegistry registry;
  private final Clock clock;
  private final LocalTime timeOfDay;
  private final Set<String> scope;
  private final Map<String, LocalDate> lastAccrued = new ConcurrentHashMap<>();

  /** When each assembly was registered (it never changes): no day before it is accrued. */
  private final Map<String, OffsetDateTime> registeredAt = new ConcurrentHashMap<>();

  private final Object passLock = new Object();
  private ScheduledExecutorService executor;

  public AccrualScheduler(
      AccrualConfig config,
      Ledger ledger,
      MainDatabase mainDatabase,
      MeterRegistry registry,
      Clock clock) {
    this.config = config;
    this.ledger = ledger;
    this.mainDatabase = mainDatabase;
    this.registry = registry;
    this.clock = clock;
    this.timeOfDay = config.localTime();
    this.scope = new TreeSet<>();
    config.assemblies().forEach(c -> scope.add(c.strip().toUpperCase(Locale.ROOT)));
  }

  /**
   * Looks for due days now and then every {@code checkIntervalSeconds}, on a thread of its own (a
   * long catch-up never delays the payment poller).
   */
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gateway-accrual");
              t.setDaemon(true);
              return t;
            });
    long interval = config.checkIntervalSeconds();
    executor.scheduleWithFixedDelay(this::runQuietly, 0, interval, TimeUnit.SECONDS);
    log.info(
        "accrual scheduled timeOfDay={} catchUpDays={} checkIntervalSeconds={} assemblies={}",
        config.timeOfDay(),
        config.catchUpDays(),
        interval,
        scope.isEmpty() ? "all" : String.join(",", scope));
  }

  private void runQuietly() {
    try {
      runDue();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log it and look again next time.
      log.warn("accrual pass failed: {}", e.toString());
    }
  }

  /**
   * One pass: accrues every due, not yet accrued assembly-day, oldest first per assembly. A failing
   * assembly is logged and counted and the others go on.
   */
  public List<Outcome> runDue() {
    synchronized (passLock) {
      Map<Assembly, LocalDate[]> due = new HashMap<>();
      for (Assembly a : ledger.assemblies().list()) {
        if (a.status() != ActiveStatus.ACTIVE || (!scope.isEmpty() && !scope.contains(a.code()))) {
          continue;
        }
        LocalDate latest = latestDueDay(a);
        LocalDate done = lastAccrued.get(a.code());
        LocalDate from = latest.minusDays(config.catchUpDays().longValue());
        if (done != null && done.isAfter(from.minusDays(1))) {
          from = done.plusDays(1);
        }
        OffsetDateTime at = registeredAt.get(a.code());
        if (at != null) {
          LocalDate first = at.atZoneSameInstant(a.timeZone()).toLocalDate();
          from = from.isBefore(first) ? first : from;
        }
        if (!from.isAfter(latest)) {
          due.put(a, new LocalDate[] {from, latest});
        }
      }
      if (due.isEmpty()) {
        return List.of();
      }
      List<Outcome> outcomes = new ArrayList<>();
      try (Connection c = mainDatabase.open()) {
        if (!registeredAt.keySet().containsAll(codes(due.keySet()))) {
          registeredAt.putAll(registrationTimes(c));
        }
        List<Assembly> order = new ArrayList<>(due.keySet());
        order.sort(Comparator.comparing(Assembly::code));
        for (Assembly a : order) {
          LocalDate from = due.get(a)[0];
          LocalDate to = due.get(a)[1];
          OffsetDateTime at = registeredAt.get(a.code());
          if (at != null) {
            LocalDate first = at.atZoneSameInstant(a.timeZone()).toLocalDate();
            from = from.isBefore(first) ? first : from;
          }
          for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Outcome o = accrueOne(c, a, day);
            outcomes.add(o);
            if (o.status() != Status.ACCRUED) {
              break; // never skip past a day: the next look starts here again
            }
            lastAccrued.put(a.code(), day);
          }
        }
      } catch (SQLException e) {
        registry.counter("gateway.accrual.failures", "assembly", "*").increment();
        log.atWarn()
            .addKeyValue("error", e.toString())
            .log("accrual pass could not reach the main database: {}", e.getMessage());
      }
      return outcomes;
    }
  }

  private static Set<String> codes(Set<Assembly> assemblies) {
    Set<String> codes = new TreeSet<>();
    assemblies.forEach(a -> codes.add(a.code()));
    return codes;
  }

  /** The latest day whose accrual time has come in the assembly's zone. */
  LocalDate latestDueDay(Assembly a) {
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(a.timeZone()));
    LocalDate today = now.toLocalDate();
    return now.toLocalTime().isBefore(timeOfDay) ? today.minusDays(1) : today;
  }

  private static Map<String, OffsetDateTime> registrationTimes(Connection c) throws SQLException {
    Map<String, OffsetDateTime> times = new HashMap<>();
    try (PreparedStatement s =
            c.prepareStatement("select code, created_at from control.assemblies");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        times.put(r.getString(1), r.getObject(2, OffsetDateTime.class));
      }
    }
    return times;
  }

  private Outcome accrueOne(Connection c, Assembly a, LocalDate day) {
    String code = a.code();
    long started = System.nanoTime();
    try {
      c.setAutoCommit(false);
      try {
        if (!tryLock(c, code, day)) {
          log.debug("accrual {} {} is being run by another node", code, day);
          return new Outcome(code, day, Status.BUSY, 0, 0);
        }
        AccrualResult r = ledger.assembly(code).accrueCharges(day);
        counter("gateway.accrual.charges.posted", code).increment(r.chargesCreated());
        counter("gateway.accrual.runs", code).increment();
        log.atInfo()
            .addKeyValue("assembly", code)
            .addKeyValue("day", day.toString())
            .addKeyValue("outcome", "accrued")
            .addKeyValue("chargesCreated", r.chargesCreated())
            .addKeyValue("chargedPesewas", r.chargedPesewas())
            .addKeyValue("paidFromCreditPesewas", r.paidFromCreditPesewas())
            .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
            .log("accrual assembly={} day={} charges={}", code, day, r.chargesCreated());
        return new Outcome(code, day, Status.ACCRUED, r.chargesCreated(), r.chargedPesewas());
      } finally {
        // Ends the claim transaction (it wrote nothing) and with it the advisory lock.
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException | RuntimeException e) {
      counter("gateway.accrual.failures", code).increment();
      log.atWarn()
          .addKeyValue("assembly", code)
          .addKeyValue("day", day.toString())
          .addKeyValue("outcome", "failed")
          .addKeyValue("error", oneLine(e))
          .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
          .log("accrual assembly={} day={} failed: {}", code, day, oneLine(e));
      return new Outcome(code, day, Status.FAILED, 0, 0);
    }
  }

  private static boolean tryLock(Connection c, String code, LocalDate day) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
      s.setLong(1, lockKey(code, day));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  /** One advisory-lock key per assembly-day, apart from the ledger's own keys. */
  static long lockKey(String code, LocalDate day) {
    return LOCK_PREFIX | ((code + "/" + day).hashCode() & 0xffff_ffffL);
  }

  private Counter counter(String name, String code) {
    return registry.counter(name, "assembly", code);
  }

  /** The innermost cause's first line (the database's own words, not jOOQ's whole SQL). */
  private static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage();
    String line = root.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
    return line.length() <= 300 ? line : line.substring(0, 300) + "...";
  }

  /** Stops looking for due days; waits a little for a pass already running. */
  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
