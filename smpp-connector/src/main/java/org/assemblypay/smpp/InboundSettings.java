package org.assemblypay.smpp;

/**
 * Limits of the inbound side.
 *
 * @param duplicateWindowMillis how long a stored message's key is remembered to drop redeliveries
 * @param duplicateCapacity most keys remembered
 * @param reassemblyTimeoutMillis how long the parts of an incomplete message are kept
 * @param maxPendingReassemblies most incomplete messages kept at once
 */
public record InboundSettings(
    long duplicateWindowMillis,
    int duplicateCapacity,
    long reassemblyTimeoutMillis,
    int maxPendingReassemblies) {

  /** Checks every bound. */
  public InboundSettings {
    if (duplicateWindowMillis < 1
        || duplicateCapacity < 1
        || reassemblyTimeoutMillis < 1
        || maxPendingReassemblies < 1) {
      throw new IllegalArgumentException("invalid inbound settings: " + this);
    }
  }

  /** Defaults: duplicates within 2 minutes, 50,000 keys, parts kept 10 minutes, 10,000 pending. */
  public static InboundSettings defaults() {
    return new InboundSettings(120_000, 50_000, 600_000, 10_000);
  }
}
