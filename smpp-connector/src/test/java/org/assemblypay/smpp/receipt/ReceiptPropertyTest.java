package org.assemblypay.smpp.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.assemblypay.smpp.MessageIdFormat;

/** The receipt parser and id normalisation over many random receipts and ids. */
class ReceiptPropertyTest {

  @Property(tries = 500)
  void any_subset_of_fields_in_any_order_and_case_is_read_back(
      @ForAll @LongRange(min = 0, max = 999_999_999_999L) long id,
      @ForAll @IntRange(min = 0, max = 127) int presentMask,
      @ForAll long shuffleSeed,
      @ForAll boolean upperCaseKeys) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("id", Long.toString(id));
    fields.put("sub", "001");
    fields.put("dlvrd", "001");
    fields.put("submit date", "2611211030");
    fields.put("done date", "2611211031");
    fields.put("stat", "DELIVRD");
    fields.put("err", "000");
    List<String> keys = new ArrayList<>(fields.keySet());
    List<String> present = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if ((presentMask & (1 << i)) != 0 || keys.get(i).equals("id")) {
        present.add(keys.get(i));
      }
    }
    Collections.shuffle(present, new Random(shuffleSeed));
    var text = new StringBuilder();
    for (String key : present) {
      text.append(upperCaseKeys ? key.toUpperCase() : key)
          .append(':')
          .append(fields.get(key))
          .append(' ');
    }
    text.append("text:hello id:1 stat:REJECTD");

    ParsedReceipt receipt = DeliveryReceiptParser.parse(text.toString()).orElseThrow();
    assertThat(receipt.id()).contains(Long.toString(id));
    assertThat(receipt.stat().isPresent()).isEqualTo(present.contains("stat"));
    assertThat(receipt.error().isPresent()).isEqualTo(present.contains("err"));
    assertThat(receipt.doneDate().isPresent()).isEqualTo(present.contains("done date"));
    present.contains("stat");
    assertThat(receipt.text()).contains("hello id:1 stat:REJECTD");
  }

  @Property(tries = 500)
  void hex_and_zero_padded_decimal_forms_of_one_id_normalise_alike(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long number,
      @ForAll @IntRange(min = 0, max = 30) int padding,
      @ForAll boolean upperHex) {
    String hex = Long.toHexString(number);
    String decimal = "0".repeat(padding) + number;
    String fromResponse =
        MessageIds.normalize(upperHex ? hex.toUpperCase() : hex, MessageIdFormat.HEX);
    assertThat(MessageIds.normalize(decimal, MessageIdFormat.DECIMAL)).isEqualTo(fromResponse);
    assertThat(MessageIds.normalize(decimal, MessageIdFormat.AUTO)).isEqualTo(fromResponse);
    assertThat(MessageIds.normalize("0".repeat(padding) + hex, MessageIdFormat.HEX))
        .isEqualTo(fromResponse);
  }
}
