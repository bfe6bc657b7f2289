package org.assemblypay.menus.trader;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PinCheck;
import org.assemblypay.ledger.RatePeriod;
import org.assemblypay.ledger.Trader;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.menus.Translations;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.memory.InMemorySessionStore;
import org.assemblypay.ussd.EngineConfig;
import org.assemblypay.ussd.UssdEngine;
import org.assemblypay.ussd.dialect.AggregatorConfig;
import org.assemblypay.ussd.dialect.Dialects;
import org.assemblypay.ussd.dialect.Phone;
import org.assemblypay.ussd.dialect.UssdFront;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The traders' day as transcripts, each walked through every aggregator's wire format against a
 * real ledger: "dial *713*NN# as 0244000101 → sees … → types 1 → sees …".
 */
class TraderTranscriptTest {
  static final java.util.concurrent.atomic.AtomicInteger phones =
      new java.util.concurrent.atomic.AtomicInteger(100);
  static long collectorId;

  /** The engine's clock: each typed input moves it on 5 s, as a person takes time to answer. */
  static final java.util.concurrent.atomic.AtomicReference<java.time.Instant> engineNow =
      new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.now());

  static final Clock engineClock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return Clock.fixed(engineNow.get(), zone);
        }

        @Override
        public java.time.Instant instant() {
          return engineNow.get();
        }
      };

  static Ledger ledger;
  static String code;
  static String ussd;
  static AssemblyLedger assembly;
  static UssdFront front;
  static ExecutorService workers;
  static final List<PaymentRequests.PaymentOrder> orders = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void seed() {
    TestDatabase db = TestDatabase.get();
    ledger = Ledger.open(LedgerSettings.of(db.jdbcUrl(), db.user(), db.password()));
    code = TestDatabase.uniqueAssemblyCode("TT");
    ussd = TestDatabase.uniqueUssdCode();
    ledger
        .assemblies()
        .register(
            new NewAssembly(
                code,
                "Transcript Municipal Assembly",
                List.of(ussd),
                "TMA",
                ZoneId.of("Africa/Accra"),
                null,
                "0302000111",
                100,
                500_000));
    assembly = ledger.assembly(code);
    Set<DayOfWeek> everyDay = EnumSet.allOf(DayOfWeek.class);
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    assembly.registerMarket(new NewMarket("MAKOLA", "Makola Market", MarketKind.MARKET, everyDay));
    assembly.registerRate(
        new NewRate(
            ChargeItem.DAILY_TOLL,
            "MAKOLA",
            null,
            250,
            RatePeriod.DAY,
            Set.of(),
            today.minusYears(1),
            null));
    assembly.registerCollector(
        new NewCollector("S01", "Kwame Collector", "0244100001", "1234", Set.of("MAKOLA")));
    collectorId =
        ((PinCheck.Accepted) assembly.checkCollectorPin("0244100001", "1234")).collector().id();

    workers = Executors.newFixedThreadPool(4);
    TraderMenu menu =
        TraderMenu.create(ledger, new RecordingPayments(), Translations.load(), Clock.systemUTC());
    UssdEngine engine =
        UssdEngine.builder()
            .menu(menu.definition())
            .actions(menu.actions())
            .messages(menu.translations())
            .store(
                new InMemorySessionStore(
                    new SessionStoreSettings(180, 300, 1000),
                    engineClock,
                    new SimpleMeterRegistry()))
            .actionExecutor(workers)
            .meterRegistry(new SimpleMeterRegistry())
            .config(EngineConfig.DEFAULTS.withHopDeadlineMillis(10_000))
            .clock(engineClock)
            .build();
    front =
        new UssdFront(
            engine,
            List.of("africastalking", "hubtel", "nalo", "arkesel").stream()
                .map(d -> AggregatorConfig.of(d, Phone.SECRET).withServiceCode(ussd))
                .toList(),
            Dialects.standard());
  }

  /** A phone number nobody has used in this run, so no earlier session can be resumed on it. */
  private static String newPhone(String prefix) {
    return "233" + prefix + String.format("%07d", phones.incrementAndGet());
  }

  /**
   * A trader on a fresh phone who owes five days at GHS 2.50 and has paid {@code paidPesewas} in
   * cash (oldest days first).
   */
  private static Trader trader(String name, Language language, long paidPesewas) {
    return trader(name, language, paidPesewas, newPhone("24"));
  }

  private static Trader trader(String name, Language language, long paidPesewas, String phone) {
    int n = phones.incrementAndGet();
    Trader t =
        assembly.registerTrader(
            new NewTrader("C" + n, name, phone, "MAKOLA", "M-1", "STALL", language));
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    for (int d = 4; d >= 0; d--) {
      assembly.accrueCharges(today.minusDays(d));
    }
    if (paidPesewas > 0) {
      assembly.postCashPayment(
          new CashPayment("tt-" + n, collectorId, t.id(), paidPesewas), Notifier.silent());
    }
    return t;
  }

  @AfterAll
  static void close() {
    workers.shutdownNow();
    ledger.close();
  }

  @BeforeEach
  void clearOrders() {
    orders.clear();
  }

  /** Records what the confirm screen asked for; the network comes from the number's prefix. */
  static final class RecordingPayments implements PaymentRequests {
    @Override
    public Optional<String> networkFor(
        String assemblyCode, String payer, String aggregatorNetwork) {
      return payer.startsWith("23324") ? Optional.of("MTN") : Optional.empty();
    }

    @Override
    public PaymentStart start(PaymentOrder order) {
      orders.add(order);
      return new PaymentStart.Started("ref-" + orders.size(), "MTN");
    }
  }

  private Phone phone(String dialect, String msisdn) {
    return new Phone(
        front, dialect, msisdn, ussd, () -> engineNow.set(engineNow.get().plusSeconds(5)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void checksArrearsGoesBackAndPaysTodaysToll(String dialect) {
    Trader akosua = trader("Akosua Mensah", Language.EN, 500);
    Phone p = phone(dialect, akosua.phone());
    Phone.Screen main = p.dial(ussd);
    assertThat(main.continues()).isTrue();
    assertThat(main.text())
        .startsWith("Transcript Mun. Assembly")
        .contains("1. Check arrears", "2. Pay today's toll", "3. Pay arrears", "4. My receipts");
    assertThat(p.type("98").text()).contains("5. Language", "6. Pay for another trader");
    assertThat(p.type("0").text()).contains("1. Check arrears");

    Phone.Screen arrears = p.type("1");
    // Five days at GHS 2.50 accrued, GHS 5.00 paid in cash: three days open.
    assertThat(arrears.text())
        .contains("Owed GHS 7.50, 3 days")
        .containsPattern("Last paid \\d\\d/\\d\\d/\\d{4}")
        .contains("1. Pay arrears", "2. Details");
    assertThat(p.type("2").text()).contains("Owed by item").contains("1. Daily toll: GHS 7.50");
    assertThat(p.type("0").text()).contains("Owed GHS 7.50, 3 days");

    assertThat(p.type("0").text()).startsWith("Transcript Mun. Assembly");

    Phone.Screen confirm = p.type("2");
    assertThat(confirm.text())
        .contains("Pay GHS 2.50: Akosua M.\nMTN 0" + akosua.phone().substring(3) + "?")
        .contains("1. Confirm", "2. Cancel");

    Phone.Screen done = p.type("1");
    assertThat(done.continues()).isFalse();
    assertThat(done.text())
        .contains("Approve the GHS 2.50 prompt")
        .contains("*170#")
        .contains("receipt comes by SMS");
    assertThat(orders)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.amountPesewas()).isEqualTo(250);
              assertThat(o.purpose()).isEqualTo(PaymentPurpose.TODAY);
              assertThat(o.traderId()).isEqualTo(akosua.id());
              assertThat(o.payerMsisdn()).isEqualTo(akosua.phone());
              assertThat(o.assemblyCode()).isEqualTo(code);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void paysAllArrearsOrCancelsAndNothingIsAsked(String dialect) {
    Trader t = trader("Akua Addo", Language.EN, 500);
    Phone p = phone(dialect, t.phone());
    p.dial(ussd);
    Phone.Screen choice = p.type("3");
    assertThat(choice.text())
        .contains("Owed GHS 7.50.")
        .contains("1. Pay GHS 7.50", "2. Another amount");
    assertThat(p.type("1").text()).contains("Pay GHS 7.50: Akua A.");
    Phone.Screen cancelled = p.type("2");
    assertThat(cancelled.continues()).isFalse();
    assertThat(cancelled.text()).isEqualTo("Payment cancelled. Nothing was charged.");
    assertThat(orders).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void paysAnAmountTheTraderTypesWithinTheAssemblysLimits(String dialect) {
    Trader t = trader("Yaa Amoah", Language.EN, 0);
    Phone p = phone(dialect, t.phone());
    p.dial(ussd);
    p.type("3");
    assertThat(p.type("2").text()).contains("Enter amount (GHS 1.00 to GHS 5000.00):");
    assertThat(p.type("0.50").text()).contains("Amount must be GHS 1.00 to GHS 5000.00.");
    assertThat(p.type("4").text()).contains("Pay GHS 4.00: Yaa A.");
    assertThat(p.type("1").continues()).isFalse();
    assertThat(orders)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.amountPesewas()).isEqualTo(400);
              assertThat(o.purpose()).isEqualTo(PaymentPurpose.AMOUNT);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void anUnregisteredPhoneIsAskedForTheCustomerNumber(String dialect) {
    Trader t = trader("Esi Osei", Language.EN, 0);
    Phone p = phone(dialect, newPhone("24"));
    assertThat(p.dial(ussd).text())
        .contains("Welcome to Transcript Mun. Assembly.")
        .contains("customer or stall number");
    assertThat(p.type("NOPE-1").text()).contains("We could not find NOPE-1.");
    Phone.Screen main = p.type(t.customerNumber().toLowerCase(java.util.Locale.ROOT));
    assertThat(main.text()).startsWith("Transcript Mun. Assembly").contains("1. Check arrears");
    assertThat(p.type("1").text()).contains("Owed GHS 12.50, 5 days");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void threeUnknownNumbersEndPolitelyWithTheOfficeContact(String dialect) {
    Phone p = phone(dialect, newPhone("24"));
    p.dial(ussd);
    p.type("X1");
    p.type("X2");
    Phone.Screen end = p.type("X3");
    assertThat(end.continues()).isFalse();
    assertThat(end.text()).contains("We could not find X3").contains("0302000111");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void aFamilyPhonePicksTheTraderFirst(String dialect) {
    String shared = newPhone("24");
    Trader ama = trader("Ama Owusu", Language.EN, 0, shared);
    Trader yaw = trader("Yaw Owusu", Language.EN, 0, shared);
    Phone p = phone(dialect, shared);
    Phone.Screen pick = p.dial(ussd);
    assertThat(pick.text())
        .contains("Who is paying?")
        .contains("Ama Owusu (" + ama.customerNumber() + ")")
        .contains("Yaw Owusu (" + yaw.customerNumber() + ")");
    String option =
        pick.text()
            .lines()
            .filter(l -> l.contains("Yaw Owusu"))
            .findFirst()
            .orElseThrow()
            .substring(0, 1);
    assertThat(p.type(option).text()).startsWith("Transcript Mun. Assembly");
    p.type("3");
    assertThat(p.type("1").text()).contains(": Yaw O.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void aSuspendedTraderIsToldWhomToCall(String dialect) {
    Trader t = trader("Kojo Badu", Language.EN, 0);
    assembly.suspendTrader(t.id());
    Phone.Screen end = phone(dialect, t.phone()).dial(ussd);
    assertThat(end.continues()).isFalse();
    assertThat(end.text()).contains("suspended").contains("0302000111");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void aTwiSpeakerReadsTwi(String dialect) {
    Trader kofi = trader("Kofi Asante", Language.TW, 0);
    Phone p = phone(dialect, kofi.phone());
    Phone.Screen main = p.dial(ussd);
    assertThat(main.text()).contains("Hwɛ ka");
    assertThat(p.type("1").text()).contains("Ka GHS 12.50, nna 5");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void choosingALanguageIsRememberedOnTheTradersRecord(String dialect) {
    Trader t = trader("Amina Sulemana", Language.EN, 0);
    Phone p = phone(dialect, t.phone());
    p.dial(ussd);
    p.type("98");
    Phone.Screen languages = p.type("5");
    assertThat(languages.text()).contains("English", "Twi", "Eʋegbe", "Ga", "Hausa");
    String hausa =
        languages
            .text()
            .lines()
            .filter(l -> l.contains("Hausa"))
            .findFirst()
            .orElseThrow()
            .substring(0, 1);
    assertThat(p.type(hausa).text()).contains("Duba bashi");
    assertThat(assembly.trader(t.id()).orElseThrow().language()).isEqualTo(Language.HA);
    // Redialling offers to resume the unfinished session, already in Hausa; starting again too.
    Phone later = phone(dialect, t.phone());
    assertThat(later.dial(ussd).text()).contains("Ba ka gama ba");
    assertThat(later.type("2").text()).contains("Duba bashi");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void paysForAnotherTraderByCustomerNumber(String dialect) {
    Trader payer = trader("Adwoa Darko", Language.EN, 0);
    Trader other = trader("Kwesi Lamptey", Language.EN, 0);
    Phone p = phone(dialect, payer.phone());
    p.dial(ussd);
    p.type("98");
    assertThat(p.type("6").text()).contains("other trader's customer number");
    assertThat(p.type(other.customerNumber()).text()).contains("Owed GHS 12.50.");
    assertThat(p.type("1").text()).contains("Kwesi L.\nMTN 0" + payer.phone().substring(3));
    p.type("1");
    assertThat(orders)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.traderId()).isEqualTo(other.id());
              assertThat(o.payerMsisdn()).isEqualTo(payer.phone());
              assertThat(o.purpose()).isEqualTo(PaymentPurpose.ARREARS);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void readsLastReceiptsAndTheirVerificationCode(String dialect) {
    Trader t = trader("Naa Tetteh", Language.EN, 500);
    Phone p = phone(dialect, t.phone());
    p.dial(ussd);
    Phone.Screen list = p.type("4");
    assertThat(list.text())
        .contains("Your receipts")
        .containsPattern("1\\. \\d\\d/\\d\\d/\\d{4} GHS 5\\.00");
    Phone.Screen detail = p.type("1");
    assertThat(detail.continues()).isFalse();
    assertThat(detail.text())
        .containsPattern("Receipt " + code + "-\\d{4}-\\d{6}")
        .contains("GHS 5.00")
        .contains("Verify code: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void directDialGoesStraightToArrearsOrTodaysToll(String dialect) {
    Trader t = trader("Selorm Kpodo", Language.EN, 0);
    String base = ussd.substring(0, ussd.length() - 1);
    assertThat(phone(dialect, t.phone()).dial(base + "*1#").text())
        .contains("Owed GHS 12.50, 5 days");
    Trader u = trader("Dzifa Agbeko", Language.EN, 0);
    assertThat(phone(dialect, u.phone()).dial(base + "*2#").text())
        .contains("Pay GHS 2.50: Dzifa A.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void aPaidUpTraderHasNothingDue(String dialect) {
    Trader t = trader("Efua Quaye", Language.EN, 1_250);
    Phone p = phone(dialect, t.phone());
    p.dial(ussd);
    Phone.Screen none = p.type("2");
    assertThat(none.continues()).isFalse();
    assertThat(none.text()).isEqualTo("Nothing is due today. Thank you!");
    Phone again = phone(dialect, t.phone());
    again.dial(ussd);
    assertThat(again.type("1").text()).isEqualTo("Efua Quaye owes nothing. Thank you!");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void aNumberOnNoKnownNetworkIsToldWhomToCall(String dialect) {
    Trader t = trader("Fiifi Ofori", Language.EN, 0, newPhone("30"));
    Phone p = phone(dialect, t.phone());
    p.dial(ussd);
    Phone.Screen end = p.type("2");
    assertThat(end.continues()).isFalse();
    assertThat(end.text()).contains("cannot tell your mobile money network").contains("0302000111");
    assertThat(orders).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void aDroppedSessionIsResumedOnRedial(String dialect) {
    Trader t = trader("Abena Nartey", Language.EN, 0);
    Phone first = phone(dialect, t.phone());
    first.dial(ussd);
    first.type("3");
    first.type("2");
    // The network drops the call on the amount screen; the trader redials within five minutes.
    Phone again = phone(dialect, t.phone());
    Phone.Screen offer = again.dial(ussd);
    assertThat(offer.text())
        .contains(
            "You did not finish last time.", "1. Continue where you stopped", "2. Start again");
    assertThat(again.type("1").text()).contains("Enter amount (GHS 1.00 to GHS 5000.00):");
    assertThat(again.type("3").text()).contains("Pay GHS 3.00: Abena N.");
  }
}
