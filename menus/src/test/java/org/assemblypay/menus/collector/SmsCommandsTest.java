package org.assemblypay.menus.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Collector;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.OutboxMessage;
import org.assemblypay.ledger.RatePeriod;
import org.assemblypay.ledger.Trader;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.menus.Translations;
import org.assemblypay.ussd.PhoneRateLimit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A collector's and a trader's SMS day, against a real ledger; replies are read from the outbox.
 */
class SmsCommandsTest {
  static Ledger ledger;
  static String code;
  static AssemblyLedger assembly;
  static final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  static final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return Clock.fixed(now.get(), zone);
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
  static SmsCommands commands;
  static final AtomicInteger phones = new AtomicInteger(300);
  static final AtomicInteger inbound = new AtomicInteger();

  @BeforeAll
  static void seed() {
    TestDatabase db = TestDatabase.get();
    ledger = Ledger.open(LedgerSettings.of(db.jdbcUrl(), db.user(), db.password()));
    code = TestDatabase.uniqueAssemblyCode("SC");
    ledger
        .assemblies()
        .register(
            new NewAssembly(
                code,
                "Sms Municipal",
                List.of(TestDatabase.uniqueUssdCode()),
                "SMA",
                ZoneId.of("Africa/Accra"),
                null,
                "0302000111",
                100,
                500_000));
    assembly = ledger.assembly(code);
    Set<DayOfWeek> everyDay = EnumSet.allOf(DayOfWeek.class);
    assembly.registerMarket(new NewMarket("MAKOLA", "Makola Market", MarketKind.MARKET, everyDay));
    assembly.registerMarket(
        new NewMarket("KANESHIE", "Kaneshie Market", MarketKind.MARKET, everyDay));
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    for (String m : List.of("MAKOLA", "KANESHIE")) {
      assembly.registerRate(
          new NewRate(
              ChargeItem.DAILY_TOLL,
              m,
              null,
              250,
              RatePeriod.DAY,
              Set.of(),
              today.minusYears(1),
              null));
    }
    commands = new SmsCommands(ledger, Translations.load(), clock);
  }

  @AfterAll
  static void close() {
    ledger.close();
  }

  @BeforeEach
  void drainOutbox() {
    assembly.claimOutbox(1_000, Instant.now().plusSeconds(3600));
  }

  record Seeded(Trader trader, String collectorPhone) {}

  /** A fresh trader owing three days in {@code market}, and a collector for MAKOLA. */
  private Seeded seeded(String market, Language language) {
    int n = phones.incrementAndGet();
    Trader trader =
        assembly.registerTrader(
            new NewTrader(
                "SC" + n,
                "Trader " + n,
                String.format("0244%06d", n),
                market,
                "S",
                "STALL",
                language));
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    for (int d = 2; d >= 0; d--) {
      assembly.accrueCharges(today.minusDays(d));
    }
    String collectorPhone = String.format("0245%06d", n);
    assembly.registerCollector(
        new NewCollector("K" + n, "Collector " + n, collectorPhone, "4321", Set.of("MAKOLA")));
    return new Seeded(trader, "233" + collectorPhone.substring(1));
  }

  private void sms(String from, String text) {
    commands.handle(code, "in-" + inbound.incrementAndGet(), from, text);
  }

  private void smsWithKey(String key, String from, String text) {
    commands.handle(code, key, from, text);
  }

  private List<OutboxMessage> outbox() {
    return assembly.claimOutbox(1_000, Instant.now().plusSeconds(3600));
  }

  private String replyTo(List<OutboxMessage> messages, String msisdn) {
    return messages.stream()
        .filter(m -> m.recipientMsisdn().equals(msisdn))
        .map(OutboxMessage::text)
        .reduce((a, b) -> a + " || " + b)
        .orElse("(none)");
  }

  @Test
  void payRecordsCashWithAReceiptToTheTraderAndTheDaysTotalToTheCollector() {
    Seeded s = seeded("MAKOLA", Language.EN);
    sms(s.collectorPhone(), "pay " + s.trader().customerNumber() + " ghs 5 4321");

    List<OutboxMessage> out = outbox();
    assertThat(replyTo(out, s.trader().phone()))
        .matches(
            "SMA receipt "
                + code
                + "-\\d{4}-\\d{6}: GHS 5\\.00 cash to Collector \\d+ for Makola Market daily toll \\d\\d/\\d\\d/\\d{4}\\. Arrears now GHS 2\\.50\\. Verify: .+");
    assertThat(replyTo(out, s.collectorPhone()))
        .contains("Recorded GHS 5.00 from " + s.trader().name())
        .contains("Your total today: GHS 5.00");
    assertThat(assembly.arrears(s.trader().id()).totalPesewas()).isEqualTo(250);
  }

  @Test
  void theSameMessageDeliveredTwiceCountsOnce() {
    Seeded s = seeded("MAKOLA", Language.EN);
    String text = "PAY " + s.trader().customerNumber() + " 2.50 4321";
    smsWithKey("smsc-77", s.collectorPhone(), text);
    smsWithKey("smsc-77", s.collectorPhone(), text);

    assertThat(assembly.arrears(s.trader().id()).totalPesewas()).isEqualTo(500);
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).hasSize(1);
  }

  @Test
  void theSamePayWithinTenMinutesAsksForConfirmationFirst() {
    Seeded s = seeded("MAKOLA", Language.EN);
    String text = "PAY " + s.trader().customerNumber() + " 2.50 4321";
    sms(s.collectorPhone(), text);
    outbox();
    sms(s.collectorPhone(), text);

    String ask = replyTo(outbox(), s.collectorPhone());
    assertThat(ask).contains("To record it again, reply YES ");
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).hasSize(1);
    String yesCode = ask.replaceAll("(?s).*reply YES (\\S+) within.*", "$1");

    sms(s.collectorPhone(), "yes " + yesCode);
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).hasSize(2);
    outbox();
    sms(s.collectorPhone(), "YES " + yesCode);
    assertThat(replyTo(outbox(), s.collectorPhone())).contains("No payment is waiting for YES");
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).hasSize(2);
  }

  @Test
  void fiveWrongPinsLockTheCollectorForThirtyMinutesAndTellTheOffice() {
    Seeded s = seeded("MAKOLA", Language.EN);
    String wrong = "PAY " + s.trader().customerNumber() + " 2.50 9999";
    for (int left = 4; left >= 1; left--) {
      sms(s.collectorPhone(), wrong);
      assertThat(replyTo(outbox(), s.collectorPhone()))
          .contains("Wrong PIN. " + left + " attempts left");
    }
    sms(s.collectorPhone(), wrong);
    List<OutboxMessage> out = outbox();
    assertThat(replyTo(out, s.collectorPhone())).contains("locked until");
    assertThat(replyTo(out, "233302000111"))
        .contains("is locked until")
        .contains("after 5 wrong PINs");

    sms(s.collectorPhone(), "PAY " + s.trader().customerNumber() + " 2.50 4321");
    assertThat(replyTo(outbox(), s.collectorPhone())).contains("locked until");
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).isEmpty();
  }

  @Test
  void aCollectorCannotPayOrCheckOutsideTheirMarkets() {
    Seeded s = seeded("KANESHIE", Language.EN);
    sms(s.collectorPhone(), "PAY " + s.trader().customerNumber() + " 2.50 4321");
    assertThat(replyTo(outbox(), s.collectorPhone()))
        .contains("trades in Kaneshie Market, which is not assigned to you");
    sms(s.collectorPhone(), "CHECK " + s.trader().customerNumber());
    assertThat(replyTo(outbox(), s.collectorPhone())).contains("not assigned to you");
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).isEmpty();
  }

  @Test
  void onlyARegisteredCollectorMayPayCheckOrTotal() {
    Seeded s = seeded("MAKOLA", Language.EN);
    String stranger = "233209999999";
    sms(stranger, "PAY " + s.trader().customerNumber() + " 2.50 4321");
    sms(stranger, "TOTAL");
    sms(stranger, "CHECK " + s.trader().customerNumber());
    assertThat(replyTo(outbox(), stranger).split(" \\|\\| "))
        .hasSize(3)
        .allMatch(r -> r.contains("not an active collector"));
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).isEmpty();
  }

  @Test
  void checkTotalVerifyAndHelp() {
    Seeded s = seeded("MAKOLA", Language.EN);
    sms(s.collectorPhone(), "CHECK " + s.trader().customerNumber());
    assertThat(replyTo(outbox(), s.collectorPhone()))
        .contains(
            s.trader().name() + " (" + s.trader().customerNumber() + ") owes GHS 7.50 for 3 days");

    sms(s.collectorPhone(), "PAY " + s.trader().customerNumber() + " 7.50 4321");
    String receipt = assembly.recentReceipts(s.trader().id(), 1).get(0).number();
    String verification = assembly.recentReceipts(s.trader().id(), 1).get(0).verificationCode();
    outbox();

    sms(s.collectorPhone(), "total");
    assertThat(replyTo(outbox(), s.collectorPhone()))
        .containsPattern("\\d\\d/\\d\\d/\\d{4}: 1 cash payments, total GHS 7\\.50");

    sms(s.collectorPhone(), "VERIFY " + receipt);
    assertThat(replyTo(outbox(), s.collectorPhone()))
        .contains("Receipt " + receipt + " is genuine: GHS 7.50 for " + s.trader().name());
    sms(s.collectorPhone(), "verify " + verification.toLowerCase());
    assertThat(replyTo(outbox(), s.collectorPhone())).contains("is genuine");
    sms(s.collectorPhone(), "VERIFY " + code + "-2020-999999");
    assertThat(replyTo(outbox(), s.collectorPhone())).contains("It is not genuine");

    sms(s.collectorPhone(), "help");
    assertThat(replyTo(outbox(), s.collectorPhone())).startsWith("Commands: PAY");
  }

  @Test
  void aTraderAsksForTheirBalanceInTheirLanguage() {
    Seeded s = seeded("MAKOLA", Language.TW);
    sms(s.trader().phone(), "BAL");
    assertThat(replyTo(outbox(), s.trader().phone()))
        .isEqualTo(
            s.trader().name() + " (" + s.trader().customerNumber() + ") de ka GHS 7.50, nna 3.");
    sms(s.trader().phone(), "what is this");
    assertThat(replyTo(outbox(), s.trader().phone()))
        .isEqualTo("Kafra, yentumi nkan. Fa HELP mena.");
  }

  @Test
  void aBrokenPayGetsTheUsageAndNothingIsWritten() {
    Seeded s = seeded("MAKOLA", Language.EN);
    sms(s.collectorPhone(), "PAY " + s.trader().customerNumber() + " five 4321");
    assertThat(replyTo(outbox(), s.collectorPhone()))
        .startsWith("Write: PAY <customer no> <amount> <PIN>");
    sms(s.collectorPhone(), "PAY NOBODY-1 5 4321");
    assertThat(replyTo(outbox(), s.collectorPhone()))
        .isEqualTo("No trader NOBODY-1. Check the number.");
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).isEmpty();
  }

  @Test
  void collectorIsTheOneWhosePhoneSentIt() {
    Seeded s = seeded("MAKOLA", Language.EN);
    Collector c = assembly.collectorByPhone(s.collectorPhone()).orElseThrow();
    sms(s.collectorPhone(), "PAY " + s.trader().customerNumber() + " 2.50 4321");
    assertThat(assembly.recentReceipts(s.trader().id(), 1).get(0).collectorId()).contains(c.id());
  }

  @Test
  void aSenderOverTenCommandsAMinuteGetsOneShortReplyAndNothingIsPosted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SmsCommands limited = new SmsCommands(ledger, Translations.load(), clock, registry);
    Seeded s = seeded("MAKOLA", Language.TW);
    String pay = "PAY " + s.trader().customerNumber() + " 2.50 4321";
    for (int i = 0; i < 10; i++) {
      limited.handle(code, "in-" + inbound.incrementAndGet(), s.collectorPhone(), "TOTAL");
    }
    assertThat(outbox()).hasSize(10);

    limited.handle(code, "in-" + inbound.incrementAndGet(), s.collectorPhone(), pay);
    limited.handle(code, "in-" + inbound.incrementAndGet(), s.collectorPhone(), pay);
    limited.handle(code, "in-" + inbound.incrementAndGet(), s.collectorPhone(), "TOTAL");
    List<OutboxMessage> refused = outbox();
    assertThat(refused).hasSize(1);
    assertThat(replyTo(refused, s.collectorPhone()))
        .isEqualTo("Too many messages from this phone. Please wait a minute and send again.");
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).isEmpty();
    assertThat(registry.get("sms.commands.rate_limited").counter().count()).isEqualTo(3.0);

    // Another sender is unaffected; a trader over the limit is told in their own language.
    for (int i = 0; i < 11; i++) {
      limited.handle(code, "in-" + inbound.incrementAndGet(), s.trader().phone(), "BAL");
    }
    List<OutboxMessage> trader = outbox();
    assertThat(trader).hasSize(11);
    assertThat(trader.get(10).text()).startsWith("Wode nkra pii dodo.");

    now.set(now.get().plusSeconds(60));
    limited.handle(code, "in-" + inbound.incrementAndGet(), s.collectorPhone(), pay);
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).hasSize(1);
    // The trader, idle for a minute, has expired from the map of senders.
    assertThat(registry.get("sms.commands.rate_limit.senders").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void aStoredMessageHandledAgainByTheRecoverySweepDoesNotCountTwiceAgainstItsSender() {
    SmsCommands limited =
        new SmsCommands(
            ledger, Translations.load(), clock, null, new PhoneRateLimit(2, 1_000, clock));
    Seeded s = seeded("MAKOLA", Language.EN);
    String first = "in-" + inbound.incrementAndGet();
    limited.handle(code, first, s.collectorPhone(), "TOTAL");
    // Its "handled" mark was lost (the node died, the database blinked): the sweep runs it again.
    limited.handle(code, first, s.collectorPhone(), "TOTAL");
    assertThat(outbox()).hasSize(2);

    // The sender has sent two messages, within two a minute: the PAY is posted, not refused.
    limited.handle(
        code,
        "in-" + inbound.incrementAndGet(),
        s.collectorPhone(),
        "PAY " + s.trader().customerNumber() + " 2.50 4321");
    assertThat(assembly.recentReceipts(s.trader().id(), 10)).hasSize(1);
    outbox();

    // A third message in the same minute is over the limit.
    limited.handle(code, "in-" + inbound.incrementAndGet(), s.collectorPhone(), "TOTAL");
    assertThat(replyTo(outbox(), s.collectorPhone()))
        .isEqualTo("Too many messages from this phone. Please wait a minute and send again.");
  }
}
