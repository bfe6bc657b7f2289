package org.assemblypay.gateway.sms;

/**
 * Runs a collector's or trader's SMS command that has been stored; queues any reply through the
 * assembly's outbox itself. {@code SmsCommands::handle} from {@code menus} fits.
 */
@FunctionalInterface
public interface InboundCommandHandler {

  /**
   * Handles one stored inbound SMS, on a handler thread (never an SMPP thread), once per stored
   * message.
   *
   * @param assemblyCode the assembly the message belongs to
   * @param inboundKey the key it was stored under (unique per assembly; an idempotency key)
   * @param senderMsisdn the sender's number as the SMSC gave it
   * @param text the decoded, reassembled text
   */
  void handle(String assemblyCode, String inboundKey, String senderMsisdn, String text);
}
