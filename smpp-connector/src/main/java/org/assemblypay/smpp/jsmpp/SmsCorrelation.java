package org.assemblypay.smpp.jsmpp;

import org.slf4j.MDC;

/**
 * Puts an outbox row's correlation id in the logging MDC while the connector works on its SMS, and
 * puts back what was there after (nothing, on a pool thread), so no id leaks to the next message.
 * The key is the gateway's ({@code correlationId}); this module cannot depend on the ledger that
 * defines it.
 */
final class SmsCorrelation implements AutoCloseable {
  static final String MDC_KEY = "correlationId";

  private final String previous;
  private final boolean changed;

  private SmsCorrelation(String previous, boolean changed) {
    this.previous = previous;
    this.changed = changed;
  }

  /** Makes {@code id} current until closed; a null id changes nothing. */
  static SmsCorrelation open(String id) {
    String previous = MDC.get(MDC_KEY);
    if (id == null) {
      return new SmsCorrelation(previous, false);
    }
    MDC.put(MDC_KEY, id);
    return new SmsCorrelation(previous, true);
  }

  /** Runs {@code task} under {@code id}. */
  static void run(String id, Runnable task) {
    SmsCorrelation scope = open(id);
    try {
      task.run();
    } finally {
      scope.close();
    }
  }

  @Override
  public void close() {
    if (!changed) {
      return;
    }
    if (previous == null) {
      MDC.remove(MDC_KEY);
    } else {
      MDC.put(MDC_KEY, previous);
    }
  }
}
