package org.assemblypay.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assemblypay.gateway.jobs.AccrualScheduler.Outcome;
import org.assemblypay.gateway.jobs.AccrualScheduler.Status;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.RatePeriod;
import org.assemblypay.ledger.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daily accrual against the shared PostgreSQL: each scheduler is scoped to assemblies this test
 * registers, and the clock is moved by hand (no waiting for real time).
 */
class AccrualSchedulerTest {
  private static final ZoneId ACCRA = ZoneId.of("Africa/Accra");
  private static final int TRADERS = 3;
  private static final long TICKET = 500;

  private static TestDatabase db;
  private static Ledger ledger;
  private static final List<String> created = new ArrayList<>();

  @BeforeAll
  static void open() {
    db = TestDatabase.get();
    ledger = Ledger.open(LedgerSettings.of(db.jdbcUrl(), db.user(), db.password()));
  }

  @AfterAll
  static void close() throws Exception {
    ledger.close();
    for (String code : created) {
      db.dropAssembly(code);
    }
  }

  /** A lorry park (every day is a market day) with three drivers paying a daily ticket. */
  private static String assemblyWithTraders(String prefix) {
    String code = TestDatabase.uniqueAssemblyCode(prefix);
    ledger
        .assemblies()
        .register(
            NewAssembly.inMainDatabase(code, "Accrual " + code, TestDatabase.uniqueUssdCode()));
    created.add(code);
    AssemblyLedger a = ledger.assembly(code);
    a.registerMarket(
        new NewMarket("PARK", "Lorry Park", MarketKind.LORRY_PARK, EnumSet.allOf(DayOfWeek.class)));
    a.registerRate(
        new NewRate(
            ChargeItem.LORRY_TICKET,
            "PARK",
            null,
            TICKET,
            RatePeriod.DAY,
            Set.of(),
            LocalDate.of(2020, 1, 1),
            null));
    for (int i = 1; i <= TRADERS; i++) {
      a.registerTrader(
          new NewTrader(code + "-" + i, "Driver " + i, null, "PARK", null, "DRIVER", Language.EN));
    }
    return code;
  }

  private static AccrualScheduler scheduler(
      String timeOfDay,
      int catchUpDays,
      Clock clock,
      SimpleMeterRegistry registry,
      String... codes) {
    AccrualConfig config = new AccrualConfig(true, timeOfDay, catchUpDays, 60, List.of(codes));
    assertThat(config.problems("accrual")).isEmpty();
    return new AccrualScheduler(config, ledger, db::connect, registry, clock);
  }

  /** Registration is today (real time); the tests' clocks run from there on. */
  private static LocalDate registered() {
    return LocalDate.now(ACCRA);
  }

  private static Instant at(LocalDate day, String time) {
    return ZonedDateTime.of(day, LocalTime.parse(time), ACCRA).toInstant();
  }

  /** Charge rows per due date in the assembly's schema: "date=count", oldest first. */
  private static List<String> chargesByDay(String code) throws Exception {
    String schema = ledger.assemblies().find(code).orElseThrow().schemaName();
    List<String> rows = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select due_date, count(*), count(distinct trader_id) from "
                    + schema
                    + ".charges group by due_date order by due_date")) {
      while (r.next()) {
        assertThat(r.getInt(3)).as("one charge per trader and day").isEqualTo(r.getInt(2));
        rows.add(r.getDate(1).toLocalDate() + "=" + r.getInt(2));
      }
    }
    return rows;
  }

  private static List<String> days(LocalDate from, LocalDate to) {
    List<String> rows = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      rows.add(d + "=" + TRADERS);
    }
    return rows;
  }

  private static double count(SimpleMeterRegistry r, String name, String code) {
    var c = r.find(name).tag("assembly", code).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void twoNodesFiringAtOncePostEachChargeOnce() throws Exception {
    String code = assemblyWithTraders("AC");
    LocalDate today = registered().plusDays(2);
    Clock clock = Clock.fixed(at(today, "00:06"), ACCRA);
    SimpleMeterRegistry r1 = new SimpleMeterRegistry();
    SimpleMeterRegistry r2 = new SimpleMeterRegistry();
    AccrualScheduler node1 = scheduler("00:05", 7, clock, r1, code);
    AccrualScheduler node2 = scheduler("00:05", 7, clock, r2, code);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2; round++) {
        CountDownLatch go = new CountDownLatch(1);
        Future<List<Outcome>> a =
            pool.submit(
                () -> {
                  go.await();
                  return node1.runDue();
                });
        Future<List<Outcome>> b =
            pool.submit(
                () -> {
                  go.await();
                  return node2.runDue();
                });
        go.countDown();
        List<Outcome> all = new ArrayList<>(a.get());
        all.addAll(b.get());
        assertThat(all).noneMatch(o -> o.status() == Status.FAILED);
        int posted = all.stream().mapToInt(Outcome::chargesCreated).sum();
        // Three days (registration day and two more) times three traders, all in the first round.
        assertThat(posted).isEqualTo(round == 0 ? 3 * TRADERS : 0);
      }
      // Until the nodes each got every day (one may have found a day busy), they look again.
      for (int i = 0; i < 5; i++) {
        node1.runDue();
        node2.runDue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(chargesByDay(code)).containsExactlyElementsOf(days(registered(), today));
    assertThat(
            ledger
                .assembly(code)
                .arrears(
                    ledger.assembly(code).traderByCustomerNumber(code + "-1").orElseThrow().id())
                .totalPesewas())
        .isEqualTo(3 * TICKET);
    assertThat(
            count(r1, "gateway.accrual.charges.posted", code)
                + count(r2, "gateway.accrual.charges.posted", code))
        .isEqualTo(3.0 * TRADERS);
    assertThat(count(r1, "gateway.accrual.failures", code)).isZero();
    // Nothing is due any more on either node.
    assertThat(node1.runDue()).isEmpty();
    assertThat(node2.runDue()).isEmpty();
  }

  @Test
  void missedDaysAreCaughtUpOldestFirstWithinTheWindow() throws Exception {
    String code = assemblyWithTraders("AM");
    LocalDate d0 = registered();
    MovableClock clock = new MovableClock(at(d0.plusDays(1), "06:00"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AccrualScheduler node = scheduler("06:00", 3, clock, registry, code);

    // First start: the registration day and today; nothing before the assembly existed.
    assertThat(node.runDue()).extracting(Outcome::day).containsExactly(d0, d0.plusDays(1));
    // Before the time of day, tomorrow is not due yet.
    clock.set(at(d0.plusDays(2), "05:59"));
    assertThat(node.runDue()).isEmpty();

    // Down for two days: the missed ones come first, in order.
    clock.set(at(d0.plusDays(4), "07:30"));
    assertThat(node.runDue())
        .extracting(Outcome::day)
        .containsExactly(d0.plusDays(2), d0.plusDays(3), d0.plusDays(4));
    assertThat(chargesByDay(code)).containsExactlyElementsOf(days(d0, d0.plusDays(4)));

    // Down for ten days: only the last three are caught up (older ones are left to an operator).
    clock.set(at(d0.plusDays(14), "06:00"));
    assertThat(node.runDue())
        .extracting(Outcome::day)
        .containsExactly(d0.plusDays(11), d0.plusDays(12), d0.plusDays(13), d0.plusDays(14));
    List<String> expected = new ArrayList<>(days(d0, d0.plusDays(4)));
    expected.addAll(days(d0.plusDays(11), d0.plusDays(14)));
    assertThat(chargesByDay(code)).containsExactlyElementsOf(expected);

    // A restarted node re-runs its window once and posts nothing twice.
    AccrualScheduler restarted = scheduler("06:00", 3, clock, registry, code);
    assertThat(restarted.runDue())
        .allMatch(o -> o.status() == Status.ACCRUED)
        .allMatch(o -> o.chargesCreated() == 0)
        .hasSize(4);
    assertThat(chargesByDay(code)).containsExactlyElementsOf(expected);
    assertThat(count(registry, "gateway.accrual.runs", code)).isEqualTo(2 + 3 + 4 + 4);
  }

  @Test
  void aFailingAssemblyDoesNotStopTheOthers() throws Exception {
    String broken = assemblyWithTraders("AF");
    String healthy = assemblyWithTraders("AG");
    String schema = ledger.assemblies().find(broken).orElseThrow().schemaName();
    LocalDate today = registered();
    Clock clock = Clock.fixed(at(today, "12:00"), ACCRA);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AccrualScheduler node = scheduler("00:05", 7, clock, registry, broken, healthy);

    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("alter table " + schema + ".charges rename to charges_away");
    }
    List<Outcome> first;
    try {
      first = node.runDue();
    } finally {
      try (Connection c = db.connect();
          Statement s = c.createStatement()) {
        s.execute("alter table " + schema + ".charges_away rename to charges");
      }
    }
    assertThat(first)
        .extracting(Outcome::assembly, Outcome::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(broken, Status.FAILED),
            org.assertj.core.groups.Tuple.tuple(healthy, Status.ACCRUED));
    assertThat(chargesByDay(healthy)).containsExactly(today + "=" + TRADERS);
    assertThat(count(registry, "gateway.accrual.failures", broken)).isEqualTo(1.0);
    assertThat(count(registry, "gateway.accrual.runs", healthy)).isEqualTo(1.0);

    // Repaired: the failed day is tried again at the next look, the healthy one is left alone.
    assertThat(node.runDue())
        .extracting(Outcome::assembly, Outcome::status, Outcome::chargesCreated)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(broken, Status.ACCRUED, TRADERS));
    assertThat(chargesByDay(broken)).containsExactly(today + "=" + TRADERS);
  }

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ACCRA;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
