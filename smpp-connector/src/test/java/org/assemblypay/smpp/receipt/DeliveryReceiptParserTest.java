package org.assemblypay.smpp.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.assemblypay.smpp.DeliveryState;
import org.assemblypay.smpp.MessageIdFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The receipt text as real SMSCs write it: standard, abbreviated, re-ordered, vendor states. */
class DeliveryReceiptParserTest {

  @Test
  void standard_receipt_is_read_field_by_field() {
    ParsedReceipt receipt =
        DeliveryReceiptParser.parse(
                "id:0123456789 sub:001 dlvrd:001 submit date:2611211030 done date:2611211031"
                    + " stat:DELIVRD err:000 text:Receipt AMA-2026-0001")
            .orElseThrow();
    assertThat(receipt.id()).contains("0123456789");
    assertThat(receipt.submitted()).contains("001");
    assertThat(receipt.delivered()).contains("001");
    assertThat(receipt.submitDate()).contains("2611211030");
    assertThat(receipt.doneDate()).contains("2611211031");
    assertThat(receipt.stat()).contains("DELIVRD");
    assertThat(receipt.error()).contains("000");
    assertThat(receipt.text()).contains("Receipt AMA-2026-0001");
    assertThat(receipt.state()).isEqualTo(DeliveryState.DELIVERED);
  }

  @Test
  void missing_sub_dlvrd_and_dates_are_tolerated() {
    ParsedReceipt receipt =
        DeliveryReceiptParser.parse("id:abc123 stat:UNDELIV err:034").orElseThrow();
    assertThat(receipt.id()).contains("abc123");
    assertThat(receipt.submitted()).isEmpty();
    assertThat(receipt.doneDate()).isEmpty();
    assertThat(receipt.state()).isEqualTo(DeliveryState.UNDELIVERABLE);
    assertThat(receipt.error()).contains("034");
  }

  @Test
  void keys_in_other_case_order_and_with_underscores_are_read() {
    ParsedReceipt receipt =
        DeliveryReceiptParser.parse(
                "Stat:EXPIRED Err:1 ID:77 Submit_Date:2611211030 Done_date:2611221030")
            .orElseThrow();
    assertThat(receipt.id()).contains("77");
    assertThat(receipt.state()).isEqualTo(DeliveryState.EXPIRED);
    assertThat(receipt.submitDate()).contains("2611211030");
    assertThat(receipt.doneDate()).contains("2611221030");
  }

  @Test
  void the_text_field_may_contain_colons_and_key_words() {
    ParsedReceipt receipt =
        DeliveryReceiptParser.parse("id:5 stat:DELIVRD text:id:9 stat:REJECTD").orElseThrow();
    assertThat(receipt.id()).contains("5");
    assertThat(receipt.state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(receipt.text()).contains("id:9 stat:REJECTD");
  }

  @ParameterizedTest
  @CsvSource({
    "DELIVRD, DELIVERED",
    "delivered, DELIVERED",
    "ACKED, ENROUTE",
    "BUFFRED, ENROUTE",
    "ACCEPTD, ENROUTE",
    "ENROUTE, ENROUTE",
    "FAILED, UNDELIVERABLE",
    "UNDELIV, UNDELIVERABLE",
    "REJECTD, REJECTED",
    "DELETED, DELETED",
    "EXPIRED, EXPIRED",
    "UNKNOWN, UNKNOWN",
    "WHATEVER, UNKNOWN",
    "2, DELIVERED",
    "5, UNDELIVERABLE"
  })
  void vendor_states_are_mapped(String stat, DeliveryState expected) {
    assertThat(DeliveryReceiptParser.mapState(stat)).isEqualTo(expected);
  }

  @Test
  void text_without_id_or_stat_is_not_a_receipt() {
    assertThat(DeliveryReceiptParser.parse("PAY 10023 5 1234")).isEqualTo(Optional.empty());
    assertThat(DeliveryReceiptParser.parse("")).isEqualTo(Optional.empty());
  }

  @Test
  void ids_match_across_hex_decimal_and_leading_zeros() {
    String fromResponse = MessageIds.normalize("1a2b3c", MessageIdFormat.HEX);
    assertThat(MessageIds.normalize("0001715004", MessageIdFormat.DECIMAL)).isEqualTo(fromResponse);
    assertThat(MessageIds.normalize("001A2B3C", MessageIdFormat.AUTO)).isEqualTo(fromResponse);
    assertThat(MessageIds.normalize("  1715004 ", MessageIdFormat.AUTO)).isEqualTo(fromResponse);
    assertThat(MessageIds.normalize("10", MessageIdFormat.HEX)).isEqualTo("16");
    assertThat(MessageIds.normalize("10", MessageIdFormat.DECIMAL)).isEqualTo("10");
    assertThat(MessageIds.normalize("c0ffee-42-X", MessageIdFormat.AUTO)).isEqualTo("c0ffee-42-x");
    assertThat(MessageIds.normalize("0", MessageIdFormat.AUTO)).isEqualTo("0");
  }
}
