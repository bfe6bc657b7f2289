package org.assemblypay.payments;

/** A Ghanaian mobile network whose wallet can be debited. */
public enum Network {
  /** MTN Ghana: MTN MoMo. */
  MTN,
  /** Telecel Ghana (formerly Vodafone): Telecel Cash. */
  TELECEL,
  /** AirtelTigo: AirtelTigo Money (AT Money). */
  AIRTELTIGO
}
