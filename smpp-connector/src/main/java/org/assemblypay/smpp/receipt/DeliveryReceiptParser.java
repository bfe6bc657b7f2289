package org.assemblypay.smpp.receipt;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assemblypay.smpp.DeliveryState;

/**
 * Parses the de-facto standard receipt text ({@code id:… sub:… dlvrd:… submit date:… done date:…
 * stat:… err:… text:…}) tolerantly: fields in any order, any case, missing, or written {@code
 * submit_date}; vendor states such as ACKED, BUFFRED or FAILED are mapped.
 */
public final class DeliveryReceiptParser {

  private static final Pattern KEY =
      Pattern.compile(
          "(?i)(?<![A-Za-z_])(id|sub|dlvrd|submit[ _]date|done[ _]date|stat|err|text)\\s*:");

  private static final Map<String, DeliveryState> STATES = new HashMap<>();

  static {
    for (String s : new String[] {"DELIVRD", "DELIVERED", "DELIVER", "SUCCESS"}) {
      STATES.put(s, DeliveryState.DELIVERED);
    }
    for (String s : new String[] {"EXPIRED", "EXPIRD"}) {
      STATES.put(s, DeliveryState.EXPIRED);
    }
    for (String s : new String[] {"DELETED", "DELETD"}) {
      STATES.put(s, DeliveryState.DELETED);
    }
    for (String s : new String[] {"UNDELIV", "UNDELIVERABLE", "UNDELIVERED", "FAILED", "FAIL"}) {
      STATES.put(s, DeliveryState.UNDELIVERABLE);
    }
    for (String s : new String[] {"REJECTD", "REJECTED", "REJECT"}) {
      STATES.put(s, DeliveryState.REJECTED);
    }
    for (String s :
        new String[] {
          "ENROUTE",
          "ACCEPTD",
          "ACCEPTED",
          "BUFFRED",
          "BUFFERED",
          "ACKED",
          "ACK",
          "SENT",
          "SUBMITD",
          "SUBMITTED",
          "PENDING"
        }) {
      STATES.put(s, DeliveryState.ENROUTE);
    }
    STATES.put("UNKNOWN", DeliveryState.UNKNOWN);
  }

  private DeliveryReceiptParser() {}

  /** Parses the text; empty when it has neither an {@code id} nor a {@code stat} field. */
  public static Optional<ParsedReceipt> parse(String receiptText) {
    if (receiptText == null || receiptText.isBlank()) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    Matcher matcher = KEY.matcher(receiptText);
    String key = null;
    int valueStart = 0;
    while (matcher.find()) {
      if (key != null) {
        fields.putIfAbsent(key, receiptText.substring(valueStart, matcher.start()).trim());
      }
      key = matcher.group(1).toLowerCase(Locale.ROOT).replace('_', ' ');
      valueStart = matcher.end();
      if (key.equals("text")) {
        break;
      }
    }
    if (key != null) {
      fields.putIfAbsent(key, receiptText.substring(valueStart).trim());
    }
    if (!fields.containsKey("id") && !fields.containsKey("stat")) {
      return Optional.empty();
    }
    return Optional.of(
        new ParsedReceipt(
            field(fields, "id"),
            field(fields, "sub"),
            field(fields, "dlvrd"),
            field(fields, "submit date"),
            field(fields, "done date"),
            field(fields, "stat"),
            field(fields, "err"),
            Optional.ofNullable(fields.get("text"))));
  }

  private static Optional<String> field(Map<String, String> fields, String name) {
    return Optional.ofNullable(fields.get(name)).filter(v -> !v.isEmpty());
  }

  /** Maps a state word (or a numeric message_state) to a {@link DeliveryState}. */
  public static DeliveryState mapState(String stat) {
    String word = stat.trim().toUpperCase(Locale.ROOT);
    if (!word.isEmpty() && word.chars().allMatch(Character::isDigit) && word.length() <= 3) {
      return fromMessageState(Integer.parseInt(word));
    }
    return STATES.getOrDefault(word, DeliveryState.UNKNOWN);
  }

  /** Maps the SMPP message_state value (TLV 0x0427 or query_sm) to a {@link DeliveryState}. */
  public static DeliveryState fromMessageState(int messageState) {
    return switch (messageState) {
      case 1, 6 -> DeliveryState.ENROUTE;
      case 2 -> DeliveryState.DELIVERED;
      case 3 -> DeliveryState.EXPIRED;
      case 4 -> DeliveryState.DELETED;
      case 5 -> DeliveryState.UNDELIVERABLE;
      case 8 -> DeliveryState.REJECTED;
      default -> DeliveryState.UNKNOWN;
    };
  }
}
