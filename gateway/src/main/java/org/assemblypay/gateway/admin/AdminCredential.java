package org.assemblypay.gateway.admin;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * One configured API credential: a name (the audit log's "who"), the SHA-256 of its key in hex, a
 * role, and the assembly code it is scoped to ({@code *} for platform-wide).
 */
public record AdminCredential(String name, String keySha256Hex, AdminRole role, String assembly) {
  /** The assembly value that means every assembly. */
  public static final String ALL_ASSEMBLIES = "*";

  /** Checks the fields; the assembly code is kept upper-case. */
  public AdminCredential {
    Objects.requireNonNull(role, "role");
    if (name == null || !name.matches("[A-Za-z0-9._@-]{1,80}")) {
      throw new IllegalArgumentException("credential name must be 1-80 letters, digits or ._@-");
    }
    if (keySha256Hex == null || !keySha256Hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("credential " + name + ": keySha256Hex must be 64 hex");
    }
    keySha256Hex = keySha256Hex.toLowerCase(Locale.ROOT);
    if (assembly == null || assembly.isBlank()) {
      throw new IllegalArgumentException("credential " + name + ": assembly code or * required");
    }
    assembly = assembly.strip().toUpperCase(Locale.ROOT);
    if (role == AdminRole.PLATFORM_ADMIN && !assembly.equals(ALL_ASSEMBLIES)) {
      throw new IllegalArgumentException(
          "credential " + name + ": platform-admin needs assembly *");
    }
  }

  /** Whether this credential may act on every assembly. */
  public boolean platformWide() {
    return assembly.equals(ALL_ASSEMBLIES);
  }

  boolean covers(String assemblyCode) {
    return platformWide() || assembly.equalsIgnoreCase(assemblyCode);
  }

  byte[] keyHash() {
    return HexFormat.of().parseHex(keySha256Hex);
  }

  /** Never prints the key hash. */
  @Override
  public String toString() {
    return "AdminCredential[name="
        + name
        + ", role="
        + role.configName()
        + ", assembly="
        + assembly
        + "]";
  }
}
