package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The statements a USSD hop runs are rendered once, yet every read sees the latest money: a payment
 * or an accrual shows on the very next read.
 */
class HotReadsTest extends OneAssemblyTest {
  static final LocalDate MONDAY = LocalDate.of(2026, 3, 2);

  @AfterAll
  static void invariantsHold() {
    Fixture.assertInvariants(a);
  }

  @Test
  void eachStatementHasOnlyItsNamedPlaceholdersAndTheAssemblysSchema() {
    List<String> sql = new HotReads(a.dsl()).statements();
    assertThat(sql).extracting(HotReadsTest::placeholders).containsExactly(1L, 1L, 1L, 2L);
    assertThat(sql).allSatisfy(s -> assertThat(s).contains(a.assembly().schemaName()));
  }

  private static long placeholders(String sql) {
    return sql.chars().filter(c -> c == '?').count();
  }

  @Test
  void anAccrualAndAPaymentAreVisibleOnTheNextRead() {
    Trader t = Fixture.trader(a, "MKT");
    Arrears none = a.arrears(t.id());
    assertThat(none.totalPesewas()).isZero();
    assertThat(none.byItemPesewas()).isEmpty();
    assertThat(none.daysOwed()).isZero();
    assertThat(none.oldestUnpaidDate()).isEmpty();
    assertThat(none.lastPaymentDate()).isEmpty();
    assertThat(a.amountDueToday(t.id(), MONDAY)).isZero();

    a.accrueCharges(MONDAY);
    a.accrueCharges(MONDAY.plusDays(1));
    assertThat(a.amountDueToday(t.id(), MONDAY)).isEqualTo(Fixture.TOLL_PESEWAS);
    Arrears owed = a.arrears(t.id());
    assertThat(owed.totalPesewas()).isEqualTo(2 * Fixture.TOLL_PESEWAS);
    assertThat(owed.byItemPesewas()).containsEntry(ChargeItem.DAILY_TOLL, 2 * Fixture.TOLL_PESEWAS);
    assertThat(owed.daysOwed()).isEqualTo(2);
    assertThat(owed.oldestUnpaidDate()).contains(MONDAY);

    Payment p = Fixture.intent(a, t.id(), Fixture.TOLL_PESEWAS);
    a.settleSuccessful(p.reference(), Fixture.TOLL_PESEWAS, "HOT1", Fixture.NOTIFIER);
    assertThat(a.amountDueToday(t.id(), MONDAY)).isZero();
    assertThat(a.amountDueToday(t.id(), MONDAY.plusDays(1))).isEqualTo(Fixture.TOLL_PESEWAS);
    Arrears after = a.arrears(t.id());
    assertThat(after.totalPesewas()).isEqualTo(Fixture.TOLL_PESEWAS);
    assertThat(after.daysOwed()).isEqualTo(1);
    assertThat(after.oldestUnpaidDate()).contains(MONDAY.plusDays(1));
    assertThat(after.lastPaymentDate()).isPresent();
    assertThat(after.creditPesewas()).isZero();

    // The same settlement replayed counts once: the read does not move.
    a.settleSuccessful(p.reference(), Fixture.TOLL_PESEWAS, "HOT1", Fixture.NOTIFIER);
    assertThat(a.arrears(t.id()).totalPesewas()).isEqualTo(Fixture.TOLL_PESEWAS);
  }

  @Test
  void tradersByPhoneAndByIdMatchWhatWasRegistered() {
    Trader t = Fixture.trader(a, "MKT");
    assertThat(a.trader(t.id())).contains(t);
    assertThat(a.tradersByPhone(t.phone())).containsExactly(t);
    assertThat(a.tradersByPhone("0" + t.phone().substring(3))).containsExactly(t);
    assertThat(a.tradersByPhone("0209999999")).isEmpty();
    assertThat(a.trader(-1)).isEmpty();
  }

  @Test
  void anUnknownTraderIsRefused() {
    assertThatThrownBy(() -> a.arrears(-5)).isInstanceOf(UnknownEntityException.class);
    assertThatThrownBy(() -> a.amountDueToday(-5, MONDAY))
        .isInstanceOf(UnknownEntityException.class);
  }
}
