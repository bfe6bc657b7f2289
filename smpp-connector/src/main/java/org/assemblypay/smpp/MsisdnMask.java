package org.assemblypay.smpp;

/** Masks phone numbers for logs: {@code 0244123678} becomes {@code 0244***678}. */
public final class MsisdnMask {

  private MsisdnMask() {}

  /** Keeps the first four and last three characters of numbers longer than seven characters. */
  public static String mask(String msisdn) {
    if (msisdn == null) {
      return "null";
    }
    int length = msisdn.length();
    if (length <= 7) {
      return "***";
    }
    return msisdn.substring(0, 4) + "***" + msisdn.substring(length - 3);
  }
}
