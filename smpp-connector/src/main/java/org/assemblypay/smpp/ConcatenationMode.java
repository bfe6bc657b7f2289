package org.assemblypay.smpp;

/**
 * How a long message is split for the SMSC: UDH with an 8- or 16-bit reference, SAR TLVs, or one
 * message_payload.
 */
public enum ConcatenationMode {
  UDH8,
  UDH16,
  SAR,
  PAYLOAD
}
