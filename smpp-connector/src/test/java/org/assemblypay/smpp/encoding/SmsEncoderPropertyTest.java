package org.assemblypay.smpp.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assemblypay.smpp.ConcatenationMode;

/** Encoder invariants over many random texts: nothing lost, limits kept, headers consistent. */
class SmsEncoderPropertyTest {

  private static final String GSM_CHARS =
      "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà"
          + "^{}\\[]~|€\n";

  @Provide
  Arbitrary<String> gsmTexts() {
    return Arbitraries.strings()
        .withChars(GSM_CHARS.toCharArray())
        .ofMinLength(0)
        .ofMaxLength(1_000);
  }

  @Provide
  Arbitrary<String> anyTexts() {
    return Arbitraries.oneOf(
        gsmTexts(),
        Arbitraries.strings().withCharRange('\u0020', '\u2FFF').ofMaxLength(500),
        Arbitraries.of("a", "ɛ", "ɔ", "₵", "😀", "€", "{")
            .list()
            .ofMaxSize(300)
            .map(symbols -> String.join("", symbols)));
  }

  @Property(tries = 300)
  void gsm_text_round_trips_and_parts_respect_the_limits(
      @ForAll("gsmTexts") String text, @ForAll ConcatenationMode mode) {
    EncodedSms sms = SmsEncoder.encode(text, mode, 77);
    assertThat(sms.alphabet()).isEqualTo(SmsAlphabet.GSM7);
    var decoded = new StringBuilder();
    for (SmsPart part : sms.parts()) {
      SmsDecoder.UserData userData = SmsDecoder.splitHeader(part.shortMessage(), part.udhi());
      decoded.append(SmsDecoder.decode((byte) 0, userData.body()));
      if (sms.segments() == 1) {
        assertThat(userData.body().length).isLessThanOrEqualTo(160);
      } else if (!sms.usesPayloadTlv()) {
        assertThat(userData.body().length)
            .isLessThanOrEqualTo(mode == ConcatenationMode.UDH16 ? 152 : 153);
        assertThat(userData.body()[userData.body().length - 1]).isNotEqualTo((byte) 0x1B);
      }
    }
    assertThat(decoded.toString()).isEqualTo(text);
    int units = SmsEncoder.units(text);
    int expectedSegments =
        units <= 160
            ? 1
            : (int) Math.ceil(units / (mode == ConcatenationMode.UDH16 ? 152.0 : 153.0));
    assertThat(sms.segments())
        .isGreaterThanOrEqualTo(expectedSegments)
        .isLessThanOrEqualTo(expectedSegments + (units / 152));
  }

  @Property(tries = 300)
  void any_text_round_trips_with_consistent_part_numbers(
      @ForAll("anyTexts") String text, @ForAll ConcatenationMode mode) {
    EncodedSms sms = SmsEncoder.encode(text, mode, 300);
    var decoded = new StringBuilder();
    int sequence = 0;
    for (SmsPart part : sms.parts()) {
      sequence++;
      assertThat(part.sequence()).isEqualTo(sequence);
      assertThat(part.total()).isEqualTo(sms.parts().size());
      SmsDecoder.UserData userData = SmsDecoder.splitHeader(part.shortMessage(), part.udhi());
      if (part.udhi()) {
        assertThat(userData.concat()).isPresent();
        assertThat(userData.concat().get().sequence()).isEqualTo(sequence);
        assertThat(userData.concat().get().total()).isEqualTo(sms.parts().size());
      }
      if (sms.alphabet() == SmsAlphabet.UCS2) {
        decoded.append(new String(userData.body(), StandardCharsets.UTF_16BE));
        if (!sms.usesPayloadTlv()) {
          assertThat(userData.body().length).isLessThanOrEqualTo(140);
        }
      } else {
        decoded.append(SmsDecoder.decode((byte) 0, userData.body()));
      }
    }
    assertThat(decoded.toString()).isEqualTo(text);
  }
}
