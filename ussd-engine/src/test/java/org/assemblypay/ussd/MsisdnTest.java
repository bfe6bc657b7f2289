package org.assemblypay.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MsisdnTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0244123456",
        "244123456",
        "233244123456",
        "+233244123456",
        "+233 24 412 3456",
        "00233244123456",
        "024-412-3456"
      })
  void ghanaianFormsNormalise(String raw) {
    Msisdn msisdn = Msisdn.parse(raw).orElseThrow();
    assertThat(msisdn.value()).isEqualTo("233244123456");
    assertThat(msisdn.masked()).isEqualTo("0244***456");
    assertThat(msisdn.toString()).doesNotContain("123456");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "  ",
        "+2348031234567",
        "447700900123",
        "2332441234567",
        "0244 12345",
        "abc",
        "233144123456",
        "0144123456",
        "+1 202 555 0100"
      })
  void foreignOrGarbageIsRefused(String raw) {
    assertThat(Msisdn.parse(raw)).isEmpty();
  }
}
