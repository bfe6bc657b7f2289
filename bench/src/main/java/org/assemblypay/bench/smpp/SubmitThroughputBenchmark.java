package org.assemblypay.bench.smpp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DispatcherSettings;
import org.assemblypay.smpp.InboundSettings;
import org.assemblypay.smpp.OutboundMessage;
import org.assemblypay.smpp.OutboxSignal;
import org.assemblypay.smpp.OutboxSource;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.SmppPorts;
import org.assemblypay.smpp.SmscConnectionConfig;
import org.assemblypay.smpp.Submission;
import org.assemblypay.smpp.jsmpp.SmppConnector;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;

/**
 * submit_sm throughput on one bind to the SMSC simulator, at window 1, 10 and 100: messages go from
 * an in-memory outbox through the connector (dispatcher, rate limiter, window, jSMPP) to the
 * simulator in the same JVM, by default without delivery receipts. Prints messages per second and
 * the claim-to-submit_sm_resp latency.
 *
 * <p>Arguments: [messages per window, default 100000] [windows, default 1,10,100] [receipts]. With
 * {@code receipts}, every submit asks for a delivery receipt and a run ends when every receipt has
 * been matched in memory (the connector's side of the end-to-end figure; no database).
 */
public final class SubmitThroughputBenchmark {

  private SubmitThroughputBenchmark() {}

  /** Runs the benchmark and prints one line per window. */
  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    boolean receipts = args.length > 2 && args[2].equals("receipts");
    List<Integer> windows = new ArrayList<>();
    for (String w : (args.length > 1 ? args[1] : "1,10,100").split(",")) {
      windows.add(Integer.parseInt(w.trim()));
    }
    System.out.printf(
        "SMPP submit_sm throughput, one bind, %d messages per window%s, %d CPUs, Java %s%n",
        messages,
        receipts ? ", receipts matched" : "",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    for (int window : windows) {
      int warmUp = Math.min(messages, window == 1 ? 2_000 : 20_000);
      run(window, warmUp, receipts);
      Result result = run(window, messages, receipts);
      System.out.printf(
          "window %3d: %,9.0f msg/s   latency claim→resp p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms%n",
          window,
          result.messagesPerSecond,
          result.latency.getValueAtPercentile(50) / 1e6,
          result.latency.getValueAtPercentile(99) / 1e6,
          result.latency.getMaxValue() / 1e6);
    }
  }

  private record Result(double messagesPerSecond, Histogram latency) {}

  private static Result run(int window, int messages, boolean receipts) throws Exception {
    var smscConfig =
        SimulatorConfig.defaults("bench", "bench").withCapacity(4, 10_000, 1).withDelays(0, 50);
    try (var smsc = SmscSimulator.start(smscConfig)) {
      var outbox = new GeneratedOutbox(messages, receipts);
      var connection =
          SmscConnectionConfig.builder("bench", "127.0.0.1", smsc.port(), "bench", "bench")
              .windowSize(window)
              .messagesPerSecond(0)
              .responseTimeoutMillis(30_000)
              .requestDeliveryReports(receipts)
              .build();
      var config =
          new SmppConnectorConfig(
              List.of(connection),
              List.of(),
              DispatcherSettings.defaults(),
              InboundSettings.defaults());
      var ports =
          new SmppPorts(outbox, OutboxSignal.pollingOnly(), outbox::onReport, message -> {});
      try (var connector = SmppConnector.start(config, ports, new SimpleMeterRegistry())) {
        if (!connector.awaitBound(Duration.ofSeconds(10))) {
          throw new IllegalStateException("no bind: " + connector.bindStates());
        }
        long start = System.nanoTime();
        outbox.open();
        connector.wakeUp();
        if (!outbox.done.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException("only " + outbox.submitted.get() + " submitted");
        }
        long elapsed = System.nanoTime() - start;
        if (outbox.failures.get() > 0) {
          throw new IllegalStateException(outbox.failures.get() + " messages did not go out");
        }
        return new Result(messages / (elapsed / 1e9), outbox.latency);
      }
    }
  }

  /** An outbox of generated receipts that records when each was claimed and submitted. */
  private static final class GeneratedOutbox implements OutboxSource {
    private final Queue<OutboundMessage> due = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<Long, Long> claimedAt = new ConcurrentHashMap<>();
    private final List<OutboundMessage> all = new ArrayList<>();
    private final ConcurrentHashMap<String, Boolean> partIds = new ConcurrentHashMap<>();
    private final boolean receipts;
    final Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final CountDownLatch done;
    private volatile boolean open;

    GeneratedOutbox(int count, boolean receipts) {
      this.receipts = receipts;
      for (int i = 0; i < count; i++) {
        all.add(
            new OutboundMessage(
                i,
                "ama",
                "23324" + String.format("%07d", i % 10_000_000),
                "AMA receipt AMA-2026-" + String.format("%06d", i) + ": GHS 5.00 paid. Code 4F7K",
                0));
      }
      this.done = new CountDownLatch(count);
    }

    void open() {
      due.addAll(all);
      open = true;
    }

    @Override
    public List<OutboundMessage> claimDue(int max) {
      if (!open) {
        return List.of();
      }
      var batch = new ArrayList<OutboundMessage>(max);
      long now = System.nanoTime();
      OutboundMessage next;
      while (batch.size() < max && (next = due.poll()) != null) {
        claimedAt.put(next.id(), now);
        batch.add(next);
      }
      return batch;
    }

    @Override
    public void markSubmitted(long messageId, Submission submission) {
      Long claimed = claimedAt.remove(messageId);
      if (claimed != null) {
        latency.recordValue(System.nanoTime() - claimed);
      }
      submitted.incrementAndGet();
      if (receipts) {
        // TRUE: submitted, waiting for its report; FALSE: its report came first (the sink's
        // contract: an early report is kept and applied when the submission is recorded).
        for (String id : submission.partMessageIds()) {
          partIds.compute(
              id,
              (k, v) -> {
                if (Boolean.FALSE.equals(v)) {
                  done.countDown();
                  return null;
                }
                return Boolean.TRUE;
              });
        }
      } else {
        done.countDown();
      }
    }

    boolean onReport(DeliveryReport report) {
      boolean[] matched = new boolean[1];
      partIds.compute(
          report.messageId(),
          (k, v) -> {
            if (Boolean.TRUE.equals(v)) {
              matched[0] = true;
              done.countDown();
              return null;
            }
            return Boolean.FALSE;
          });
      return matched[0];
    }

    @Override
    public void scheduleRetry(long messageId, Duration delay, String reason, int attemptsUsed) {
      due.add(all.get((int) messageId));
    }

    @Override
    public void failPermanently(long messageId, String reason, int attemptsUsed) {
      failures.incrementAndGet();
      done.countDown();
    }

    @Override
    public void markOutcomeUnknown(long messageId, Submission partial, String reason) {
      failures.incrementAndGet();
      done.countDown();
    }
  }
}
