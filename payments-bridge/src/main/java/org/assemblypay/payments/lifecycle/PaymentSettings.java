package org.assemblypay.payments.lifecycle;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.assemblypay.payments.RetryTable;
import org.assemblypay.payments.RoutingTable;

/**
 * How the payment lifecycle routes, polls, retries and bounds its work. Every queue and memory has
 * a bound here.
 *
 * @param defaultRouting routing for assemblies without their own table
 * @param routingByAssembly per-assembly routing, keyed by assembly code (any case)
 * @param servedAssemblies assemblies whose payments this node polls and looks callbacks up in;
 *     empty means every registered assembly (the registry is re-read every {@code
 *     assemblyListRefreshMillis})
 * @param localExpiryMillis after this long since the trader confirmed, a payment the provider still
 *     calls pending (or never received) is marked EXPIRED; a later success still settles
 * @param retryTable pauses and attempts per cause for status checks and re-sends
 * @param pollIntervalMillis pause between poll rounds
 * @param pollBatchSize most payments claimed per assembly per round (1..1000)
 * @param maxConcurrentChecks most status checks the poller has in flight at once
 * @param workerThreads threads for ledger work (JDBC) triggered by provider answers and callbacks
 * @param workerQueueCapacity bound of the workers' queue; beyond it callbacks get 503 and sends are
 *     left to the poller
 * @param maxEarlyHints most callbacks for not-yet-visible references remembered at once
 * @param earlyHintWindowMillis how long such a callback is retried before the poller is left to it
 * @param maxRememberedReferences bound of the reference → assembly and reference → request caches
 * @param assemblyListRefreshMillis how often the registry is re-read when serving all assemblies
 * @param expiredRecheckBatchSize most EXPIRED payments claimed per assembly per re-check sweep
 *     (1..1000); how often each is asked, and for how long, is the ledger's setting
 * @param expiredRecheckSweepMillis least time between two sweeps for due re-checks of EXPIRED
 *     payments on this node
 * @param pollJitterPercent each poll pause is the retry table's pause ± up to this percentage
 *     (0..50), drawn at random, so payments started together do not poll together
 */
public record PaymentSettings(
    RoutingTable defaultRouting,
    Map<String, RoutingTable> routingByAssembly,
    Set<String> servedAssemblies,
    long localExpiryMillis,
    RetryTable retryTable,
    long pollIntervalMillis,
    int pollBatchSize,
    int maxConcurrentChecks,
    int workerThreads,
    int workerQueueCapacity,
    int maxEarlyHints,
    long earlyHintWindowMillis,
    int maxRememberedReferences,
    long assemblyListRefreshMillis,
    int expiredRecheckBatchSize,
    long expiredRecheckSweepMillis,
    int pollJitterPercent) {

  /** Most EXPIRED payments re-checked per assembly per sweep, by default. */
  public static final int DEFAULT_EXPIRED_RECHECK_BATCH = 20;

  /** A sweep for due re-checks of EXPIRED payments once a minute, by default. */
  public static final long DEFAULT_EXPIRED_RECHECK_SWEEP_MILLIS = 60_000;

  /** Poll pauses vary by up to 20 % either way, by default. */
  public static final int DEFAULT_POLL_JITTER_PERCENT = 20;

  /** Checks bounds; upper-cases assembly codes; copies the collections. */
  public PaymentSettings {
    Objects.requireNonNull(defaultRouting, "defaultRouting");
    Objects.requireNonNull(retryTable, "retryTable");
    Map<String, RoutingTable> routing = new HashMap<>();
    routingByAssembly.forEach((code, table) -> routing.put(upper(code), table));
    routingByAssembly = Map.copyOf(routing);
    servedAssemblies =
        servedAssemblies.stream()
            .map(PaymentSettings::upper)
            .collect(Collectors.toUnmodifiableSet());
    positive("localExpiryMillis", localExpiryMillis);
    positive("pollIntervalMillis", pollIntervalMillis);
    positive("earlyHintWindowMillis", earlyHintWindowMillis);
    positive("assemblyListRefreshMillis", assemblyListRefreshMillis);
    positive("expiredRecheckSweepMillis", expiredRecheckSweepMillis);
    if (expiredRecheckBatchSize < 1 || expiredRecheckBatchSize > 1000) {
      throw new IllegalArgumentException("expiredRecheckBatchSize must be 1..1000");
    }
    if (pollJitterPercent < 0 || pollJitterPercent > PollJitter.MAX_PERCENT) {
      throw new IllegalArgumentException("pollJitterPercent must be 0.." + PollJitter.MAX_PERCENT);
    }
    if (pollBatchSize < 1 || pollBatchSize > 1000) {
      throw new IllegalArgumentException("pollBatchSize must be 1..1000");
    }
    if (maxConcurrentChecks < 1 || maxConcurrentChecks > 10_000) {
      throw new IllegalArgumentException("maxConcurrentChecks must be 1..10000");
    }
    if (workerThreads < 1 || workerThreads > 1_000) {
      throw new IllegalArgumentException("workerThreads must be 1..1000");
    }
    if (workerQueueCapacity < 1 || maxEarlyHints < 0 || maxRememberedReferences < 0) {
      throw new IllegalArgumentException("queue and memory bounds must not be negative");
    }
  }

  /**
   * Defaults: 10-minute local expiry, {@link RetryTable#defaults()}, a poll round every second of
   * at most 100 payments per assembly and 64 checks in flight, 8 workers with a queue of 10,000,
   * 10,000 early hints kept for 60 s, 100,000 remembered references, the registry re-read every
   * minute, every assembly served; due re-checks of EXPIRED payments swept once a minute, at most
   * 20 per assembly.
   */
  public static PaymentSettings defaults(RoutingTable defaultRouting) {
    return new PaymentSettings(
        defaultRouting,
        Map.of(),
        Set.of(),
        600_000,
        RetryTable.defaults(),
        1_000,
        100,
        64,
        8,
        10_000,
        10_000,
        60_000,
        100_000,
        60_000,
        DEFAULT_EXPIRED_RECHECK_BATCH,
        DEFAULT_EXPIRED_RECHECK_SWEEP_MILLIS,
        DEFAULT_POLL_JITTER_PERCENT);
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The same settings serving only these assemblies. */
  public PaymentSettings withServedAssemblies(Set<String> codes) {
    return toBuilder().servedAssemblies(codes).build();
  }

  /** The same settings with another local expiry. */
  public PaymentSettings withLocalExpiryMillis(long millis) {
    return toBuilder().localExpiryMillis(millis).build();
  }

  /** The same settings with another worker pool and poll concurrency. */
  public PaymentSettings withConcurrency(int threads, int queueCapacity, int concurrentChecks) {
    return toBuilder()
        .workerThreads(threads)
        .workerQueueCapacity(queueCapacity)
        .maxConcurrentChecks(concurrentChecks)
        .build();
  }

  /** The same settings with another re-check sweep of EXPIRED payments. */
  public PaymentSettings withExpiredRecheck(int batchSize, long sweepMillis) {
    return toBuilder()
        .expiredRecheckBatchSize(batchSize)
        .expiredRecheckSweepMillis(sweepMillis)
        .build();
  }

  /**
   * The same settings with other poll timings: the pause between poll rounds, the jitter on each
   * payment's pause, and how long an early callback is retried.
   */
  public PaymentSettings withPollTimings(
      long intervalMillis, int jitterPercent, long earlyHintWindow) {
    return toBuilder()
        .pollIntervalMillis(intervalMillis)
        .pollJitterPercent(jitterPercent)
        .earlyHintWindowMillis(earlyHintWindow)
        .build();
  }

  /** The same settings with another retry table. */
  public PaymentSettings withRetryTable(RetryTable table) {
    return toBuilder().retryTable(table).build();
  }

  /** The same settings with per-assembly routing tables, keyed by assembly code (any case). */
  public PaymentSettings withRoutingByAssembly(Map<String, RoutingTable> tables) {
    return toBuilder().routingByAssembly(tables).build();
  }

  /** Changes some settings of a copy; {@link #build()} checks them as the constructor does. */
  public static final class Builder {
    private RoutingTable defaultRouting;
    private Map<String, RoutingTable> routingByAssembly;
    private Set<String> servedAssemblies;
    private long localExpiryMillis;
    private RetryTable retryTable;
    private long pollIntervalMillis;
    private int pollBatchSize;
    private int maxConcurrentChecks;
    private int workerThreads;
    private int workerQueueCapacity;
    private int maxEarlyHints;
    private long earlyHintWindowMillis;
    private int maxRememberedReferences;
    private long assemblyListRefreshMillis;
    private int expiredRecheckBatchSize;
    private long expiredRecheckSweepMillis;
    private int pollJitterPercent;

    private Builder(PaymentSettings s) {
      this.defaultRouting = s.defaultRouting;
      this.routingByAssembly = s.routingByAssembly;
      this.servedAssemblies = s.servedAssemblies;
      this.localExpiryMillis = s.localExpiryMillis;
      this.retryTable = s.retryTable;
      this.pollIntervalMillis = s.pollIntervalMillis;
      this.pollBatchSize = s.pollBatchSize;
      this.maxConcurrentChecks = s.maxConcurrentChecks;
      this.workerThreads = s.workerThreads;
      this.workerQueueCapacity = s.workerQueueCapacity;
      this.maxEarlyHints = s.maxEarlyHints;
      this.earlyHintWindowMillis = s.earlyHintWindowMillis;
      this.maxRememberedReferences = s.maxRememberedReferences;
      this.assemblyListRefreshMillis = s.assemblyListRefreshMillis;
      this.expiredRecheckBatchSize = s.expiredRecheckBatchSize;
      this.expiredRecheckSweepMillis = s.expiredRecheckSweepMillis;
      this.pollJitterPercent = s.pollJitterPercent;
    }

    /** Sets defaultRouting. */
    public Builder defaultRouting(RoutingTable value) {
      this.defaultRouting = value;
      return this;
    }

    /** Sets routingByAssembly. */
    public Builder routingByAssembly(Map<String, RoutingTable> value) {
      this.routingByAssembly = value;
      return this;
    }

    /** Sets servedAssemblies. */
    public Builder servedAssemblies(Set<String> value) {
      this.servedAssemblies = value;
      return this;
    }

    /** Sets localExpiryMillis. */
    public Builder localExpiryMillis(long value) {
      this.localExpiryMillis = value;
      return this;
    }

    /** Sets retryTable. */
    public Builder retryTable(RetryTable value) {
      this.retryTable = value;
      return this;
    }

    /** Sets pollIntervalMillis. */
    public Builder pollIntervalMillis(long value) {
      this.pollIntervalMillis = value;
      return this;
    }

    /** Sets pollBatchSize. */
    public Builder pollBatchSize(int value) {
      this.pollBatchSize = value;
      return this;
    }

    /** Sets maxConcurrentChecks. */
    public Builder maxConcurrentChecks(int value) {
      this.maxConcurrentChecks = value;
      return this;
    }

    /** Sets workerThreads. */
    public Builder workerThreads(int value) {
      this.workerThreads = value;
      return this;
    }

    /** Sets workerQueueCapacity. */
    public Builder workerQueueCapacity(int value) {
      this.workerQueueCapacity = value;
      return this;
    }

    /** Sets maxEarlyHints. */
    public Builder maxEarlyHints(int value) {
      this.maxEarlyHints = value;
      return this;
    }

    /** Sets earlyHintWindowMillis. */
    public Builder earlyHintWindowMillis(long value) {
      this.earlyHintWindowMillis = value;
      return this;
    }

    /** Sets maxRememberedReferences. */
    public Builder maxRememberedReferences(int value) {
      this.maxRememberedReferences = value;
      return this;
    }

    /** Sets assemblyListRefreshMillis. */
    public Builder assemblyListRefreshMillis(long value) {
      this.assemblyListRefreshMillis = value;
      return this;
    }

    /** Sets expiredRecheckBatchSize. */
    public Builder expiredRecheckBatchSize(int value) {
      this.expiredRecheckBatchSize = value;
      return this;
    }

    /** Sets expiredRecheckSweepMillis. */
    public Builder expiredRecheckSweepMillis(long value) {
      this.expiredRecheckSweepMillis = value;
      return this;
    }

    /** Sets pollJitterPercent. */
    public Builder pollJitterPercent(int value) {
      this.pollJitterPercent = value;
      return this;
    }

    /** The settings, checked. */
    public PaymentSettings build() {
      return new PaymentSettings(
          defaultRouting,
          routingByAssembly,
          servedAssemblies,
          localExpiryMillis,
          retryTable,
          pollIntervalMillis,
          pollBatchSize,
          maxConcurrentChecks,
          workerThreads,
          workerQueueCapacity,
          maxEarlyHints,
          earlyHintWindowMillis,
          maxRememberedReferences,
          assemblyListRefreshMillis,
          expiredRecheckBatchSize,
          expiredRecheckSweepMillis,
          pollJitterPercent);
    }
  }

  /** The routing table for an assembly. */
  public RoutingTable routingFor(String assemblyCode) {
    return routingByAssembly.getOrDefault(upper(assemblyCode), defaultRouting);
  }

  static String upper(String code) {
    return Objects.requireNonNull(code, "code").trim().toUpperCase(Locale.ROOT);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
