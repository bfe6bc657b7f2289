package org.assemblypay.gateway.admin;

import java.util.Locale;

/** What an admin credential may do: everything, one assembly's admin, its finance, or read. */
public enum AdminRole {
  PLATFORM_ADMIN,
  ASSEMBLY_ADMIN,
  FINANCE_OFFICER,
  AUDITOR;

  /** The configuration spelling, such as {@code finance-officer}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses {@code platform-admin}, {@code assembly-admin}, {@code finance-officer}, {@code
   * auditor}.
   */
  public static AdminRole ofConfigName(String value) {
    for (AdminRole r : values()) {
      if (r.configName().equalsIgnoreCase(value == null ? "" : value.strip())) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown admin role: " + value);
  }

  boolean mayWrite() {
    return this != AUDITOR;
  }
}
