package org.assemblypay.gateway.sms;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.ledger.SmscMessageId;

/**
 * Which assembly sent the part with a given SMSC message id, keyed by the SMSC that gave the id as
 * well (ids are unique only per SMSC, D230), for the messages this node submitted: lets a delivery
 * report go straight to its assembly instead of searching every one. Bounded; the oldest entries go
 * first. A miss is not an error (another node submitted it, or it was evicted): the report sink
 * then searches the assemblies.
 *
 * <p>It also knows which of those parts are still being recorded (submit_sm_resp received, the
 * submission's transaction not yet committed): a report that overtakes that commit waits for it
 * here, bounded, instead of being parked and replayed (D236).
 */
final class MessageIdIndex {

  private final Map<SmscMessageId, String> byId;
  private final Map<SmscMessageId, CompletableFuture<Void>> recording = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();

  MessageIdIndex(int capacity) {
    this.byId =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<SmscMessageId, String> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void put(List<SmscMessageId> parts, String assemblyCode) {
    for (SmscMessageId part : parts) {
      byId.put(part, assemblyCode);
    }
  }

  synchronized Optional<String> assemblyOf(SmscMessageId part) {
    return Optional.ofNullable(byId.get(part));
  }

  synchronized void forget(SmscMessageId part) {
    byId.remove(part);
  }

  synchronized int size() {
    return byId.size();
  }

  /**
   * The parts' submission is about to be recorded; the caller must pass the handle to {@link
   * #recorded} when recording ends, committed or not.
   */
  CompletableFuture<Void> recording(List<SmscMessageId> parts) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    for (SmscMessageId part : parts) {
      recording.put(part, done);
    }
    return done;
  }

  /** Recording of these parts ended (committed, refused or failed): wakes any report waiting. */
  void recorded(List<SmscMessageId> parts, CompletableFuture<Void> done) {
    for (SmscMessageId part : parts) {
      recording.remove(part, done);
    }
    done.complete(null);
  }

  /**
   * If the part's submission is being recorded, waits for that to end, at most {@code maxWait};
   * true if it was being recorded and ended in time. Returns at once otherwise.
   */
  boolean awaitRecorded(SmscMessageId part, Duration maxWait) {
    CompletableFuture<Void> done = recording.get(part);
    if (done == null) {
      return false;
    }
    waiting.incrementAndGet();
    try {
      done.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Reports waiting in {@link #awaitRecorded} now. */
  int waitingCount() {
    return waiting.get();
  }

  /** Parts whose recording is in progress. */
  int recordingCount() {
    return recording.size();
  }
}
