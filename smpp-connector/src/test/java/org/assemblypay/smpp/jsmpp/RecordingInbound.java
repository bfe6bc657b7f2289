package org.assemblypay.smpp.jsmpp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.smpp.InboundMessage;
import org.assemblypay.smpp.InboundSink;

/** Stores inbound messages in a list; can be told to fail the next calls, like a database down. */
final class RecordingInbound implements InboundSink {

  final List<InboundMessage> stored = new CopyOnWriteArrayList<>();
  final AtomicInteger failNext = new AtomicInteger();
  final AtomicInteger failures = new AtomicInteger();

  /** Calls inside {@link #persist} right now. */
  final AtomicInteger inside = new AtomicInteger();

  /** When set, every call waits for it (like a slow commit) before storing. */
  volatile CountDownLatch gate;

  @Override
  public void persist(InboundMessage message) {
    inside.incrementAndGet();
    try {
      CountDownLatch current = gate;
      if (current != null && !current.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
      store(message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      inside.decrementAndGet();
    }
  }

  private void store(InboundMessage message) {
    if (failNext.get() > 0 && failNext.getAndDecrement() > 0) {
      failures.incrementAndGet();
      throw new IllegalStateException("database down");
    }
    stored.add(message);
  }
}
