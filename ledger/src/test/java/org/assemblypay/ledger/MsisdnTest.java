package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Phone numbers are normalised exactly as the regular expressions of earlier releases did. */
class MsisdnTest {

  /** The regular-expression version this replaces, kept as the reference. */
  private static String reference(String raw) {
    String digits = raw.replaceAll("[\\s\\-().]", "");
    if (digits.startsWith("+")) {
      digits = digits.substring(1);
    } else if (digits.startsWith("00")) {
      digits = digits.substring(2);
    }
    if (digits.length() == 10 && digits.startsWith("0")) {
      digits = "233" + digits.substring(1);
    } else if (digits.length() == 9 && !digits.startsWith("0")) {
      digits = "233" + digits;
    }
    return digits.matches("233[235][0-9]{8}") ? digits : null;
  }

  private static String normalized(String raw) {
    try {
      return Msisdn.normalize(raw);
    } catch (InvalidInputException e) {
      return null;
    }
  }

  @Test
  void theUsualFormsAreAccepted() {
    assertThat(Msisdn.normalize("0244000001")).isEqualTo("233244000001");
    assertThat(Msisdn.normalize("+233 24 400-0001")).isEqualTo("233244000001");
    assertThat(Msisdn.normalize("00233(24)4000001")).isEqualTo("233244000001");
    assertThat(Msisdn.normalize("244000001")).isEqualTo("233244000001");
    assertThat(Msisdn.normalize("233244000001")).isEqualTo("233244000001");
    assertThat(Msisdn.normalize("024.400.0001")).isEqualTo("233244000001");
    assertThat(Msisdn.normalize("0302 123456")).isEqualTo("233302123456");
    assertThat(Msisdn.parse("(055) 400 0001")).contains("233554000001");
  }

  @Test
  void otherNumbersAreRefusedWithTheNumberMasked() {
    for (String bad :
        new String[] {
          "",
          "+4915123456789",
          "0044000001",
          "233044000001",
          "23324400000x",
          "٠٢٤٤",
          "0144000001",
          "233944000001"
        }) {
      assertThatThrownBy(() -> Msisdn.normalize(bad))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageNotContaining("15123456789");
    }
    assertThatThrownBy(() -> Msisdn.normalize(null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void randomInputsGetTheSameAnswerAsTheRegularExpressions() {
    String alphabet = "0123456789012345678923+ -().\t\n\u000B\f\r\u00A0x٣";
    Random random = new Random(20261121);
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder raw = new StringBuilder();
      int prefix = random.nextInt(5);
      raw.append(new String[] {"", "0", "+233", "00233", "233"}[prefix]);
      int length = 6 + random.nextInt(10);
      for (int j = 0; j < length; j++) {
        raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String input = raw.toString();
      String expected = reference(input);
      assertThat(normalized(input)).as("normalising %s", input).isEqualTo(expected);
      if (expected != null) {
        accepted++;
      }
    }
    // Both answers were exercised.
    assertThat(accepted).isGreaterThan(1_000).isLessThan(200_000);
  }
}
