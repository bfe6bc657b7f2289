package org.assemblypay.smpp.encoding;

/** The alphabet a message is sent in. */
public enum SmsAlphabet {
  /** GSM 03.38, sent unpacked (one septet per octet) with the connection's GSM data_coding. */
  GSM7,
  /** UCS-2 (UTF-16BE), data_coding 0x08. */
  UCS2
}
