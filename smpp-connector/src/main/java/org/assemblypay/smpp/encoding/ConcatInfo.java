package org.assemblypay.smpp.encoding;

/**
 * Which part of a concatenated message a PDU carries.
 *
 * @param reference the reference shared by the parts
 * @param total number of parts
 * @param sequence 1-based part number
 */
public record ConcatInfo(int reference, int total, int sequence) {

  /** Whether the numbers make sense (1 ≤ sequence ≤ total, total ≥ 2). */
  public boolean isValid() {
    return total >= 2 && sequence >= 1 && sequence <= total;
  }
}
