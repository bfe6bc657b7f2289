package org.assemblypay.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.OptionalLong;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

class DecimalAmountTest {

  @Property
  void pesewasSurviveTheRoundTripThroughText(
      @ForAll @LongRange(min = 0, max = 999_999_999_999_999L) long amountPesewas) {
    String text = DecimalAmount.format(amountPesewas);

    assertThat(text).matches("(0|[1-9][0-9]*)\\.[0-9]{2}");
    assertThat(DecimalAmount.parsePesewas(text)).isEqualTo(OptionalLong.of(amountPesewas));
    assertThat(DecimalAmount.parsePesewas(DecimalAmount.toDecimal(amountPesewas)))
        .isEqualTo(OptionalLong.of(amountPesewas));
  }

  @Property
  void textAgreesWithExactDecimalArithmetic(
      @ForAll @LongRange(min = 0, max = 999_999_999_999_999L) long amountPesewas) {
    assertThat(new BigDecimal(DecimalAmount.format(amountPesewas)))
        .isEqualByComparingTo(BigDecimal.valueOf(amountPesewas).movePointLeft(2));
  }

  @Property
  void parsingAnyTextNeverThrowsAndNeverGoesNegative(@ForAll @StringLength(max = 24) String text) {
    OptionalLong parsed = DecimalAmount.parsePesewas(text);

    parsed.ifPresent(pesewas -> assertThat(pesewas).isNotNegative());
  }

  @Example
  void formatsWithTwoDecimals() {
    assertThat(DecimalAmount.format(0)).isEqualTo("0.00");
    assertThat(DecimalAmount.format(7)).isEqualTo("0.07");
    assertThat(DecimalAmount.format(250)).isEqualTo("2.50");
    assertThat(DecimalAmount.format(500)).isEqualTo("5.00");
    assertThat(DecimalAmount.format(123_456)).isEqualTo("1234.56");
  }

  @Example
  void parsesWhatProvidersSend() {
    assertThat(DecimalAmount.parsePesewas("5")).isEqualTo(OptionalLong.of(500));
    assertThat(DecimalAmount.parsePesewas("5.5")).isEqualTo(OptionalLong.of(550));
    assertThat(DecimalAmount.parsePesewas("5.05")).isEqualTo(OptionalLong.of(505));
    assertThat(DecimalAmount.parsePesewas("0.01")).isEqualTo(OptionalLong.of(1));
    assertThat(DecimalAmount.parsePesewas(new BigDecimal("2.5"))).isEqualTo(OptionalLong.of(250));
    assertThat(DecimalAmount.parsePesewas(new BigDecimal("2.500"))).isEqualTo(OptionalLong.of(250));
  }

  @Example
  void rejectsMalformedAmounts() {
    for (String bad :
        new String[] {
          "",
          " ",
          "5.",
          ".5",
          "5.001",
          "-5",
          "+5",
          "5e2",
          "1,000.00",
          "05",
          "5 ",
          "five",
          "NaN",
          "Infinity",
          "0x10",
          "99999999999999999.00",
          "٥.٠٠"
        }) {
      assertThat(DecimalAmount.parsePesewas(bad)).as(bad).isEmpty();
    }
    assertThat(DecimalAmount.parsePesewas((String) null)).isEmpty();
    assertThat(DecimalAmount.parsePesewas(new BigDecimal("0.005"))).isEmpty();
    assertThat(DecimalAmount.parsePesewas(new BigDecimal("-1"))).isEmpty();
    assertThat(DecimalAmount.parsePesewas(new BigDecimal("1e30"))).isEmpty();
    assertThatThrownBy(() -> DecimalAmount.format(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
