package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assemblypay.ledger.LedgerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers hand in one write each and wait until the transaction holding it has
 * committed; writer threads take whatever has queued up (at most {@code maxBatch}) and write it per
 * assembly in one transaction each. Under load a batch fills while the previous one commits, so the
 * commits per message fall without delaying a lone write.
 *
 * <p>The queue is bounded: when it is full for longer than the wait limit the caller gets an
 * exception (the connector retries the outcome; the SMSC redelivers the report), so a slow database
 * pushes back instead of growing memory. A caller that times out may still see its write committed
 * later; every write here is idempotent (a row no longer queued is left alone, a repeated report
 * changes nothing).
 *
 * @param <T> one caller's write
 */
final class GroupCommitWriter<T> implements AutoCloseable {

  /** Writes one assembly's items in one transaction; returns one outcome per item, in order. */
  @FunctionalInterface
  interface BatchWrite<T> {
    List<Boolean> write(String assemblyCode, List<T> items);
  }

  /** The writer could not take or finish a write in time (queue full, database slow or down). */
  static final class WriteNotDoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WriteNotDoneException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Pending<T>(String assemblyCode, T item, CompletableFuture<Boolean> done) {}

  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final String name;
  private final BlockingQueue<Pending<T>> queue;
  private final int maxBatch;
  private final long waitLimitNanos;
  private final BatchWrite<T> write;
  private final List<Thread> threads = new ArrayList<>();
  private final DistributionSummary batchSizes;
  private final Timer commits;
  private final Counter rejected;
  private final Counter failures;
  private volatile boolean closed;

  GroupCommitWriter(
      String name,
      int capacity,
      int maxBatch,
      int threadCount,
      Duration waitLimit,
      BatchWrite<T> write,
      MeterRegistry registry) {
    if (capacity < 1 || maxBatch < 1 || threadCount < 1) {
      throw new IllegalArgumentException("capacity, maxBatch and threads must be positive");
    }
    this.name = name;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.waitLimitNanos = waitLimit.toNanos();
    this.write = write;
    this.batchSizes = registry.summary("sms.writer.batch_size", "writer", name);
    this.commits = registry.timer("sms.writer.commits", "writer", name);
    this.rejected = registry.counter("sms.writer.rejected", "writer", name);
    this.failures = registry.counter("sms.writer.failed_batches", "writer", name);
    registry.gauge(
        "sms.writer.queued", List.of(Tag.of("writer", name)), queue, BlockingQueue::size);
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::run, "sms-writer-" + name + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Queues one write and waits until its transaction has committed; the outcome the batch write
   * gave for it. Throws what the write threw, or {@link WriteNotDoneException}.
   */
  boolean write(String assemblyCode, T item) {
    if (closed) {
      throw new WriteNotDoneException(name + " writer is closed", null);
    }
    var pending = new Pending<>(assemblyCode, item, new CompletableFuture<Boolean>());
    long start = System.nanoTime();
    try {
      if (!queue.offer(pending, waitLimitNanos, TimeUnit.NANOSECONDS)) {
        rejected.increment();
        throw new WriteNotDoneException(name + " writer queue is full", null);
      }
      long left = waitLimitNanos - (System.nanoTime() - start);
      return pending.done().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriteNotDoneException(name + " write interrupted", e);
    } catch (TimeoutException e) {
      throw new WriteNotDoneException(name + " write not committed in time", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new WriteNotDoneException(name + " write failed", e.getCause());
    }
  }

  private void run() {
    List<Pending<T>> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<T> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        writeAll(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        log.error("{} writer: unexpected failure", name, e);
        batch.forEach(p -> p.done().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
    // Closed and interrupted: nobody will write what is left.
    for (Pending<T> p; (p = queue.poll()) != null; ) {
      p.done().completeExceptionally(new WriteNotDoneException(name + " writer closed", null));
    }
  }

  private void writeAll(List<Pending<T>> batch) {
    Map<String, List<Pending<T>>> byAssembly = new LinkedHashMap<>();
    for (Pending<T> p : batch) {
      byAssembly.computeIfAbsent(p.assemblyCode(), k -> new ArrayList<>()).add(p);
    }
    for (Map.Entry<String, List<Pending<T>>> e : byAssembly.entrySet()) {
      writeGroup(e.getKey(), e.getValue());
    }
  }

  private void writeGroup(String assemblyCode, List<Pending<T>> group) {
    List<T> items = group.stream().map(Pending::item).toList();
    try {
      long start = System.nanoTime();
      List<Boolean> outcomes = write.write(assemblyCode, items);
      commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      batchSizes.record(items.size());
      for (int i = 0; i < group.size(); i++) {
        group.get(i).done().complete(outcomes.get(i));
      }
    } catch (LedgerException e) {
      if (group.size() == 1) {
        group.get(0).done().completeExceptionally(e);
        return;
      }
      // One bad item must not fail the others: write them one by one.
      failures.increment();
      for (Pending<T> p : group) {
        writeGroup(assemblyCode, List.of(p));
      }
    } catch (RuntimeException e) {
      failures.increment();
      group.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  /** Rows still queued (for tests and metrics). */
  int queued() {
    return queue.size();
  }

  /** Writes what is queued (waiting up to five seconds), then stops the threads. */
  @Override
  public void close() {
    closed = true;
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      t.interrupt();
    }
  }
}
