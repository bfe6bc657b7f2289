package org.assemblypay.smpp.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Decodes inbound short messages: data_coding to text, and the concatenation UDH. */
public final class SmsDecoder {

  private SmsDecoder() {}

  /** A short message split into its concatenation info (if its UDH has one) and its text octets. */
  public record UserData(Optional<ConcatInfo> concat, byte[] body) {}

  /** Splits off the user data header; {@code udhi} comes from esm_class. */
  public static UserData splitHeader(byte[] shortMessage, boolean udhi) {
    if (!udhi || shortMessage.length == 0) {
      return new UserData(Optional.empty(), shortMessage);
    }
    int headerLength = shortMessage[0] & 0xFF;
    if (headerLength + 1 > shortMessage.length) {
      return new UserData(Optional.empty(), shortMessage);
    }
    Optional<ConcatInfo> concat = Optional.empty();
    int i = 1;
    while (i + 1 <= headerLength) {
      int iei = shortMessage[i] & 0xFF;
      int length = shortMessage[i + 1] & 0xFF;
      int data = i + 2;
      if (data + length > headerLength + 1) {
        break;
      }
      if (iei == 0x00 && length == 3) {
        concat =
            Optional.of(
                new ConcatInfo(
                    shortMessage[data] & 0xFF,
                    shortMessage[data + 1] & 0xFF,
                    shortMessage[data + 2] & 0xFF));
      } else if (iei == 0x08 && length == 4) {
        concat =
            Optional.of(
                new ConcatInfo(
                    ((shortMessage[data] & 0xFF) << 8) | (shortMessage[data + 1] & 0xFF),
                    shortMessage[data + 2] & 0xFF,
                    shortMessage[data + 3] & 0xFF));
      }
      i = data + length;
    }
    byte[] body = Arrays.copyOfRange(shortMessage, headerLength + 1, shortMessage.length);
    return new UserData(concat.filter(ConcatInfo::isValid), body);
  }

  /** Decodes octets according to SMPP data_coding (SMPP 3.4 §5.2.19 and the GSM DCS groups). */
  public static String decode(byte dataCoding, byte[] octets) {
    int dc = dataCoding & 0xFF;
    return switch (dc) {
      case 0x00 -> Gsm7.decode(octets, 0, octets.length);
      case 0x01 -> new String(octets, StandardCharsets.US_ASCII);
      case 0x08 -> new String(octets, StandardCharsets.UTF_16BE);
      default -> decodeGroup(dc, octets);
    };
  }

  private static String decodeGroup(int dc, byte[] octets) {
    if ((dc & 0xF0) == 0xF0) {
      return (dc & 0x04) != 0
          ? new String(octets, StandardCharsets.ISO_8859_1)
          : Gsm7.decode(octets, 0, octets.length);
    }
    if ((dc & 0xC0) == 0x00 && dc >= 0x10) {
      return switch ((dc >> 2) & 0x03) {
        case 0 -> Gsm7.decode(octets, 0, octets.length);
        case 2 -> new String(octets, StandardCharsets.UTF_16BE);
        default -> new String(octets, StandardCharsets.ISO_8859_1);
      };
    }
    return new String(octets, StandardCharsets.ISO_8859_1);
  }

  /** The inverse of the encoder for GSM-7 octets, for tests and the simulator. */
  public static String decodeGsm7(byte[] septets) {
    return Gsm7.decode(septets, 0, septets.length);
  }
}
