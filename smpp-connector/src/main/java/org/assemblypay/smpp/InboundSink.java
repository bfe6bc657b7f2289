package org.assemblypay.smpp;

/** Where inbound SMS go: the gateway stores them in the assembly's inbound table. */
@FunctionalInterface
public interface InboundSink {

  /**
   * Stores the message durably before the connector answers deliver_sm_resp. The connector drops
   * redeliveries it has seen within its duplicate window; storing a message with an {@link
   * InboundMessage#smscMessageId()} already stored must still be harmless (idempotent).
   *
   * @throws RuntimeException if it could not be stored; the SMSC is answered with an error and
   *     delivers the message again
   */
  void persist(InboundMessage message);
}
