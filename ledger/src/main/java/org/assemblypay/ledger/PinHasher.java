package org.assemblypay.ledger;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PBKDF2-HMAC-SHA256 with a per-collector salt; the stored form names its iteration count. */
final class PinHasher {
  private static final int ITERATIONS = 100_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PinHasher() {}

  static String hash(String pin) {
    if (pin == null || !pin.matches("[0-9]{4,6}")) {
      throw new InvalidInputException("PIN must be 4 to 6 digits");
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "pbkdf2-sha256$"
        + ITERATIONS
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(derive(pin, salt, ITERATIONS));
  }

  static boolean matches(String pin, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
      return false;
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] expected = b64.decode(parts[3]);
    byte[] actual = derive(pin, b64.decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(String pin, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(pin.toCharArray(), salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } finally {
      spec.clearPassword();
    }
  }
}
