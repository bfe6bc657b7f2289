package org.assemblypay.smpp.receipt;

import java.math.BigInteger;
import java.util.Locale;
import org.assemblypay.smpp.MessageIdFormat;

/**
 * Brings SMSC message ids to one canonical form so an id from submit_sm_resp matches the id in the
 * receipt: numeric ids become decimal without leading zeros; other ids are lower-cased.
 */
public final class MessageIds {

  private static final int MAX_LENGTH = 65;

  /**
   * The longest normalised id anything stores (the outbox's id table and the parked reports are as
   * wide). SMPP ids are at most 65 characters; read as hex and written in decimal they stay below
   * 80, so a longer id is not one an SMSC could have returned for a submit.
   */
  public static final int MAX_STORED_LENGTH = 100;

  private MessageIds() {}

  /** Normalises {@code raw} written in {@code format}; blank gives an empty string. */
  public static String normalize(String raw, MessageIdFormat format) {
    if (raw == null) {
      return "";
    }
    String id = raw.trim();
    if (id.isEmpty() || id.length() > MAX_LENGTH) {
      return id.toLowerCase(Locale.ROOT);
    }
    boolean digits = true;
    boolean hex = true;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean isDigit = c >= '0' && c <= '9';
      boolean isHexLetter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      digits &= isDigit;
      hex &= isDigit || isHexLetter;
    }
    if (!hex) {
      return id.toLowerCase(Locale.ROOT);
    }
    boolean readAsHex =
        switch (format) {
          case HEX -> true;
          case DECIMAL, AUTO -> !digits;
        };
    return new BigInteger(id, readAsHex ? 16 : 10).toString();
  }
}
