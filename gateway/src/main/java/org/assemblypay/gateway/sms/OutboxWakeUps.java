package org.assemblypay.gateway.sms;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assemblypay.smpp.OutboxSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's {@link OutboxSignal}: fired by the PostgreSQL listener when the ledger notifies
 * about new outbox rows, and in-process by code that has just queued SMS on this node.
 */
final class OutboxWakeUps implements OutboxSignal {

  private static final Logger log = LoggerFactory.getLogger(OutboxWakeUps.class);

  private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();

  @Override
  public void subscribe(Runnable wakeUp) {
    subscribers.add(wakeUp);
  }

  /** New rows may be due: wake every subscriber (cheap; any thread). */
  void fire() {
    for (Runnable subscriber : subscribers) {
      try {
        subscriber.run();
      } catch (RuntimeException e) {
        log.warn("outbox wake-up failed: {}", e.toString());
      }
    }
  }
}
