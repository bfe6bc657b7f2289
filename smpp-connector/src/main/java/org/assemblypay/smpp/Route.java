package org.assemblypay.smpp;

import java.util.List;
import java.util.Objects;

/**
 * A routing rule: messages of {@code assemblyId} (or any, when {@code "*"}) to numbers starting
 * with {@code msisdnPrefix} (any, when empty) go to the first connection in {@code connectionNames}
 * that is up; the others are the failover order.
 */
public record Route(String assemblyId, String msisdnPrefix, List<String> connectionNames) {

  /** Any assembly. */
  public static final String ANY_ASSEMBLY = "*";

  /** Checks the fields. */
  public Route {
    Objects.requireNonNull(assemblyId, "assemblyId");
    Objects.requireNonNull(msisdnPrefix, "msisdnPrefix");
    connectionNames = List.copyOf(connectionNames);
    if (connectionNames.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one connection");
    }
  }

  /** Whether this rule applies to the message. */
  public boolean matches(String assembly, String destination) {
    return (ANY_ASSEMBLY.equals(assemblyId) || assemblyId.equals(assembly))
        && destination.startsWith(msisdnPrefix);
  }

  /** How specific the rule is; the most specific matching rule wins. */
  public int specificity() {
    return (ANY_ASSEMBLY.equals(assemblyId) ? 0 : 1000) + msisdnPrefix.length();
  }
}
