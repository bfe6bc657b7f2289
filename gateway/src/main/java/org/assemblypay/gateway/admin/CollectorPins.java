package org.assemblypay.gateway.admin;

import java.security.SecureRandom;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Collector;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.OutboundSmsDraft;

/**
 * New collector PINs: drawn from a secure random source and handed only to the ledger (which keeps
 * a hash) and to the SMS outbox for the collector's phone; never returned, never logged.
 */
final class CollectorPins {
  static final int PIN_DIGITS = 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  private CollectorPins() {}

  static String generate() {
    StringBuilder pin = new StringBuilder(PIN_DIGITS);
    for (int i = 0; i < PIN_DIGITS; i++) {
      pin.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return pin.toString();
  }

  /** Queues the PIN to the collector; returns the outbox id. */
  static long send(AssemblyLedger ledger, Collector collector, String pin) {
    String text =
        ledger.assembly().name()
            + ": your collector PIN is "
            + pin
            + ". Keep it secret; nobody from the assembly will ask for it.";
    return ledger.enqueueSms(
        new OutboundSmsDraft(
            collector.phone(), text, Language.EN, "collector-pin:" + collector.id()));
  }
}
