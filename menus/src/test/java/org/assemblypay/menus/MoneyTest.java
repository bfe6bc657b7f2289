package org.assemblypay.menus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void writesCedisWithTwoDecimals() {
    assertThat(Money.format(500)).isEqualTo("GHS 5.00");
    assertThat(Money.format(1250)).isEqualTo("GHS 12.50");
    assertThat(Money.format(5)).isEqualTo("GHS 0.05");
    assertThat(Money.format(0)).isEqualTo("GHS 0.00");
    assertThat(Money.format(-250)).isEqualTo("GHS -2.50");
  }

  @Test
  void readsWhatPeopleType() {
    assertThat(Money.parse("5")).contains(500L);
    assertThat(Money.parse("5.00")).contains(500L);
    assertThat(Money.parse("5,00")).contains(500L);
    assertThat(Money.parse("GHS5")).contains(500L);
    assertThat(Money.parse("ghs 2.5")).contains(250L);
    assertThat(Money.parse(" 12.05 ")).contains(1205L);
  }

  @Test
  void refusesWhatIsNotAnAmount() {
    assertThat(Money.parse("")).isEmpty();
    assertThat(Money.parse("5.005")).isEmpty();
    assertThat(Money.parse("-5")).isEmpty();
    assertThat(Money.parse("five")).isEmpty();
    assertThat(Money.parse("1e3")).isEmpty();
    assertThat(Money.parse(null)).isEmpty();
  }

  @Property
  void formatThenParseIsTheSameAmount(
      @ForAll @LongRange(min = 0, max = 99_999_999_99L) long pesewas) {
    assertThat(Money.parse(Money.format(pesewas))).contains(pesewas);
  }

  @Test
  void datesAreDayFirst() {
    assertThat(Dates.format(LocalDate.of(2026, 11, 21))).isEqualTo("21/11/2026");
    assertThat(Dates.format(LocalDate.of(2026, 1, 2))).isEqualTo("02/01/2026");
  }
}
