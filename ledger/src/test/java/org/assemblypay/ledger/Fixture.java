package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.ALLOCATIONS;
import static org.assemblypay.ledger.jooq.Tables.CHARGES;
import static org.assemblypay.ledger.jooq.Tables.PAYMENTS;
import static org.assemblypay.ledger.jooq.Tables.POSTINGS;
import static org.assemblypay.ledger.jooq.Tables.RECEIPTS;
import static org.assemblypay.ledger.jooq.Tables.TRADERS;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.ledger.testing.TestDatabase;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Shared test set-up: a ledger on the test database and fresh assemblies with markets and rates.
 */
final class Fixture implements AutoCloseable {
  static final long TOLL_PESEWAS = 250;
  static final long RENT_PESEWAS = 5_000;
  static final long LORRY_PESEWAS = 300;
  private static final AtomicInteger PHONES = new AtomicInteger(1000);

  final TestDatabase db = TestDatabase.get();
  final Ledger ledger;
  private final List<String> created = new ArrayList<>();

  Fixture() {
    ledger =
        Ledger.open(
            LedgerSettings.of(db.jdbcUrl(), db.user(), db.password())
                .withMaxPoolSizePerDatabase(12));
  }

  /** Notifier used by tests: one SMS to the trader naming the receipt. */
  static final Notifier NOTIFIER =
      facts ->
          facts.traderPhone() == null
              ? List.of()
              : List.of(
                  new OutboundSmsDraft(
                      facts.traderPhone(),
                      "Paid GHS "
                          + facts.amountPesewas() / 100.0
                          + " receipt "
                          + facts.receiptNumber(),
                      facts.traderLanguage(),
                      facts.receiptNumber()));

  AssemblyLedger newAssembly() {
    return newAssembly(null);
  }

  AssemblyLedger newAssembly(String ownJdbcUrl) {
    String code = TestDatabase.uniqueAssemblyCode("T");
    created.add(code);
    NewAssembly n =
        NewAssembly.inMainDatabase(code, "Test Assembly " + code, TestDatabase.uniqueUssdCode());
    if (ownJdbcUrl != null) {
      n = n.withOwnJdbcUrl(ownJdbcUrl);
    }
    ledger.assemblies().register(n);
    AssemblyLedger a = ledger.assembly(code);
    a.registerMarket(
        new NewMarket("MKT", "Makola", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
    a.registerMarket(
        new NewMarket(
            "KAN",
            "Kaneshie",
            MarketKind.MARKET,
            EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY)));
    a.registerMarket(
        new NewMarket("LP", "Tema Station", MarketKind.LORRY_PARK, EnumSet.allOf(DayOfWeek.class)));
    LocalDate from = LocalDate.of(2020, 1, 1);
    a.registerRate(
        new NewRate(
            ChargeItem.DAILY_TOLL, null, null, TOLL_PESEWAS, RatePeriod.DAY, Set.of(), from, null));
    a.registerRate(
        new NewRate(
            ChargeItem.STALL_RENT,
            null,
            null,
            RENT_PESEWAS,
            RatePeriod.MONTH,
            Set.of(),
            from,
            null));
    a.registerRate(
        new NewRate(
            ChargeItem.LORRY_TICKET,
            "LP",
            null,
            LORRY_PESEWAS,
            RatePeriod.DAY,
            Set.of(),
            from,
            null));
    return a;
  }

  static String phone() {
    return "024" + String.format("%07d", PHONES.incrementAndGet());
  }

  static Trader trader(AssemblyLedger a, String market) {
    return a.registerTrader(
        new NewTrader(
            "C" + UUID.randomUUID().toString().substring(0, 12),
            "Ama Mensah",
            phone(),
            market,
            null,
            null,
            Language.TW));
  }

  static Collector collector(AssemblyLedger a, String... markets) {
    return a.registerCollector(
        new NewCollector(
            "S" + UUID.randomUUID().toString().substring(0, 8),
            "Kofi Boateng",
            phone(),
            "1234",
            Set.of(markets)));
  }

  static Payment intent(AssemblyLedger a, long traderId, long amountPesewas) {
    return a.createPaymentIntent(
        new NewPayment(
            UUID.randomUUID(),
            "mtn",
            traderId,
            "0244000001",
            amountPesewas,
            PaymentPurpose.AMOUNT,
            Language.EN));
  }

  /** Counts rows in the money tables, to prove that a rejected call wrote nothing. */
  static List<Integer> moneyRowCounts(AssemblyLedger a) {
    DSLContext d = a.dsl();
    return List.of(
        d.fetchCount(TRANSFERS),
        d.fetchCount(POSTINGS),
        d.fetchCount(PAYMENTS),
        d.fetchCount(RECEIPTS),
        d.fetchCount(ALLOCATIONS),
        d.fetchCount(org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX),
        d.fetchCount(TRADERS),
        d.fetchCount(CHARGES));
  }

  /** Asserts every ledger rule that can be read from the data. */
  static void assertInvariants(AssemblyLedger a) {
    DSLContext d = a.dsl();
    // Rule 2: each transfer balances, each balance equals the sum of its postings, all sum to 0.
    assertThat(
            d.select(POSTINGS.TRANSFER_ID)
                .from(POSTINGS)
                .groupBy(POSTINGS.TRANSFER_ID)
                .having(DSL.sum(POSTINGS.AMOUNT_PESEWAS).ne(java.math.BigDecimal.ZERO))
                .fetch())
        .as("unbalanced transfers")
        .isEmpty();
    assertThat(
            d.select(ACCOUNTS.ID)
                .from(ACCOUNTS)
                .leftJoin(POSTINGS)
                .on(POSTINGS.ACCOUNT_ID.eq(ACCOUNTS.ID))
                .groupBy(ACCOUNTS.ID, ACCOUNTS.BALANCE_PESEWAS)
                .having(
                    DSL.coalesce(DSL.sum(POSTINGS.AMOUNT_PESEWAS), java.math.BigDecimal.ZERO)
                        .ne(ACCOUNTS.BALANCE_PESEWAS.cast(java.math.BigDecimal.class)))
                .fetch())
        .as("accounts whose balance differs from their postings")
        .isEmpty();
    assertThat(d.select(DSL.sum(ACCOUNTS.BALANCE_PESEWAS)).from(ACCOUNTS).fetchSingle().value1())
        .satisfiesAnyOf(v -> assertThat(v).isNull(), v -> assertThat(v).isEqualByComparingTo("0"));
    // Charges: paid equals what was allocated to them.
    assertThat(
            d.select(CHARGES.ID)
                .from(CHARGES)
                .leftJoin(ALLOCATIONS)
                .on(ALLOCATIONS.CHARGE_ID.eq(CHARGES.ID))
                .groupBy(CHARGES.ID, CHARGES.PAID_PESEWAS)
                .having(
                    DSL.coalesce(DSL.sum(ALLOCATIONS.AMOUNT_PESEWAS), java.math.BigDecimal.ZERO)
                        .ne(CHARGES.PAID_PESEWAS.cast(java.math.BigDecimal.class)))
                .fetch())
        .as("charges whose paid amount differs from their allocations")
        .isEmpty();
    // Per trader: credit = open charges - balance is never negative, and credit means no arrears.
    for (var r :
        d.select(ACCOUNTS.OWNER_ID, ACCOUNTS.BALANCE_PESEWAS)
            .from(ACCOUNTS)
            .where(ACCOUNTS.KIND.eq("TRADER"))
            .fetch()) {
      long open =
          d.select(
                  DSL.coalesce(
                      DSL.sum(CHARGES.AMOUNT_PESEWAS.minus(CHARGES.PAID_PESEWAS)),
                      java.math.BigDecimal.ZERO))
              .from(CHARGES)
              .where(CHARGES.TRADER_ID.eq(r.value1()))
              .fetchSingle()
              .value1()
              .longValueExact();
      long credit = open - r.value2();
      assertThat(credit).as("credit of trader %s", r.value1()).isGreaterThanOrEqualTo(0);
      if (credit > 0) {
        assertThat(open).as("open charges of trader %s with credit", r.value1()).isZero();
      }
    }
    // Rule 4 and 5: one transfer per successful payment, referenced from it.
    assertThat(
            d.fetchCount(
                PAYMENTS, PAYMENTS.STATUS.eq("SUCCESSFUL").and(PAYMENTS.TRANSFER_ID.isNull())))
        .isZero();
    assertThat(
            d.fetchCount(
                PAYMENTS, PAYMENTS.STATUS.ne("SUCCESSFUL").and(PAYMENTS.TRANSFER_ID.isNotNull())))
        .isZero();
    // Rule 7: receipts gapless per year.
    for (var r :
        d.select(RECEIPTS.YEAR, DSL.count(), DSL.min(RECEIPTS.SEQ), DSL.max(RECEIPTS.SEQ))
            .from(RECEIPTS)
            .groupBy(RECEIPTS.YEAR)
            .fetch()) {
      assertThat(r.value3()).isEqualTo(1L);
      assertThat(r.value4()).isEqualTo((long) r.value2());
    }
  }

  @Override
  public void close() throws SQLException {
    ledger.close();
    for (String code : created) {
      db.dropAssembly(code);
    }
  }
}
