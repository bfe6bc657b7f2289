package org.assemblypay.bench.ussd;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
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
import org.assemblypay.ledger.Trader;

/**
 * Times the ledger reads one trader journey makes (trader by phone, trader by id, arrears, trader
 * by id, today's dues), single-threaded, and reports the client CPU and wall time per journey. It
 * isolates the JDBC/jOOQ side of a hop from HTTP, Redis and machine load, so it is steadier than
 * {@link UssdLoadBenchmark} on a busy machine.
 *
 * <p>Usage: {@code UssdReadsBenchmark <jdbcUrl> <journeys>}. It creates its own assembly and drops
 * it again.
 */
public final class UssdReadsBenchmark {
  private UssdReadsBenchmark() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int journeys = Integer.parseInt(args[1]);
    String code = "BR" + Long.toString(System.nanoTime() % 46_656, 36).toUpperCase(Locale.ROOT);
    try (Ledger ledger =
        Ledger.open(LedgerSettings.of(url, null, null).withMaxPoolSizePerDatabase(2))) {
      ledger
          .assemblies()
          .register(
              NewAssembly.inMainDatabase(
                  code, "Reads " + code, "*9" + (System.nanoTime() % 1000) + "*77#"));
      AssemblyLedger assembly = ledger.assembly(code);
      LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
      assembly.registerMarket(
          new NewMarket("MKT", "Market", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
      assembly.registerRate(
          new NewRate(
              ChargeItem.DAILY_TOLL,
              "MKT",
              null,
              300,
              RatePeriod.DAY,
              Set.of(),
              today.minusYears(1),
              null));
      Trader trader =
          assembly.registerTrader(
              new NewTrader("C1", "Ama Mensah", "0244123456", "MKT", null, null, Language.EN));
      for (int d = 4; d >= 0; d--) {
        assembly.accrueCharges(today.minusDays(d));
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      for (String round : new String[] {"warm-up", "measured"}) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long check = 0;
        for (int i = 0; i < journeys; i++) {
          check += assembly.tradersByPhone(trader.phone()).size();
          check += assembly.trader(trader.id()).orElseThrow().id();
          check += assembly.arrears(trader.id()).totalPesewas();
          check += assembly.trader(trader.id()).orElseThrow().id();
          check += assembly.amountDueToday(trader.id(), today);
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        System.out.printf(
            Locale.ROOT,
            "%s: %d journeys, client CPU %.3f ms/journey, wall %.3f ms/journey (check %d)%n",
            round,
            journeys,
            cpu / 1e6 / journeys,
            wall / 1e6 / journeys,
            check % 1000);
      }
    } finally {
      drop(url, code);
    }
  }

  private static void drop(String url, String code) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        PreparedStatement registry =
            c.prepareStatement("delete from control.assemblies where code = ?")) {
      s.execute("drop schema if exists asm_" + code.toLowerCase(Locale.ROOT) + " cascade");
      registry.setString(1, code);
      registry.executeUpdate();
    }
  }
}
