package org.assemblypay.bench.smpp;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.assemblypay.bench.ProcessCpu;

/**
 * What one thread hand-off costs on this machine: two threads pass a token back and forth, each
 * parking until the other unparks it (as a jSMPP caller waiting for its response, or a pool worker
 * waiting for a task, does). Prints wall time and this JVM's CPU per hand-off; the SMPP path makes
 * about a dozen such hand-offs per message.
 *
 * <p>Arguments: [round trips per run, default 200000] [runs, default 5].
 */
public final class HandoffCostBenchmark {

  private HandoffCostBenchmark() {}

  /** Runs the ping-pong and prints one line per run. */
  public static void main(String[] args) throws InterruptedException {
    int trips = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.printf(
        "Thread hand-off (park/unpark ping-pong): %d round trips per run, %d CPUs, Java %s%n",
        trips, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    for (int run = 0; run < runs; run++) {
      long[] figures = pingPong(trips);
      System.out.printf(
          Locale.ROOT,
          "run %d: %.1f µs wall and %.1f µs CPU per hand-off%n",
          run + 1,
          figures[0] / 1e3 / (2.0 * trips),
          figures[1] / 1e3 / (2.0 * trips));
    }
  }

  /** Wall and CPU nanoseconds for {@code trips} round trips (two hand-offs each). */
  private static long[] pingPong(int trips) throws InterruptedException {
    // turn: 0 = the main thread's, 1 = the echo thread's. Each waits for its turn parked.
    var turn = new java.util.concurrent.atomic.AtomicInteger();
    Thread main = Thread.currentThread();
    Thread echo =
        new Thread(
            () -> {
              for (int i = 0; i < trips; i++) {
                while (turn.get() != 1) {
                  LockSupport.park();
                }
                turn.set(0);
                LockSupport.unpark(main);
              }
            },
            "handoff-echo");
    echo.start();
    long cpu = ProcessCpu.jvmNanos();
    long start = System.nanoTime();
    for (int i = 0; i < trips; i++) {
      turn.set(1);
      LockSupport.unpark(echo);
      while (turn.get() != 0) {
        LockSupport.park();
      }
    }
    long wall = System.nanoTime() - start;
    cpu = ProcessCpu.jvmNanos() - cpu;
    echo.join();
    return new long[] {wall, cpu};
  }
}
