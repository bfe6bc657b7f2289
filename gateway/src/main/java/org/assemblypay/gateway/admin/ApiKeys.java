package org.assemblypay.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the credential a bearer key belongs to. Only SHA-256 hashes are held; the presented key is
 * hashed and compared with every credential in constant time, so timing tells nothing about which
 * hash (if any) matched or how much of it.
 */
final class ApiKeys {
  static final int MAX_KEY_LENGTH = 256;

  private final List<AdminCredential> credentials;
  private final List<byte[]> hashes;

  ApiKeys(List<AdminCredential> credentials) {
    this.credentials = List.copyOf(credentials);
    Set<String> names = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (AdminCredential c : this.credentials) {
      if (!names.add(c.name().toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("two admin credentials are named " + c.name());
      }
      if (!keys.add(c.keySha256Hex())) {
        throw new IllegalArgumentException("two admin credentials share one key: " + c.name());
      }
    }
    this.hashes = this.credentials.stream().map(AdminCredential::keyHash).toList();
  }

  /** The credential for an {@code Authorization} header value, if it is a known bearer key. */
  Optional<AdminCredential> authenticate(String authorizationHeader) {
    if (authorizationHeader == null
        || authorizationHeader.length() > MAX_KEY_LENGTH + 7
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String key = authorizationHeader.substring(7).strip();
    if (key.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = sha256(key);
    AdminCredential found = null;
    for (int i = 0; i < hashes.size(); i++) {
      // No early exit: every hash is compared whatever matched before.
      if (MessageDigest.isEqual(presented, hashes.get(i))) {
        found = credentials.get(i);
      }
    }
    return Optional.ofNullable(found);
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
