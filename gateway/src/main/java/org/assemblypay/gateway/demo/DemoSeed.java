package org.assemblypay.gateway.demo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.PinCheck;
import org.assemblypay.ledger.RatePeriod;
import org.assemblypay.ledger.Trader;

/**
 * Seeds the demo assembly: Accra Metropolitan Assembly with two markets, a lorry park, rates, 50
 * traders owing a few days to a few months, and three collectors with PINs.
 *
 * <p>Deterministic (a fixed random seed) so that the printed examples always exist; idempotent, so
 * a restart with a kept data directory seeds nothing twice.
 */
public final class DemoSeed {
  public static final String CODE = "AMA";
  public static final String USSD_CODE = "*713*44#";
  static final int TRADERS = 50;
  static final int HISTORY_DAYS = 90;

  private static final Set<DayOfWeek> MARKET_DAYS =
      EnumSet.of(
          DayOfWeek.MONDAY,
          DayOfWeek.TUESDAY,
          DayOfWeek.WEDNESDAY,
          DayOfWeek.THURSDAY,
          DayOfWeek.FRIDAY,
          DayOfWeek.SATURDAY);
  private static final List<String> GIVEN =
      List.of(
          "Akosua", "Kwame", "Ama", "Kofi", "Abena", "Yaw", "Efua", "Kwesi", "Adwoa", "Kojo", "Esi",
          "Fiifi", "Akua", "Kwabena", "Yaa", "Selorm", "Dzifa", "Nii", "Naa", "Amina");
  private static final List<String> FAMILY =
      List.of(
          "Mensah",
          "Owusu",
          "Boateng",
          "Asante",
          "Agyeman",
          "Quaye",
          "Tetteh",
          "Addo",
          "Amoah",
          "Osei",
          "Darko",
          "Lamptey",
          "Kpodo",
          "Agbeko",
          "Sulemana",
          "Ofori",
          "Badu",
          "Nartey");

  /** What the demo holds, for the start-up summary. */
  public record Summary(
      String assemblyName,
      List<String> markets,
      int traders,
      Trader exampleTrader,
      String familyPhone,
      List<DemoCollector> collectors,
      boolean freshlySeeded) {}

  /** A seeded collector and the PIN the demo prints (demo data only; real PINs are never shown). */
  public record DemoCollector(String name, String phone, String pin, String market) {}

  private static final List<DemoCollector> COLLECTORS =
      List.of(
          new DemoCollector("Kwame Mensah", "0244100001", "1234", "MAKOLA"),
          new DemoCollector("Ama Owusu", "0244100002", "2345", "KANESHIE"),
          new DemoCollector("Yaw Boateng", "0244100003", "3456", "NEOPLAN"));

  private DemoSeed() {}

  /** Seeds the demo assembly unless it exists already; returns what is there. */
  public static Summary seed(Ledger ledger, LocalDate today) {
    boolean fresh = ledger.assemblies().find(CODE).isEmpty();
    if (fresh) {
      ledger
          .assemblies()
          .register(
              new NewAssembly(
                  CODE,
                  "Accra Metropolitan Assembly",
                  List.of(USSD_CODE),
                  "AMA",
                  ZoneId.of("Africa/Accra"),
                  null,
                  "0302000111",
                  100,
                  500_000));
    }
    AssemblyLedger ama = ledger.assembly(CODE);
    if (fresh) {
      seedAssembly(ama, today);
    }
    Trader example = ama.traderByCustomerNumber(customerNumber(1)).orElseThrow();
    return new Summary(
        "Accra Metropolitan Assembly",
        List.of("Makola Market", "Kaneshie Market", "Neoplan Lorry Park"),
        TRADERS,
        example,
        phoneOf(TRADERS),
        COLLECTORS,
        fresh);
  }

  private static void seedAssembly(AssemblyLedger ama, LocalDate today) {
    ama.registerMarket(new NewMarket("MAKOLA", "Makola Market", MarketKind.MARKET, MARKET_DAYS));
    ama.registerMarket(
        new NewMarket("KANESHIE", "Kaneshie Market", MarketKind.MARKET, MARKET_DAYS));
    ama.registerMarket(
        new NewMarket(
            "NEOPLAN",
            "Neoplan Lorry Park",
            MarketKind.LORRY_PARK,
            EnumSet.allOf(DayOfWeek.class)));
    LocalDate from = today.minusDays(HISTORY_DAYS + 30L).withDayOfMonth(1);
    for (String market : List.of("MAKOLA", "KANESHIE")) {
      ama.registerRate(
          new NewRate(
              ChargeItem.DAILY_TOLL, market, null, 250, RatePeriod.DAY, Set.of(), from, null));
      ama.registerRate(
          new NewRate(
              ChargeItem.STALL_RENT,
              market,
              "STALL",
              5_000,
              RatePeriod.MONTH,
              Set.of(),
              from,
              null));
    }
    ama.registerRate(
        new NewRate(
            ChargeItem.LORRY_TICKET, "NEOPLAN", null, 500, RatePeriod.DAY, Set.of(), from, null));

    Random random = new Random(44);
    List<Long> traderIds = new ArrayList<>();
    Language[] languages = Language.values();
    for (int i = 1; i <= TRADERS; i++) {
      String market = i <= 20 ? "MAKOLA" : i <= 40 ? "KANESHIE" : "NEOPLAN";
      String category = market.equals("NEOPLAN") ? "DRIVER" : (i % 3 == 0 ? "TABLE" : "STALL");
      String stall =
          market.equals("NEOPLAN") ? "GT-" + (1000 + i) + "-2" : market.charAt(0) + "-" + (100 + i);
      String name =
          GIVEN.get(random.nextInt(GIVEN.size())) + " " + FAMILY.get(random.nextInt(FAMILY.size()));
      Language language = i <= 10 ? Language.EN : languages[random.nextInt(languages.length)];
      Trader t =
          ama.registerTrader(
              new NewTrader(
                  customerNumber(i), name, phoneOf(i), market, stall, category, language));
      traderIds.add(t.id());
    }

    for (DemoCollector c : COLLECTORS) {
      ama.registerCollector(
          new NewCollector(
              "C" + c.phone().substring(c.phone().length() - 3),
              c.name(),
              c.phone(),
              c.pin(),
              Set.of(c.market())));
    }

    for (LocalDate day = today.minusDays(HISTORY_DAYS - 1L);
        !day.isAfter(today);
        day = day.plusDays(1)) {
      ama.accrueCharges(day);
    }

    // Each trader has paid part of what accrued, oldest first, leaving a few days to a few months.
    Map<String, Long> collectorByMarket = collectorIds(ama);
    for (int i = 0; i < traderIds.size(); i++) {
      long traderId = traderIds.get(i);
      Trader trader = ama.trader(traderId).orElseThrow();
      long owed = ama.arrears(traderId).totalPesewas();
      double keepShare = 0.03 + random.nextDouble() * 0.6;
      long keep = Math.max(250, Math.round(owed * keepShare / 50.0) * 50);
      long pay = owed - keep;
      if (pay > 0) {
        long collector = collectorByMarket.get(marketCodeOf(i + 1));
        ama.postCashPayment(
            new CashPayment("demo-seed-" + trader.customerNumber(), collector, traderId, pay),
            Notifier.silent());
      }
    }
  }

  private static Map<String, Long> collectorIds(AssemblyLedger ama) {
    Map<String, Long> ids = new java.util.HashMap<>();
    for (DemoCollector c : COLLECTORS) {
      if (ama.checkCollectorPin(c.phone(), c.pin()) instanceof PinCheck.Accepted accepted) {
        ids.put(c.market(), accepted.collector().id());
      }
    }
    return ids;
  }

  private static String marketCodeOf(int i) {
    return i <= 20 ? "MAKOLA" : i <= 40 ? "KANESHIE" : "NEOPLAN";
  }

  static String customerNumber(int i) {
    return String.format("AMA-T%04d", i);
  }

  /** Phones: MTN for most, some Telecel and AirtelTigo; the last two traders share one phone. */
  static String phoneOf(int i) {
    int n = i == TRADERS ? TRADERS - 1 : i;
    if (n % 10 == 7) {
      return String.format("020%07d", 4_000_000 + n);
    }
    if (n % 10 == 8) {
      return String.format("026%07d", 4_000_000 + n);
    }
    return String.format("024%07d", 4_000_000 + n);
  }
}
