package org.assemblypay.smpp.jsmpp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assemblypay.smpp.DispatcherSettings;
import org.assemblypay.smpp.OutboundMessage;
import org.assemblypay.smpp.OutboxSource;
import org.assemblypay.smpp.ResponseTimeoutPolicy;
import org.assemblypay.smpp.Route;
import org.assemblypay.smpp.Submission;
import org.assemblypay.smpp.encoding.EncodedSms;
import org.assemblypay.smpp.encoding.SmsEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due messages from the outbox, routes each to a bind, and turns every finished submit round
 * into exactly one outcome call on the outbox (or a resubmission), following the response table and
 * the timeout policy.
 */
final class OutboxDispatcher {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

  /**
   * How long an outcome that cannot be recorded is retried: below the ledger's default claim lease
   * (30 s), after which the row is claimed again.
   */
  static final long OUTCOME_RETRY_MILLIS = 25_000;

  private final DispatcherSettings settings;
  private final OutboxSource source;
  private final List<Route> routes;
  private final ScheduledExecutorService scheduler;
  private final ResponseTable responses;
  private final Thread thread;
  private final Object signal = new Object();
  private final Set<SubmitJob> delayed = ConcurrentHashMap.newKeySet();
  private List<SmscBind> binds = List.of();
  private boolean woken;
  private volatile boolean closed;

  OutboxDispatcher(
      DispatcherSettings settings,
      OutboxSource source,
      List<Route> routes,
      ScheduledExecutorService scheduler) {
    this.settings = settings;
    this.source = source;
    this.routes =
        routes.stream().sorted(Comparator.comparingInt(Route::specificity).reversed()).toList();
    this.scheduler = scheduler;
    this.responses = new ResponseTable(settings.responseActions());
    this.thread = new Thread(this::run, "smpp-dispatcher");
    this.thread.setDaemon(true);
  }

  void setBinds(List<SmscBind> all) {
    this.binds = List.copyOf(all);
  }

  ResponseTable responses() {
    return responses;
  }

  void start() {
    thread.start();
  }

  /** Makes the dispatcher look at the outbox now. */
  void wakeUp() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void await(long millis) {
    synchronized (signal) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      long left;
      while (!woken && !closed && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(signal, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      woken = false;
    }
  }

  private void run() {
    while (!closed) {
      int room = 0;
      for (SmscBind bind : binds) {
        if (bind.isUp()) {
          room += Math.max(0, bind.room());
        }
      }
      if (room <= 0) {
        await(settings.pollIntervalMillis());
        continue;
      }
      List<OutboundMessage> batch;
      try {
        batch = source.claimDue(Math.min(settings.claimBatchSize(), room));
      } catch (RuntimeException e) {
        log.warn("Claiming from the outbox failed: {}", e.toString());
        await(settings.pollIntervalMillis());
        continue;
      }
      if (batch.isEmpty()) {
        await(settings.pollIntervalMillis());
        continue;
      }
      for (OutboundMessage message : batch) {
        dispatch(message);
      }
    }
  }

  private void dispatch(OutboundMessage message) {
    SmsCorrelation.run(message.correlationId(), () -> dispatchNow(message));
  }

  private void dispatchNow(OutboundMessage message) {
    Optional<SmscBind> bind = choose(message, null);
    if (bind.isEmpty()) {
      call(
          () ->
              source.scheduleRetry(
                  message.id(),
                  Duration.ofMillis(settings.noBindRetryDelayMillis()),
                  "no SMSC connection is up",
                  message.attemptsUsed()),
          message.id());
      return;
    }
    SubmitJob job = encode(message, bind.get());
    if (job != null) {
      bind.get().enqueue(job);
    }
  }

  private SubmitJob encode(OutboundMessage message, SmscBind bind) {
    EncodedSms encoded;
    try {
      encoded =
          SmsEncoder.encode(message.text(), bind.config.concatenation(), bind.nextReference());
    } catch (RuntimeException e) {
      fail(message.id(), "cannot encode the text: " + e.getMessage(), message.attemptsUsed());
      return null;
    }
    if (encoded.segments() > settings.maxParts()) {
      fail(
          message.id(),
          "text needs " + encoded.segments() + " SMS parts; the limit is " + settings.maxParts(),
          message.attemptsUsed());
      return null;
    }
    return new SubmitJob(message, encoded);
  }

  /** The first bind of the message's route that is up (with room if possible), except one. */
  private Optional<SmscBind> choose(OutboundMessage message, SmscBind except) {
    List<SmscBind> candidates = binds;
    for (Route route : routes) {
      if (route.matches(message.assemblyId(), message.destination())) {
        candidates =
            route.connectionNames().stream()
                .flatMap(name -> binds.stream().filter(b -> b.config.name().equals(name)))
                .toList();
        break;
      }
    }
    SmscBind fallback = null;
    for (SmscBind bind : candidates) {
      if (bind != except && bind.isUp()) {
        if (bind.room() > 0) {
          return Optional.of(bind);
        }
        if (fallback == null) {
          fallback = bind;
        }
      }
    }
    return Optional.ofNullable(fallback);
  }

  /** Jobs whose bind stayed down (or is closing): fail over, or give them back to the outbox. */
  void stranded(SmscBind from, List<SubmitJob> jobs) {
    for (SubmitJob job : jobs) {
      Optional<SmscBind> other = closed ? Optional.empty() : choose(job.message, from);
      if (other.isPresent()) {
        log.info(
            "Failing over message {} from {} to {}",
            job.message.id(),
            from.config.name(),
            other.get().config.name());
        other.get().enqueue(job);
      } else {
        release(
            job, closed ? "connector stopping" : "SMSC connection " + from.config.name() + " down");
      }
    }
  }

  private void release(SubmitJob job, String reason) {
    if (job.anySubmitted()) {
      unknown(job, job.lastConnection(), reason + " after some parts were accepted");
      return;
    }
    call(
        () ->
            source.scheduleRetry(
                job.message.id(),
                Duration.ofMillis(settings.noBindRetryDelayMillis()),
                reason,
                job.attemptsUsed()),
        job.message.id());
  }

  /** Decides what a finished round means; runs on a responder thread. */
  void roundCompleted(SmscBind bind, SubmitJob job) {
    SmsCorrelation.run(job.message.correlationId(), () -> decide(bind, job));
  }

  private void decide(SmscBind bind, SubmitJob job) {
    List<PartOutcome> outcomes = job.roundOutcomes();
    boolean reachedSmsc = false;
    Integer permanent = null;
    String invalid = null;
    boolean timedOut = false;
    Integer temporary = null;
    boolean throttled = false;
    for (PartOutcome outcome : outcomes) {
      if (outcome instanceof PartOutcome.Accepted) {
        reachedSmsc = true;
      } else if (outcome instanceof PartOutcome.Rejected rejected) {
        switch (responses.actionFor(rejected.commandStatus())) {
          case PAUSE_BIND -> throttled = true;
          case RETRY -> {
            reachedSmsc = true;
            temporary = rejected.commandStatus();
          }
          case FAIL -> {
            reachedSmsc = true;
            permanent = rejected.commandStatus();
          }
        }
      } else if (outcome instanceof PartOutcome.TimedOut) {
        reachedSmsc = true;
        timedOut = true;
      } else if (outcome instanceof PartOutcome.Invalid i) {
        invalid = i.detail();
      }
    }
    int attempts = reachedSmsc ? job.countAttempt() : job.attemptsUsed();
    long id = job.message.id();
    String connection = bind.config.name();
    if (reachedSmsc) {
      job.lastConnection(connection);
    }
    if (job.complete()) {
      Submission submission = job.submission(connection, attempts);
      List<String> ids = submission.partMessageIds();
      log.info("Message {} submitted on {} as {} part(s) {}", id, connection, ids.size(), ids);
      call(() -> source.markSubmitted(id, submission), id);
      return;
    }
    if (invalid != null) {
      fail(id, "invalid submit_sm: " + invalid, attempts);
      return;
    }
    if (permanent != null) {
      fail(id, "SMSC refused: " + ResponseTable.describe(permanent), attempts);
      return;
    }
    if (timedOut) {
      if (settings.timeoutPolicy() == ResponseTimeoutPolicy.AWAIT_REPORT) {
        unknown(job, connection, "no submit_sm_resp in time; not resent (policy AWAIT_REPORT)");
      } else if (attempts >= settings.maxAttempts()) {
        unknown(job, connection, "no submit_sm_resp in time after " + attempts + " attempts");
      } else {
        log.info("Message {}: no submit_sm_resp in time; resending (attempt {})", id, attempts + 1);
        bind.enqueueFirst(job);
      }
      return;
    }
    if (temporary != null) {
      if (attempts >= settings.maxAttempts()) {
        fail(
            id,
            "SMSC error " + ResponseTable.describe(temporary) + " after " + attempts + " attempts",
            attempts);
      } else {
        later(job, settings.retryDelayMillis());
      }
      return;
    }
    if (throttled) {
      bind.enqueueFirst(job);
      return;
    }
    // Nothing reached the SMSC: the session closed under us. Retry on this bind; its sender fails
    // over if the connection stays down.
    bind.enqueueFirst(job);
  }

  private void later(SubmitJob job, long delayMillis) {
    delayed.add(job);
    try {
      scheduleLater(job, delayMillis);
    } catch (RejectedExecutionException e) {
      delayed.remove(job);
      release(job, "connector stopping");
    }
  }

  private void scheduleLater(SubmitJob job, long delayMillis) {
    scheduler.schedule(
        () -> {
          if (delayed.remove(job)) {
            Optional<SmscBind> bind = choose(job.message, null);
            if (bind.isPresent()) {
              bind.get().enqueue(job);
            } else {
              release(job, "no SMSC connection is up");
            }
          }
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
  }

  private void unknown(SubmitJob job, String connection, String reason) {
    var partial = job.submission(connection, job.attemptsUsed());
    call(() -> source.markOutcomeUnknown(job.message.id(), partial, reason), job.message.id());
  }

  private void fail(long id, String reason, int attempts) {
    log.info("Message {} failed: {}", id, reason);
    call(() -> source.failPermanently(id, reason, attempts), id);
  }

  /**
   * Runs an outbox call; if the store is down, retries it with back-off (200 ms doubling to 5 s)
   * for up to {@link #OUTCOME_RETRY_MILLIS} after the first failure. A message sent but never
   * recorded is claimed again when its lease runs out and sent twice, so an outage shorter than
   * this window costs no duplicate (D112).
   */
  private void call(Runnable outcomeCall, long messageId) {
    call(outcomeCall, messageId, 1, 0L);
  }

  private void call(Runnable outcomeCall, long messageId, int attempt, long firstFailureNanos) {
    try {
      outcomeCall.run();
    } catch (RuntimeException e) {
      long first = attempt == 1 ? System.nanoTime() : firstFailureNanos;
      long failingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first);
      if (failingMillis >= OUTCOME_RETRY_MILLIS || scheduler.isShutdown()) {
        log.error(
            "Recording the outcome of message {} failed {} times over {} ms; its claim will"
                + " expire: {}",
            messageId,
            attempt,
            failingMillis,
            e.toString());
        return;
      }
      if (attempt == 1) {
        log.warn(
            "Recording the outcome of message {} failed; retrying: {}", messageId, e.toString());
      }
      long delay = Math.min(5_000L, 200L << Math.min(attempt - 1, 5));
      scheduler.schedule(
          () -> call(outcomeCall, messageId, attempt + 1, first), delay, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops claiming; returns delayed jobs to the outbox. */
  void stopClaiming() {
    closed = true;
    wakeUp();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Gives every job still held in memory back to the outbox. */
  void releaseAll(List<SubmitJob> jobs) {
    var all = new ArrayList<>(jobs);
    for (SubmitJob job : delayed) {
      if (delayed.remove(job)) {
        all.add(job);
      }
    }
    for (SubmitJob job : all) {
      release(job, "connector stopping");
    }
  }
}
