package org.assemblypay.smpp.encoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assemblypay.smpp.ConcatenationMode;

/**
 * Chooses GSM-7 or UCS-2 for a text and splits it into parts.
 *
 * <p>Limits: one GSM-7 SMS holds 160 septets, a concatenated part 153 (152 with a 16-bit
 * reference); UCS-2 holds 70 and 67 (66) UTF-16 units. Extension characters ({@code ^ { } \ [ ] ~ |
 * €}) cost two septets and are never split from their escape; surrogate pairs are never split.
 */
public final class SmsEncoder {

  static final int GSM_SINGLE_SEPTETS = 160;
  static final int UCS2_SINGLE_UNITS = 70;

  private SmsEncoder() {}

  /** GSM-7 when every character is in the GSM tables, else UCS-2. */
  public static SmsAlphabet alphabetFor(String text) {
    return Gsm7.canEncode(text) ? SmsAlphabet.GSM7 : SmsAlphabet.UCS2;
  }

  /** Septets (GSM-7) or UTF-16 units (UCS-2) the text needs. */
  public static int units(String text) {
    if (alphabetFor(text) == SmsAlphabet.UCS2) {
      return text.length();
    }
    int septets = 0;
    for (int i = 0; i < text.length(); i++) {
      septets += Gsm7.septets(text.charAt(i));
    }
    return septets;
  }

  /** How many SMS the text takes with this concatenation mode. */
  public static int segmentsNeeded(String text, ConcatenationMode mode) {
    return split(text, alphabetFor(text), mode).size();
  }

  /**
   * Encodes and splits the text.
   *
   * @param reference the concatenation reference (only its low 8 bits are used for UDH8)
   */
  public static EncodedSms encode(String text, ConcatenationMode mode, int reference) {
    SmsAlphabet alphabet = alphabetFor(text);
    List<byte[]> bodies = split(text, alphabet, mode);
    int total = bodies.size();
    var parts = new ArrayList<SmsPart>(total);
    if (total == 1 || mode == ConcatenationMode.PAYLOAD) {
      byte[] whole = total == 1 ? bodies.get(0) : concat(bodies);
      parts.add(new SmsPart(1, 1, whole, false));
      return new EncodedSms(alphabet, mode, reference, total, parts);
    }
    for (int i = 0; i < total; i++) {
      byte[] body = bodies.get(i);
      switch (mode) {
        case UDH8 ->
            parts.add(new SmsPart(i + 1, total, withUdh8(body, reference, total, i + 1), true));
        case UDH16 ->
            parts.add(new SmsPart(i + 1, total, withUdh16(body, reference, total, i + 1), true));
        case SAR -> parts.add(new SmsPart(i + 1, total, body, false));
        case PAYLOAD -> throw new IllegalStateException("handled above");
      }
    }
    return new EncodedSms(alphabet, mode, reference, total, parts);
  }

  private static int capacity(SmsAlphabet alphabet, ConcatenationMode mode, boolean single) {
    if (alphabet == SmsAlphabet.GSM7) {
      if (single) {
        return GSM_SINGLE_SEPTETS;
      }
      return mode == ConcatenationMode.UDH16 ? 152 : 153;
    }
    if (single) {
      return UCS2_SINGLE_UNITS;
    }
    return mode == ConcatenationMode.UDH16 ? 66 : 67;
  }

  private static List<byte[]> split(String text, SmsAlphabet alphabet, ConcatenationMode mode) {
    if (alphabet == SmsAlphabet.GSM7) {
      if (units(text) <= GSM_SINGLE_SEPTETS) {
        return List.of(gsmBytes(text, 0, text.length()));
      }
      return splitGsm(text, capacity(alphabet, mode, false));
    }
    if (text.length() <= UCS2_SINGLE_UNITS) {
      return List.of(text.getBytes(StandardCharsets.UTF_16BE));
    }
    return splitUcs2(text, capacity(alphabet, mode, false));
  }

  private static List<byte[]> splitGsm(String text, int perPart) {
    var bodies = new ArrayList<byte[]>();
    var current = new ByteArrayOutputStream(perPart);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (current.size() + Gsm7.septets(c) > perPart) {
        bodies.add(current.toByteArray());
        current.reset();
      }
      Gsm7.write(c, current);
    }
    if (current.size() > 0) {
      bodies.add(current.toByteArray());
    }
    return bodies;
  }

  private static List<byte[]> splitUcs2(String text, int perPart) {
    var bodies = new ArrayList<byte[]>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(start + perPart, text.length());
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      bodies.add(text.substring(start, end).getBytes(StandardCharsets.UTF_16BE));
      start = end;
    }
    return bodies;
  }

  private static byte[] gsmBytes(String text, int from, int to) {
    var out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      Gsm7.write(text.charAt(i), out);
    }
    return out.toByteArray();
  }

  private static byte[] concat(List<byte[]> bodies) {
    var out = new ByteArrayOutputStream();
    for (byte[] body : bodies) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static byte[] withUdh8(byte[] body, int reference, int total, int sequence) {
    byte[] out = new byte[6 + body.length];
    out[0] = 0x05;
    out[1] = 0x00;
    out[2] = 0x03;
    out[3] = (byte) reference;
    out[4] = (byte) total;
    out[5] = (byte) sequence;
    System.arraycopy(body, 0, out, 6, body.length);
    return out;
  }

  private static byte[] withUdh16(byte[] body, int reference, int total, int sequence) {
    byte[] out = new byte[7 + body.length];
    out[0] = 0x06;
    out[1] = 0x08;
    out[2] = 0x04;
    out[3] = (byte) (reference >> 8);
    out[4] = (byte) reference;
    out[5] = (byte) total;
    out[6] = (byte) sequence;
    System.arraycopy(body, 0, out, 7, body.length);
    return out;
  }
}
