package org.assemblypay.smpp;

/** How a connection binds: one transceiver session, or a transmitter and a receiver session. */
public enum BindMode {
  TRANSCEIVER,
  TRANSMITTER_AND_RECEIVER
}
