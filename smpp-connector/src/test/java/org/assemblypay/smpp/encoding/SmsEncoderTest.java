package org.assemblypay.smpp.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.assemblypay.smpp.ConcatenationMode;
import org.junit.jupiter.api.Test;

/** Lengths, splitting and headers of the SMS encoder, example by example. */
class SmsEncoderTest {

  @Test
  void plain_text_of_160_characters_is_one_gsm_sms() {
    EncodedSms sms = SmsEncoder.encode("a".repeat(160), ConcatenationMode.UDH8, 7);
    assertThat(sms.alphabet()).isEqualTo(SmsAlphabet.GSM7);
    assertThat(sms.parts()).hasSize(1);
    assertThat(sms.parts().get(0).udhi()).isFalse();
    assertThat(sms.parts().get(0).shortMessage()).hasSize(160);
  }

  @Test
  void text_of_161_characters_is_two_parts_of_153_and_8() {
    EncodedSms sms = SmsEncoder.encode("a".repeat(161), ConcatenationMode.UDH8, 0x2A);
    assertThat(sms.parts()).hasSize(2);
    byte[] first = sms.parts().get(0).shortMessage();
    assertThat(first).hasSize(6 + 153);
    assertThat(first).startsWith(0x05, 0x00, 0x03, 0x2A, 0x02, 0x01);
    assertThat(sms.parts().get(1).shortMessage()).hasSize(6 + 8);
    assertThat(sms.parts().get(1).shortMessage()).startsWith(0x05, 0x00, 0x03, 0x2A, 0x02, 0x02);
  }

  @Test
  void extension_characters_count_as_two_septets() {
    assertThat(SmsEncoder.units("^{}\\[]~|€")).isEqualTo(18);
    assertThat(SmsEncoder.segmentsNeeded("€".repeat(80), ConcatenationMode.UDH8)).isEqualTo(1);
    assertThat(SmsEncoder.segmentsNeeded("€".repeat(81), ConcatenationMode.UDH8)).isEqualTo(2);
    byte[] bytes = SmsEncoder.encode("€", ConcatenationMode.UDH8, 0).parts().get(0).shortMessage();
    assertThat(bytes).containsExactly(0x1B, 0x65);
  }

  @Test
  void an_escape_is_never_split_from_its_character() {
    String text = "a".repeat(152) + "€" + "b".repeat(10);
    EncodedSms sms = SmsEncoder.encode(text, ConcatenationMode.UDH8, 1);
    assertThat(sms.parts()).hasSize(2);
    assertThat(sms.parts().get(0).shortMessage()).hasSize(6 + 152);
    assertThat(SmsDecoder.decodeGsm7(body(sms.parts().get(1)))).isEqualTo("€" + "b".repeat(10));
  }

  @Test
  void one_character_outside_gsm_makes_the_whole_text_ucs2() {
    EncodedSms sms = SmsEncoder.encode("Paid GH₵ 5", ConcatenationMode.UDH8, 0);
    assertThat(sms.alphabet()).isEqualTo(SmsAlphabet.UCS2);
    assertThat(sms.parts().get(0).shortMessage())
        .isEqualTo("Paid GH₵ 5".getBytes(StandardCharsets.UTF_16BE));
  }

  @Test
  void ucs2_holds_70_alone_and_67_per_part() {
    assertThat(SmsEncoder.segmentsNeeded("ɛ".repeat(70), ConcatenationMode.UDH8)).isEqualTo(1);
    EncodedSms sms = SmsEncoder.encode("ɛ".repeat(71), ConcatenationMode.UDH8, 0);
    assertThat(sms.parts()).hasSize(2);
    assertThat(sms.parts().get(0).shortMessage()).hasSize(6 + 134);
  }

  @Test
  void sixteen_bit_reference_costs_one_more_septet_per_part() {
    EncodedSms sms = SmsEncoder.encode("a".repeat(305), ConcatenationMode.UDH16, 0x1234);
    assertThat(sms.parts()).hasSize(3);
    byte[] first = sms.parts().get(0).shortMessage();
    assertThat(first).hasSize(7 + 152);
    assertThat(first).startsWith(0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x01);
  }

  @Test
  void a_surrogate_pair_is_never_split() {
    String text = "ɛ".repeat(66) + "😀" + "x".repeat(5);
    EncodedSms sms = SmsEncoder.encode(text, ConcatenationMode.UDH8, 0);
    assertThat(new String(body(sms.parts().get(0)), StandardCharsets.UTF_16BE)).hasSize(66);
    assertThat(new String(body(sms.parts().get(1)), StandardCharsets.UTF_16BE))
        .isEqualTo("😀xxxxx");
  }

  @Test
  void sar_parts_carry_no_header_and_payload_is_one_submit() {
    EncodedSms sar = SmsEncoder.encode("a".repeat(200), ConcatenationMode.SAR, 9);
    assertThat(sar.parts()).hasSize(2);
    assertThat(sar.parts().get(0).udhi()).isFalse();
    assertThat(sar.parts().get(0).shortMessage()).hasSize(153);
    EncodedSms payload = SmsEncoder.encode("a".repeat(200), ConcatenationMode.PAYLOAD, 9);
    assertThat(payload.parts()).hasSize(1);
    assertThat(payload.segments()).isEqualTo(2);
    assertThat(payload.usesPayloadTlv()).isTrue();
    assertThat(payload.parts().get(0).shortMessage()).hasSize(200);
  }

  @Test
  void the_udh_of_an_inbound_part_is_read_back() {
    EncodedSms sms = SmsEncoder.encode("b".repeat(300), ConcatenationMode.UDH16, 0xBEEF);
    SmsDecoder.UserData userData = SmsDecoder.splitHeader(sms.parts().get(1).shortMessage(), true);
    assertThat(userData.concat()).isEqualTo(Optional.of(new ConcatInfo(0xBEEF, 2, 2)));
    assertThat(SmsDecoder.decode((byte) 0, userData.body())).isEqualTo("b".repeat(300 - 152));
  }

  @Test
  void data_codings_decode_to_the_right_charset() {
    assertThat(SmsDecoder.decode((byte) 0x03, "café".getBytes(StandardCharsets.ISO_8859_1)))
        .isEqualTo("café");
    assertThat(SmsDecoder.decode((byte) 0x01, "HELP".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("HELP");
    assertThat(SmsDecoder.decode((byte) 0x08, "ɔ".getBytes(StandardCharsets.UTF_16BE)))
        .isEqualTo("ɔ");
    assertThat(SmsDecoder.decode((byte) 0x00, new byte[] {0x00, 0x02, 0x11})).isEqualTo("@$_");
  }

  private static byte[] body(SmsPart part) {
    var out = new ByteArrayOutputStream();
    byte[] bytes = part.shortMessage();
    int header = part.udhi() ? (bytes[0] & 0xFF) + 1 : 0;
    out.write(bytes, header, bytes.length - header);
    return out.toByteArray();
  }
}
