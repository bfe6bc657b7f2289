package org.assemblypay.smpp.jsmpp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.smpp.InboundMessage;
import org.assemblypay.smpp.InboundSink;

/** Stores inbound messages in a list; can be told to fail the next calls, like a database down. */
final class RecordingInbound implements InboundSink {

  final List<InboundMessage> stored = new CopyOnWriteArrayList<>();
  final AtomicInteger failNext = new AtomicInteger();
  final AtomicInteger failures = new AtomicInteger();

  @Override
  public void persist(InboundMessage message) {
    if (failNext.get() > 0 && failNext.getAndDecrement() > 0) {
      failures.incrementAndGet();
      throw new IllegalStateException("database down");
    }
    stored.add(message);
  }
}
