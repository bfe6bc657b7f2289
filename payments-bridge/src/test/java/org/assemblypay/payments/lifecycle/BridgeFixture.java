package org.assemblypay.payments.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.FailedPaymentFacts;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.ledger.Payment;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.ledger.PostingFacts;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.payments.MobileMoneyProviders;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderConfig;
import org.assemblypay.payments.RoutingTable;

/**
 * One test class's world: a fresh assembly with a market and a trader on the shared test database,
 * payment services over it, and questions the tests ask of the ledger's tables.
 */
final class BridgeFixture implements AutoCloseable {

  static final long AMOUNT_PESEWAS = 500;

  /** How the test notifier's expiry SMS starts. */
  static final String EXPIRY_SMS = "TEST expired";

  /** SMS wording for tests: recognisable receipt, failure and expiry texts. */
  static final Notifier NOTIFIER =
      new Notifier() {
        @Override
        public List<OutboundSmsDraft> messagesFor(PostingFacts facts) {
          return List.of(
              new OutboundSmsDraft(
                  facts.payerMsisdn().orElse(facts.traderPhone()),
                  "TEST receipt "
                      + facts.receiptNumber()
                      + ": GHS "
                      + facts.amountPesewas() / 100
                      + "."
                      + String.format(Locale.ROOT, "%02d", facts.amountPesewas() % 100)
                      + " paid. Verify: "
                      + facts.verificationCode(),
                  facts.payerLanguage().orElse(facts.traderLanguage()),
                  facts.receiptNumber()));
        }

        @Override
        public List<OutboundSmsDraft> failureMessagesFor(FailedPaymentFacts facts) {
          return List.of(
              new OutboundSmsDraft(
                  facts.payerMsisdn(),
                  "TEST failed " + facts.reason(),
                  facts.payerLanguage(),
                  facts.reference().toString()));
        }

        @Override
        public List<OutboundSmsDraft> expiryMessagesFor(FailedPaymentFacts facts) {
          return List.of(
              new OutboundSmsDraft(
                  facts.payerMsisdn(),
                  EXPIRY_SMS + " " + facts.amountPesewas(),
                  facts.payerLanguage(),
                  facts.reference().toString()));
        }
      };

  final TestDatabase db = TestDatabase.get();
  final Ledger ledger;
  final String code;
  final AssemblyLedger assembly;
  final long traderId;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final List<PaymentService> services = new ArrayList<>();

  BridgeFixture(String prefix) {
    ledger =
        Ledger.open(
            LedgerSettings.of(db.jdbcUrl(), db.user(), db.password())
                .withMaxPoolSizePerDatabase(8));
    code = TestDatabase.uniqueAssemblyCode(prefix);
    ledger
        .assemblies()
        .register(
            NewAssembly.inMainDatabase(
                code, "Test Assembly " + code, TestDatabase.uniqueUssdCode()));
    assembly = ledger.assembly(code);
    assembly.registerMarket(
        new NewMarket("MKT", "Makola", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
    traderId =
        assembly
            .registerTrader(
                new NewTrader(
                    "C" + UUID.randomUUID().toString().substring(0, 12),
                    "Ama Mensah",
                    "0244" + ThreadLocalRandom.current().nextInt(100_000, 999_999),
                    "MKT",
                    null,
                    null,
                    Language.EN))
            .id();
  }

  /** Routing MTN to {@code mtnProvider}, Telecel and AirtelTigo to {@code otherProvider}. */
  static RoutingTable routing(String mtnProvider, String otherProvider) {
    Map<Network, String> byNetwork =
        otherProvider == null
            ? Map.of(Network.MTN, mtnProvider)
            : Map.of(
                Network.MTN,
                mtnProvider,
                Network.TELECEL,
                otherProvider,
                Network.AIRTELTIGO,
                otherProvider);
    return RoutingTable.ghana(byNetwork);
  }

  PaymentService service(
      List<ProviderConfig> providers,
      RoutingTable routing,
      InstantSource clock,
      UnaryOperator<PaymentSettings> tweak) {
    // No jitter by default: these tests step a clock by exact pauses. PollJitterTest covers it.
    PaymentSettings base =
        PaymentSettings.defaults(routing)
            .withServedAssemblies(Set.of(code))
            .withPollTimings(1_000, 0, 60_000);
    PaymentSettings settings = tweak.apply(base);
    PaymentService service =
        PaymentService.create(
            settings,
            ledger,
            providers,
            MobileMoneyProviders.httpClient(Duration.ofSeconds(1)),
            scheduler,
            assemblyCode -> NOTIFIER,
            meters,
            clock);
    services.add(service);
    return service;
  }

  PaymentOrder order(String payerLocal) {
    return new PaymentOrder(
        code,
        traderId,
        Msisdn.parse(payerLocal).orElseThrow(),
        AMOUNT_PESEWAS,
        PaymentPurpose.AMOUNT,
        Language.EN,
        Optional.empty(),
        "Makola daily toll 21/11/2026",
        "Test market toll");
  }

  Payment payment(UUID reference) {
    return assembly.payment(reference).orElseThrow();
  }

  Payment awaitStatus(UUID reference, PaymentStatus status) {
    await(
        () -> assembly.payment(reference).map(p -> p.status() == status).orElse(false),
        "payment " + reference + " to become " + status);
    return payment(reference);
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Transfers posted for this payment, as "KIND:amount". */
  List<String> transfers(String provider, UUID reference) {
    return strings(
        "select kind || ':' || amount_pesewas from %s.transfers where idempotency_key = ?",
        provider + ":" + reference);
  }

  /** SMS queued for the payment: its receipt SMS (through its transfer) and failure SMS. */
  List<String> sms(String provider, UUID reference) {
    List<String> texts =
        new ArrayList<>(
            strings(
                "select o.text from %s.sms_outbox o join %1$s.transfers t on o.transfer_id = t.id"
                    + " where t.idempotency_key = ?",
                provider + ":" + reference));
    // A failure SMS has no transfer; it carries the payment's correlation id, which for a payment
    // started outside any action is its reference (receipts carry it too, hence the transfer test).
    texts.addAll(
        strings(
            "select text from %s.sms_outbox where correlation_id = ? and transfer_id is null",
            reference.toString()));
    return texts;
  }

  /** Expiry SMS queued for the payment. */
  List<String> expirySms(UUID reference) {
    return strings(
        "select text from %s.sms_outbox where correlation_id = ? and text like ?",
        reference.toString(), EXPIRY_SMS + "%");
  }

  /** Money in the collection accounts and suspense across the assembly. */
  long moneyReceivedPesewas() {
    List<String> total =
        strings(
            "select coalesce(sum(amount_pesewas), 0)::text from %s.transfers"
                + " where kind in ('MOMO_PAYMENT', 'SUSPENSE') and ? = ?",
            "x", "x");
    return Long.parseLong(total.get(0));
  }

  /** The payment was counted exactly once, for {@code amountPesewas}, with one receipt SMS. */
  void assertSettledOnce(String provider, UUID reference) {
    Payment payment = payment(reference);
    assertThat(payment.status()).isEqualTo(PaymentStatus.SUCCESSFUL);
    assertThat(payment.suspense()).isFalse();
    assertThat(transfers(provider, reference)).containsExactly("MOMO_PAYMENT:" + AMOUNT_PESEWAS);
    assertThat(sms(provider, reference))
        .filteredOn(text -> !text.startsWith(EXPIRY_SMS))
        .singleElement()
        .asString()
        .startsWith("TEST receipt ")
        .contains("GHS 5.00 paid");
  }

  /** No money was counted and no receipt was sent. */
  void assertNoMoney(String provider, UUID reference) {
    assertThat(transfers(provider, reference)).isEmpty();
    assertThat(sms(provider, reference)).noneMatch(text -> text.startsWith("TEST receipt"));
  }

  private List<String> strings(String sqlWithSchema, String... parameters) {
    String sql = String.format(Locale.ROOT, sqlWithSchema, schema());
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String schema() {
    return "asm_" + code.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() throws SQLException {
    services.forEach(PaymentService::close);
    scheduler.shutdownNow();
    ledger.close();
    db.dropAssembly(code);
  }
}
