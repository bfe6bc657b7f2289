package org.assemblypay.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MsisdnTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0244123678",
        "233244123678",
        "+233244123678",
        "00233244123678",
        "024 412 3678",
        "024-412-3678"
      })
  void readsTheFormsPeopleAndAggregatorsUse(String text) {
    assertThat(Msisdn.parse(text)).contains(new Msisdn("233244123678"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "024412367",
        "02441236789",
        "234244123678",
        "2330244123678",
        "0044123678",
        "abc"
      })
  void refusesWhatIsNotAGhanaianMobileNumber(String text) {
    assertThat(Msisdn.parse(text)).isEmpty();
  }

  @Test
  void printsMasked() {
    Msisdn msisdn = Msisdn.parse("0244123678").orElseThrow();

    assertThat(msisdn.local()).isEqualTo("0244123678");
    assertThat(msisdn.masked()).isEqualTo("0244***678");
    assertThat(msisdn.toString()).isEqualTo("0244***678");
    assertThat(
            new CollectionRequest(
                    java.util.UUID.randomUUID(), msisdn, Network.MTN, 1, "GHS", "", "")
                .toString())
        .doesNotContain("233244123678");
  }

  @Test
  void constructorChecksTheForm() {
    assertThatThrownBy(() -> new Msisdn("0244123678")).isInstanceOf(IllegalArgumentException.class);
  }
}
