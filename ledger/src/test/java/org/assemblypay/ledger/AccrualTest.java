package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccrualTest extends FixtureTest {
  @Test
  void accrualIsIdempotentPerTraderItemAndPeriod() {
    AssemblyLedger a = fx.newAssembly();
    Trader t = Fixture.trader(a, "MKT");
    LocalDate day = LocalDate.of(2026, 3, 3);
    AccrualResult first = a.accrueCharges(day);
    assertThat(first.chargesCreated()).isEqualTo(1);
    assertThat(first.chargedPesewas()).isEqualTo(Fixture.TOLL_PESEWAS);
    assertThat(a.accrueCharges(day).chargesCreated()).isZero();
    assertThat(a.arrears(t.id()).totalPesewas()).isEqualTo(Fixture.TOLL_PESEWAS);
    // A trader registered later in the day is picked up by a second run, once.
    Trader late = Fixture.trader(a, "MKT");
    assertThat(a.accrueCharges(day).chargesCreated()).isEqualTo(1);
    assertThat(a.amountDueToday(late.id(), day)).isEqualTo(Fixture.TOLL_PESEWAS);
    Fixture.assertInvariants(a);
  }

  @Test
  void tollOnMarketDaysRentOnTheFirstLorryTicketDaily() {
    AssemblyLedger a = fx.newAssembly();
    Trader kaneshie =
        a.registerTrader(
            new NewTrader("K-" + UUID.randomUUID(), "Esi", null, "KAN", "S1", null, Language.EE));
    Trader driver = Fixture.trader(a, "LP");
    LocalDate firstOfJune = LocalDate.of(2026, 6, 1); // a Monday: Kaneshie trades
    LocalDate tuesday = firstOfJune.plusDays(1); // Kaneshie is closed
    a.accrueCharges(firstOfJune);
    a.accrueCharges(tuesday);
    Arrears k = a.arrears(kaneshie.id());
    assertThat(k.byItemPesewas())
        .containsEntry(ChargeItem.DAILY_TOLL, Fixture.TOLL_PESEWAS)
        .containsEntry(ChargeItem.STALL_RENT, Fixture.RENT_PESEWAS);
    assertThat(k.daysOwed()).isEqualTo(1);
    // The lorry park's own rate (more specific than the all-markets toll) is charged every day,
    // and the general toll too since they are different items.
    Arrears d = a.arrears(driver.id());
    assertThat(d.byItemPesewas()).containsEntry(ChargeItem.LORRY_TICKET, 2 * Fixture.LORRY_PESEWAS);
    Fixture.assertInvariants(a);
  }

  @Test
  void theMostSpecificRateDecides() {
    AssemblyLedger a = fx.newAssembly();
    LocalDate from = LocalDate.of(2020, 1, 1);
    a.registerRate(
        new NewRate(
            ChargeItem.DAILY_TOLL, "MKT", "Fish", 400, RatePeriod.DAY, Set.of(), from, null));
    // A market-specific toll that only applies on Saturdays: on other days nothing, not the general
    // rate.
    a.registerMarket(
        new NewMarket("SAT", "Saturday Market", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
    a.registerRate(
        new NewRate(
            ChargeItem.DAILY_TOLL,
            "SAT",
            null,
            150,
            RatePeriod.DAY,
            Set.of(DayOfWeek.SATURDAY),
            from,
            null));
    Trader fish =
        a.registerTrader(
            new NewTrader(
                "F-" + UUID.randomUUID(), "Fishmonger", null, "MKT", null, "Fish", Language.EN));
    Trader sat =
        a.registerTrader(
            new NewTrader("S-" + UUID.randomUUID(), "Sat", null, "SAT", null, null, Language.EN));
    LocalDate monday = LocalDate.of(2026, 3, 2);
    a.accrueCharges(monday);
    a.accrueCharges(monday.plusDays(5));
    assertThat(a.arrears(fish.id()).totalPesewas()).isEqualTo(800);
    assertThat(a.arrears(sat.id()).totalPesewas()).isEqualTo(150);
    Fixture.assertInvariants(a);
  }
}
