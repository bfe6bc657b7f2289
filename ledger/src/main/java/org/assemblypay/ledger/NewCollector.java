package org.assemblypay.ledger;

import java.util.Set;

/** What an officer supplies to register a collector; the PIN is hashed and never stored. */
public record NewCollector(
    String staffNumber, String name, String phone, String pin, Set<String> marketCodes) {
  /** Copies the set. */
  public NewCollector {
    marketCodes = Set.copyOf(marketCodes);
  }

  @Override
  public String toString() {
    return "NewCollector[staffNumber=" + staffNumber + ", markets=" + marketCodes + "]";
  }
}
