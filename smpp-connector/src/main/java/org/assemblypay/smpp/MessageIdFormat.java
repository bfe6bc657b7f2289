package org.assemblypay.smpp;

/**
 * How an SMSC writes a message id in one place (submit_sm_resp or the delivery receipt text).
 *
 * <p>{@link #AUTO} reads an id with the letters a–f as hexadecimal and a purely numeric one as
 * decimal. Ids are compared after conversion to one canonical decimal form without leading zeros.
 */
public enum MessageIdFormat {
  AUTO,
  HEX,
  DECIMAL
}
