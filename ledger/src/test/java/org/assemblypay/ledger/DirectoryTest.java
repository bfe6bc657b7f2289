package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectoryTest extends OneAssemblyTest {
  @Test
  void csvImportTakesGoodRowsAndListsBadOnesWithLineNumbers() {
    String csv =
        "\uFEFFCustomer Number,Name,Phone,Zone,Stall,Category\n"
            + "IMP-001,Akosua Asante,0244111222,Makola,A12,Foodstuff\n"
            + "IMP-002,\"Mensah, Yaw\",+233 20 111 2223,KAN,,Cloth\n"
            + "IMP-003,No Phone,,MKT,,\n"
            + ",Missing Number,0244111224,MKT,,\n"
            + "IMP-005,Bad Phone,12345,MKT,,\n"
            + "IMP-006,Unknown Market,0244111226,Atlantis,,\n"
            + "IMP-001,Duplicate,0244111227,MKT,,\n"
            + "IMP-008,\"Multi\nLine\",0244111228,MKT,,\n";
    ImportReport report = a.importTraders(new StringReader(csv));
    assertThat(report.importedCount()).isEqualTo(4);
    assertThat(report.problems())
        .extracting(ImportReport.Problem::lineNumber)
        .containsExactly(5, 6, 7, 8);
    assertThat(report.problems().get(2).reason()).contains("Atlantis");
    assertThat(report.problems().get(3).reason()).contains("already registered");
    Trader yaw = a.traderByCustomerNumber("IMP-002").orElseThrow();
    assertThat(yaw.name()).isEqualTo("Mensah, Yaw");
    assertThat(yaw.phone()).isEqualTo("233201112223");
    assertThat(yaw.marketName()).isEqualTo("Kaneshie");
    assertThat(a.traderByCustomerNumber("IMP-008").orElseThrow().name()).isEqualTo("Multi\nLine");
    // Nothing half-written: the refused rows left no trader behind.
    assertThat(a.traderByCustomerNumber("IMP-005")).isEmpty();
    assertThat(a.tradersByPhone("0244111222"))
        .extracting(Trader::customerNumber)
        .containsExactly("IMP-001");
    assertThat(a.searchTraders("akosua", 0, 10)).hasSize(1);
    assertThat(a.importTraders(new StringReader("Name,Phone\nx,y\n")).problems().get(0).reason())
        .contains("customer");
  }

  @Test
  void traderDetailsLanguageAndSuspension() {
    Trader t = Fixture.trader(a, "MKT");
    Trader moved =
        a.updateTrader(t.id(), new TraderUpdate("Ama Owusu", "0209998887", "KAN", "B7", "Fish"));
    assertThat(moved.marketName()).isEqualTo("Kaneshie");
    assertThat(moved.phone()).isEqualTo("233209998887");
    assertThat(a.setTraderLanguage(t.id(), Language.GAA).language()).isEqualTo(Language.GAA);
    assertThat(a.suspendTrader(t.id()).status()).isEqualTo(ActiveStatus.SUSPENDED);
    // Suspended traders accrue nothing.
    a.accrueCharges(LocalDate.of(2026, 3, 2));
    assertThat(a.arrears(t.id()).totalPesewas()).isZero();
    assertThatThrownBy(
            () -> a.updateTrader(99_999_999, new TraderUpdate("x", null, "MKT", null, null)))
        .isInstanceOf(UnknownEntityException.class);
    assertThatThrownBy(
            () ->
                a.registerTrader(
                    new NewTrader(t.customerNumber(), "Dup", null, "MKT", null, null, Language.EN)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void pinIsHashedAndFiveWrongAttemptsLockTheCollector() {
    Collector c = Fixture.collector(a, "MKT");
    String stored =
        a.dsl()
            .select(org.assemblypay.ledger.jooq.Tables.COLLECTORS.PIN_HASH)
            .from(org.assemblypay.ledger.jooq.Tables.COLLECTORS)
            .where(org.assemblypay.ledger.jooq.Tables.COLLECTORS.ID.eq(c.id()))
            .fetchSingle()
            .value1();
    assertThat(stored).startsWith("pbkdf2-sha256$").doesNotContain("1234");
    assertThat(a.checkCollectorPin(c.phone(), "1234")).isInstanceOf(PinCheck.Accepted.class);
    for (int left = 4; left >= 1; left--) {
      assertThat(a.checkCollectorPin(c.phone(), "9999")).isEqualTo(new PinCheck.Wrong(left));
    }
    PinCheck fifth = a.checkCollectorPin(c.phone(), "9999");
    assertThat(fifth)
        .isInstanceOfSatisfying(PinCheck.Locked.class, l -> assertThat(l.justLocked()).isTrue());
    // Even the right PIN is refused while locked, and the lock is not news any more.
    assertThat(a.checkCollectorPin(c.phone(), "1234"))
        .isInstanceOfSatisfying(PinCheck.Locked.class, l -> assertThat(l.justLocked()).isFalse());
    a.resetCollectorPin(c.id(), "4321");
    assertThat(a.checkCollectorPin(c.phone(), "4321")).isInstanceOf(PinCheck.Accepted.class);
    assertThat(a.checkCollectorPin("0200000000", "4321"))
        .isInstanceOf(PinCheck.UnknownCollector.class);
    assertThatThrownBy(() -> a.resetCollectorPin(c.id(), "12"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void collectorsCollectOnlyInTheirMarkets() {
    Collector c = Fixture.collector(a, "KAN");
    Trader t = Fixture.trader(a, "MKT");
    assertThatThrownBy(
            () ->
                a.postCashPayment(
                    new CashPayment("scope-1", c.id(), t.id(), 100), Fixture.NOTIFIER))
        .isInstanceOf(InvalidInputException.class);
    Collector moved = a.assignCollectorMarkets(c.id(), Set.of("MKT", "KAN"));
    assertThat(moved.marketIds()).hasSize(2);
    assertThat(
            a.postCashPayment(new CashPayment("scope-1", c.id(), t.id(), 100), Fixture.NOTIFIER)
                .receipt())
        .isNotNull();
    assertThat(a.markets()).extracting(Market::code).containsAll(List.of("MKT", "KAN", "LP"));
  }

  @Test
  void repeatedCashReportWaitsForItsConfirmationCodeOnce() {
    Collector c = Fixture.collector(a, "MKT");
    Trader t = Fixture.trader(a, "MKT");
    java.time.Instant now = java.time.Instant.now();
    String code = a.requestCashConfirmation(c.id(), t.id(), 500, now.plusSeconds(600));
    assertThat(code).matches("[0-9]{4}");
    assertThat(a.takeCashConfirmation(c.id(), "x" + code, now)).isEmpty();
    PendingCash pending = a.takeCashConfirmation(c.id(), code, now).orElseThrow();
    assertThat(pending.traderId()).isEqualTo(t.id());
    assertThat(pending.amountPesewas()).isEqualTo(500);
    assertThat(a.takeCashConfirmation(c.id(), code, now)).as("used once").isEmpty();
    String late = a.requestCashConfirmation(c.id(), t.id(), 500, now.plusSeconds(60));
    assertThat(a.takeCashConfirmation(c.id(), late, now.plusSeconds(61))).as("expired").isEmpty();
    // The collector's confirmation SMS can quote the day's total.
    java.util.List<Long> totals = new java.util.ArrayList<>();
    Notifier capture =
        facts -> {
          totals.add(facts.collector().orElseThrow().dayTotalPesewas());
          return java.util.List.of();
        };
    a.postCashPayment(new CashPayment("tot-1-" + code, c.id(), t.id(), 500), capture);
    a.postCashPayment(new CashPayment("tot-2-" + code, c.id(), t.id(), 300), capture);
    assertThat(totals).containsExactly(500L, 800L);
  }
}
