package org.assemblypay.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumberMaskerTest {

  @Test
  void masksGhanaianNumbersInEveryWrittenForm() {
    assertThat(PhoneNumberMasker.maskText("hop from 233244123678 ok"))
        .isEqualTo("hop from 0244***678 ok");
    assertThat(PhoneNumberMasker.maskText("to +233244123678")).isEqualTo("to 0244***678");
    assertThat(PhoneNumberMasker.maskText("0244123678,0201234567"))
        .isEqualTo("0244***678,0201***567");
  }

  @Test
  void masksForeignNumbersAndLeavesOtherFiguresAlone() {
    assertThat(PhoneNumberMasker.maskText("payer +4915123456789")).isEqualTo("payer +***789");
    assertThat(PhoneNumberMasker.maskText("receipt AMA-2026-000123 GHS 5.00"))
        .isEqualTo("receipt AMA-2026-000123 GHS 5.00");
    assertThat(PhoneNumberMasker.maskText("already 0244***678")).isEqualTo("already 0244***678");
  }
}
