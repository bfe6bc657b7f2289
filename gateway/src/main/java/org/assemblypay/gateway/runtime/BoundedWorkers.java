package org.assemblypay.gateway.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool where blocking work (JDBC, SMPP submits) runs, never on an event loop.
 *
 * <p>Both the thread count and the queue are bounded; when both are full a task is rejected at once
 * (the caller answers "busy") instead of queueing without limit. Queue depth and rejections are
 * metrics.
 */
public final class BoundedWorkers {
  private BoundedWorkers() {}

  /**
   * Creates a pool named {@code name} with {@code threads} threads and {@code queueBound} slots.
   */
  public static ExecutorService create(
      String name, int threads, int queueBound, MeterRegistry registry) {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread t = new Thread(runnable, name + "-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queueBound),
            factory,
            new ThreadPoolExecutor.AbortPolicy());
    return ExecutorServiceMetrics.monitor(registry, pool, name, List.of());
  }
}
