package org.assemblypay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ledger, the payments bridge and the USSD engine read a phone number the same way (D240): the
 * bridge calls the ledger's rule, the engine keeps a copy of it, and all three must give the same
 * answer for any input, so a number one module accepts is never refused by another.
 */
class PhoneRuleAgreementTest {

  private static Optional<String> ledger(String raw) {
    return org.assemblypay.ledger.Msisdn.parse(raw);
  }

  private static Optional<String> payments(String raw) {
    return org.assemblypay.payments.Msisdn.parse(raw).map(org.assemblypay.payments.Msisdn::digits);
  }

  private static Optional<String> ussd(String raw) {
    return org.assemblypay.ussd.Msisdn.parse(raw).map(org.assemblypay.ussd.Msisdn::value);
  }

  @Test
  void theUsualFormsAndTheEdgesGetOneAnswer() {
    List<String> inputs =
        List.of(
            "0244123456",
            "244123456",
            "233244123456",
            "+233244123456",
            "00233244123456",
            "+233 24 412 3456",
            "024-412-3456",
            "(024) 412 3456",
            "024.412.3456",
            " 0244123456 ",
            "0302123456",
            "0554123456",
            "0144123456",
            "0444123456",
            "0944123456",
            "233044123456",
            "024412345",
            "02441234567",
            "+2348031234567",
            "447700900123",
            "0044123678",
            "",
            "   ",
            "0244 12345x",
            "٠٢٤٤١٢٣٤٥٦");
    for (String raw : inputs) {
      assertThat(payments(raw)).as("payments bridge on '%s'", raw).isEqualTo(ledger(raw));
      assertThat(ussd(raw)).as("USSD engine on '%s'", raw).isEqualTo(ledger(raw));
    }
    assertThat(ledger("(024) 412 3456")).contains("233244123456");
    assertThat(ledger("0144123456")).isEmpty();
  }

  @Test
  void randomInputsGetOneAnswer() {
    String alphabet = "0123456789012345678923535+ -().\t\n\u000B\f\r\u00A0x٣";
    Random random = new Random(20261122);
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      StringBuilder raw = new StringBuilder();
      raw.append(new String[] {"", "0", "+233", "00233", "233"}[random.nextInt(5)]);
      int length = 6 + random.nextInt(10);
      for (int j = 0; j < length; j++) {
        raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String input = raw.toString();
      Optional<String> expected = ledger(input);
      assertThat(payments(input)).as("payments bridge on '%s'", input).isEqualTo(expected);
      assertThat(ussd(input)).as("USSD engine on '%s'", input).isEqualTo(expected);
      expected.ifPresent(accepted::add);
    }
    // Both answers were exercised.
    assertThat(accepted).hasSizeBetween(1_000, 99_000);
  }
}
