package org.assemblypay.gateway.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.menus.Translations;
import org.assemblypay.menus.sms.ReceiptNotifier;
import org.assemblypay.payments.MobileMoneyProviders;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.lifecycle.PaymentOrder;
import org.assemblypay.payments.lifecycle.PaymentService;
import org.assemblypay.payments.lifecycle.PaymentSettings;
import org.assemblypay.payments.lifecycle.StartResult;
import org.junit.jupiter.api.Test;

/**
 * A payment nobody approves, end to end with the gateway's parts: the configured local expiry, the
 * real ReceiptNotifier and translations, the ledger's outbox. The trader gets one SMS in their
 * language, however often the poller looks again.
 */
class PaymentExpirySmsTest {

  /** A clock the test moves forward. */
  private static final class SteppingClock implements InstantSource {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration by) {
      now.updateAndGet(t -> t.plus(by));
    }
  }

  @Test
  void aPaymentNobodyApprovesExpiresWithOneSmsInTheTradersLanguage() throws Exception {
    TestDatabase db = TestDatabase.get();
    String code = TestDatabase.uniqueAssemblyCode("PEX");
    String ussd = TestDatabase.uniqueUssdCode();
    PaymentsConfig config =
        new ConfigLoader(Map.of())
            .loadText(
                """
                database:
                  url: jdbc:postgresql://unused/gw
                payments:
                  providers:
                    - {name: simulator, kind: simulator, settings: {approvalDelayMillis: "0"}}
                  providerByNetwork: {MTN: simulator}
                  localExpiryMinutes: 2
                  pollIntervalMillis: 50
                  firstPollDelaySeconds: 0
                """)
            .payments();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    SteppingClock clock = new SteppingClock();
    try (Ledger ledger =
        Ledger.open(
            config.ledgerSettings(LedgerSettings.of(db.jdbcUrl(), db.user(), db.password())))) {
      ledger.assemblies().register(NewAssembly.inMainDatabase(code, "Expiry " + code, ussd));
      AssemblyLedger assembly = ledger.assembly(code);
      assembly.registerMarket(
          new NewMarket("MKT", "Makola", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
      long traderId =
          assembly
              .registerTrader(
                  new NewTrader(
                      "X" + UUID.randomUUID().toString().substring(0, 12),
                      "Akosua Asante",
                      "0244555454",
                      "MKT",
                      null,
                      null,
                      Language.TW))
              .id();
      Translations translations = Translations.load();
      // Only this assembly: the shared test database holds other people's payments.
      PaymentSettings settings =
          PaymentsWiring.settings(config, PaymentsWiring.routing(config))
              .withServedAssemblies(Set.of(code));
      // The simulator's payer ending 454 never answers.
      try (PaymentService service =
          PaymentService.create(
              settings,
              ledger,
              config.providers().stream().map(PaymentsWiring::provider).toList(),
              MobileMoneyProviders.httpClient(Duration.ofSeconds(1)),
              scheduler,
              c -> ReceiptNotifier.forAssembly(translations, ledger.assembly(c).assembly()),
              new SimpleMeterRegistry(),
              clock)) {
        StartResult started =
            service.start(
                new PaymentOrder(
                    code,
                    traderId,
                    Msisdn.parse("0244555454").orElseThrow(),
                    500,
                    PaymentPurpose.AMOUNT,
                    Language.TW,
                    Optional.empty(),
                    "Makola toll",
                    "Test toll"));
        UUID reference = ((StartResult.Started) started).reference();
        service.startPolling();

        clock.advance(Duration.ofMinutes(3));
        awaitStatus(assembly, reference, PaymentStatus.EXPIRED);
        List<String> sms = smsFor(db, code, reference);
        assertThat(sms)
            .containsExactly(
                code.substring(0, Math.min(11, code.length()))
                    + ": wompenee wo GHS 5.00 tua no so ntem. Se wotwa sika fii wo wallet mu a,"
                    + " wo receipt beba SMS so. Anyese fre "
                    + ussd
                    + " na tua bio.");

        // Replayed: the poller looks again (the slow re-check of expired payments) twice.
        for (int i = 0; i < 2; i++) {
          clock.advance(Duration.ofMinutes(31));
          Thread.sleep(500);
        }
        assertThat(smsFor(db, code, reference)).hasSize(1);
        assertThat(assembly.payment(reference).orElseThrow().status())
            .isEqualTo(PaymentStatus.EXPIRED);
        assertThat(assembly.payment(reference).orElseThrow().transferId()).isEmpty();
      }
    } finally {
      scheduler.shutdownNow();
      db.dropAssembly(code);
    }
  }

  private static void awaitStatus(AssemblyLedger assembly, UUID reference, PaymentStatus status)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (assembly.payment(reference).orElseThrow().status() != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("payment did not become " + status);
      }
      Thread.sleep(20);
    }
  }

  private static List<String> smsFor(TestDatabase db, String code, UUID reference)
      throws Exception {
    List<String> texts = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "select text from asm_"
                    + code.toLowerCase(Locale.ROOT)
                    + ".sms_outbox where correlation_id = ?")) {
      s.setString(1, reference.toString());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          texts.add(r.getString(1));
        }
      }
    }
    return texts;
  }
}
