package org.assemblypay.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The GSM-7 lookup table agrees with the alphabet it was built from. */
class Gsm7Test {

  @Test
  void basicAndExtensionCharactersAreGsm7AndOthersAreNot() {
    assertThat(Gsm7.isGsm7("Pay GHS 2.50 @ Makola?\n1. Yes\r\nÄÖÑÜ§¿äöñüà£$¥_")).isTrue();
    assertThat(Gsm7.septets("abc")).isEqualTo(3);
    assertThat(Gsm7.septets("a€[]{}")).isEqualTo(11);
    assertThat(Gsm7.isGsm7("Ɛ")).isFalse();
    assertThat(Gsm7.isGsm7("ŋ")).isFalse();
    assertThat(Gsm7.isGsm7("`")).isFalse();
    assertThat(Gsm7.isGsm7("😀")).isFalse();
    assertThat(Gsm7.isGsm7('\u2100')).isFalse();
    assertThat(Gsm7.isGsm7('\uffff')).isFalse();
    assertThat(Gsm7.isGsm7('€')).isTrue();
  }
}
