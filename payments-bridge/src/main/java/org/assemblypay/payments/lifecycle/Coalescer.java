package org.assemblypay.payments.lifecycle;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * At most one piece of work per reference at a time on this node. A request that arrives while work
 * is running joins it and asks for one follow-up check after it, so a callback that lands while the
 * poller is reading a stale PENDING is not lost. Correctness does not depend on this (the ledger
 * locks the payment row); it saves provider calls and ledger round trips.
 */
final class Coalescer {

  private static final class Slot {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    boolean again;
    boolean closed;
  }

  private final ConcurrentMap<UUID, Slot> running = new ConcurrentHashMap<>();

  /**
   * Runs {@code work} for {@code reference} unless work is already running for it; then runs {@code
   * followUp} once more after it. The future completes when this reference is quiet.
   */
  CompletableFuture<Void> run(
      UUID reference,
      Supplier<CompletableFuture<Void>> work,
      Supplier<CompletableFuture<Void>> followUp) {
    while (true) {
      Slot fresh = new Slot();
      Slot existing = running.putIfAbsent(reference, fresh);
      if (existing == null) {
        loop(reference, fresh, work, followUp);
        return fresh.done;
      }
      synchronized (existing) {
        if (!existing.closed) {
          existing.again = true;
          return existing.done;
        }
      }
    }
  }

  int size() {
    return running.size();
  }

  private void loop(
      UUID reference,
      Slot slot,
      Supplier<CompletableFuture<Void>> work,
      Supplier<CompletableFuture<Void>> followUp) {
    CompletableFuture<Void> step;
    try {
      step = work.get();
    } catch (RuntimeException e) {
      step = CompletableFuture.failedFuture(e);
    }
    step.whenComplete(
        (ignored, failure) -> {
          boolean rerun;
          synchronized (slot) {
            rerun = slot.again;
            slot.again = false;
            if (!rerun) {
              slot.closed = true;
              running.remove(reference, slot);
            }
          }
          if (rerun) {
            loop(reference, slot, followUp, followUp);
          } else if (failure != null) {
            slot.done.completeExceptionally(failure);
          } else {
            slot.done.complete(null);
          }
        });
  }
}
