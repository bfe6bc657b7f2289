package org.assemblypay.smpp.encoding;

import java.io.ByteArrayOutputStream;

/** The GSM 03.38 default alphabet and its extension table, one septet per byte (unpacked). */
final class Gsm7 {

  static final int ESCAPE = 0x1B;

  /** Index = septet value; 0x1B (escape) never maps a character. */
  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  private static final String EXTENSION_CHARS = "\f^{}\\[~]|€";
  private static final byte[] EXTENSION_CODES = {
    0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65
  };

  private static final short[] BASIC_BY_CHAR = new short[0x10000];
  private static final short[] EXTENSION_BY_CHAR = new short[0x10000];
  private static final char[] EXTENSION_BY_CODE = new char[128];

  static {
    if (BASIC.length() != 128) {
      throw new ExceptionInInitializerError("GSM basic table must have 128 entries");
    }
    java.util.Arrays.fill(BASIC_BY_CHAR, (short) -1);
    java.util.Arrays.fill(EXTENSION_BY_CHAR, (short) -1);
    for (int i = 0; i < BASIC.length(); i++) {
      if (i != ESCAPE) {
        BASIC_BY_CHAR[BASIC.charAt(i)] = (short) i;
      }
    }
    for (int i = 0; i < EXTENSION_CHARS.length(); i++) {
      EXTENSION_BY_CHAR[EXTENSION_CHARS.charAt(i)] = EXTENSION_CODES[i];
      EXTENSION_BY_CODE[EXTENSION_CODES[i]] = EXTENSION_CHARS.charAt(i);
    }
  }

  private Gsm7() {}

  /** Septets needed for {@code c}: 1 (basic), 2 (extension) or 0 if not representable. */
  static int septets(char c) {
    if (BASIC_BY_CHAR[c] >= 0) {
      return 1;
    }
    return EXTENSION_BY_CHAR[c] >= 0 ? 2 : 0;
  }

  /** Whether every character is in the basic or the extension table. */
  static boolean canEncode(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (septets(text.charAt(i)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Appends the septets of {@code c} (escape first for extension characters). */
  static void write(char c, ByteArrayOutputStream out) {
    short basic = BASIC_BY_CHAR[c];
    if (basic >= 0) {
      out.write(basic);
      return;
    }
    short extension = EXTENSION_BY_CHAR[c];
    if (extension < 0) {
      throw new IllegalArgumentException("not a GSM 03.38 character: U+" + Integer.toHexString(c));
    }
    out.write(ESCAPE);
    out.write(extension);
  }

  /** Decodes unpacked septets; an unknown extension code decodes as its basic character. */
  static String decode(byte[] septets, int offset, int length) {
    var text = new StringBuilder(length);
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      int code = septets[i] & 0x7F;
      if (code == ESCAPE && i + 1 < end) {
        int next = septets[++i] & 0x7F;
        char extension = EXTENSION_BY_CODE[next];
        text.append(extension != 0 ? extension : BASIC.charAt(next));
      } else if (code == ESCAPE) {
        text.append(' ');
      } else {
        text.append(BASIC.charAt(code));
      }
    }
    return text.toString();
  }
}
