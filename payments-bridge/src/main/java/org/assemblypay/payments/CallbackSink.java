package org.assemblypay.payments;

import java.util.List;
import java.util.Map;

/**
 * Where an in-process provider (the simulator) delivers its callbacks: the gateway wires this to
 * the same handler as {@code PUT|POST /payments/callback/{provider}}, so simulated callbacks take
 * the real parsing and confirmation path without a network round trip.
 */
@FunctionalInterface
public interface CallbackSink {

  /** Delivers one raw callback, as the HTTP route would receive it. Must not block for long. */
  void deliver(String provider, Map<String, List<String>> headers, byte[] body);
}
