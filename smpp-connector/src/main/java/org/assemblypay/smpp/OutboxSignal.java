package org.assemblypay.smpp;

/**
 * Lets the outbox wake the dispatcher when rows are added, so it need not wait for the next poll.
 */
@FunctionalInterface
public interface OutboxSignal {

  /** Registers the callback to run (quickly, on any thread) whenever new messages may be due. */
  void subscribe(Runnable wakeUp);

  /** A signal that never fires: the dispatcher relies on polling alone. */
  static OutboxSignal pollingOnly() {
    return wakeUp -> {};
  }
}
