package org.assemblypay.gateway.sms;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every command handed over, with the thread it ran on. */
final class RecordingHandler implements InboundCommandHandler {

  /** One call. */
  record Call(String assemblyCode, String inboundKey, String sender, String text, String thread) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();

  @Override
  public void handle(String assemblyCode, String inboundKey, String senderMsisdn, String text) {
    calls.add(
        new Call(assemblyCode, inboundKey, senderMsisdn, text, Thread.currentThread().getName()));
  }
}
