package org.assemblypay.smpp.jsmpp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.assemblypay.smpp.BindMode;
import org.assemblypay.smpp.BindState;
import org.assemblypay.smpp.DispatcherSettings;
import org.assemblypay.smpp.SmscConnectionConfig;
import org.assemblypay.smpp.encoding.SmsAlphabet;
import org.assemblypay.smpp.encoding.SmsPart;
import org.assemblypay.smpp.receipt.MessageIds;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.SubmitSmResult;

/**
 * One configured SMSC connection: its session link(s), a queue of jobs, a sender thread that
 * honours the rate limit and the window, and a bounded pool that waits for the responses (jSMPP's
 * submit blocks until its response, so the window is a semaphore over that pool).
 */
final class SmscBind {

  /** service_type: empty means the SMSC default. */
  private static final String SERVICE_TYPE = "";

  private static final long PARK_WHILE_DOWN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  final SmscConnectionConfig config;
  private final DispatcherSettings settings;
  private final OutboxDispatcher dispatcher;
  private final ConnectorMetrics.BindMeters meters;
  private final SessionLink transmitLink;
  private final SessionLink receiveLink;
  private final Semaphore window;
  private final TokenBucket rate;
  private final ThreadPoolExecutor responders;
  private final LinkedBlockingDeque<SubmitJob> queue = new LinkedBlockingDeque<>();
  private final Thread sender;
  private final Backoff throttleBackoff;
  private final AtomicInteger reference = new AtomicInteger(ThreadLocalRandom.current().nextInt());
  private final TypeOfNumber sourceTon;
  private final NumberingPlanIndicator sourceNpi;
  private final TypeOfNumber destTon;
  private final NumberingPlanIndicator destNpi;
  private final RegisteredDelivery registeredDelivery;
  private final DataCoding gsmCoding;
  private final DataCoding ucs2Coding = DataCodings.newInstance((byte) 0x08);
  private volatile long pausedUntilNanos = System.nanoTime();
  private volatile boolean throttledRecently;
  private volatile boolean closed;

  SmscBind(
      SmscConnectionConfig config,
      DispatcherSettings settings,
      OutboxDispatcher dispatcher,
      ConnectorMetrics metrics,
      MessageReceiverListener receiver) {
    this.config = config;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.meters = metrics.bind(config.name());
    this.window = new Semaphore(config.windowSize());
    this.rate = new TokenBucket(config.messagesPerSecond());
    this.throttleBackoff =
        new Backoff(settings.throttlePauseMinMillis(), settings.throttlePauseMaxMillis());
    AtomicInteger threads = new AtomicInteger();
    this.responders =
        new ThreadPoolExecutor(
            config.windowSize(),
            config.windowSize(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t =
                  new Thread(r, "smpp-submit-" + config.name() + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.responders.allowCoreThreadTimeOut(true);
    this.sourceTon = TypeOfNumber.valueOf(config.sourceTon());
    this.sourceNpi = NumberingPlanIndicator.valueOf(config.sourceNpi());
    this.destTon = TypeOfNumber.valueOf(config.destTon());
    this.destNpi = NumberingPlanIndicator.valueOf(config.destNpi());
    this.registeredDelivery =
        config.requestDeliveryReports()
            ? new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE)
            : new RegisteredDelivery(SMSCDeliveryReceipt.DEFAULT);
    this.gsmCoding = DataCodings.newInstance(config.gsmDataCoding());
    Runnable reconnected = meters.reconnects::increment;
    if (config.bindMode() == BindMode.TRANSCEIVER) {
      this.transmitLink =
          new SessionLink(
              config, BindType.BIND_TRX, receiver, s -> dispatcher.wakeUp(), reconnected);
      this.receiveLink = null;
    } else {
      this.transmitLink =
          new SessionLink(
              config, BindType.BIND_TX, receiver, s -> dispatcher.wakeUp(), reconnected);
      this.receiveLink = new SessionLink(config, BindType.BIND_RX, receiver, s -> {}, reconnected);
    }
    this.sender = new Thread(this::sendLoop, "smpp-sender-" + config.name());
    this.sender.setDaemon(true);
    meters.gauge("smpp.bind.state", () -> state().gaugeValue());
    meters.gauge("smpp.window.in_flight", () -> config.windowSize() - window.availablePermits());
    meters.gauge("smpp.queue.size", queue::size);
  }

  void start() {
    transmitLink.start();
    if (receiveLink != null) {
      receiveLink.start();
    }
    sender.start();
  }

  /** Whether submits can go out now (or after a throttling pause). */
  boolean isUp() {
    return !closed && transmitLink.boundSession() != null;
  }

  int room() {
    return settings.maxQueuedPerBind() - queue.size();
  }

  BindState state() {
    if (closed) {
      return BindState.CLOSED;
    }
    BindState tx = transmitLink.state();
    BindState rx = receiveLink == null ? BindState.BOUND : receiveLink.state();
    if (tx == BindState.BOUND && rx == BindState.BOUND) {
      return pausedUntilNanos - System.nanoTime() > 0 ? BindState.PAUSED : BindState.BOUND;
    }
    return tx == BindState.BOUND ? rx : tx;
  }

  int nextReference() {
    return reference.incrementAndGet() & 0xFFFF;
  }

  void enqueue(SubmitJob job) {
    queue.offerLast(job);
  }

  void enqueueFirst(SubmitJob job) {
    queue.offerFirst(job);
  }

  int inFlight() {
    return config.windowSize() - window.availablePermits();
  }

  /** Pauses the whole bind after the SMSC asked us to slow down; concurrent calls pause once. */
  void pause() {
    meters.throttled.increment();
    synchronized (this) {
      long now = System.nanoTime();
      if (pausedUntilNanos - now > 0) {
        return;
      }
      throttledRecently = true;
      pausedUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(throttleBackoff.nextMillis());
    }
  }

  private void sendLoop() {
    while (!closed) {
      SubmitJob job;
      try {
        job = queue.pollFirst(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (job == null) {
        continue;
      }
      if (queue.size() <= settings.maxQueuedPerBind() / 2) {
        dispatcher.wakeUp();
      }
      SubmitJob next = job;
      SmsCorrelation.run(job.message.correlationId(), () -> sendJob(next));
    }
  }

  private void sendJob(SubmitJob job) {
    SMPPSession session = awaitReady();
    if (session == null) {
      strand(job);
      return;
    }
    submitRound(session, job);
  }

  /** Waits out a pause and a short outage; null when the bind stays down (fail over) or closes. */
  private SMPPSession awaitReady() {
    long downSince = 0;
    long failoverNanos = TimeUnit.MILLISECONDS.toNanos(settings.failoverAfterMillis());
    while (!closed) {
      long now = System.nanoTime();
      long pause = pausedUntilNanos - now;
      if (pause > 0) {
        LockSupport.parkNanos(Math.min(pause, TimeUnit.MILLISECONDS.toNanos(50)));
        continue;
      }
      SMPPSession session = transmitLink.boundSession();
      if (session != null) {
        return session;
      }
      if (downSince == 0) {
        downSince = now;
      } else if (now - downSince >= failoverNanos) {
        return null;
      }
      LockSupport.parkNanos(PARK_WHILE_DOWN_NANOS);
    }
    return null;
  }

  private void strand(SubmitJob first) {
    var jobs = new ArrayList<SubmitJob>();
    jobs.add(first);
    queue.drainTo(jobs);
    dispatcher.stranded(this, jobs);
  }

  private void submitRound(SMPPSession session, SubmitJob job) {
    List<SmsPart> parts = job.pendingParts();
    job.beginRound(parts.size());
    for (SmsPart part : parts) {
      if (rate.acquire()) {
        meters.rateLimited.increment();
      }
      window.acquireUninterruptibly();
      try {
        responders.execute(() -> submitPart(session, job, part));
      } catch (RejectedExecutionException e) {
        window.release();
        finishPart(job, part, new PartOutcome.NotSent("connector stopping"));
      }
    }
  }

  private void submitPart(SMPPSession session, SubmitJob job, SmsPart part) {
    SmsCorrelation.run(job.message.correlationId(), () -> submitPartNow(session, job, part));
  }

  private void submitPartNow(SMPPSession session, SubmitJob job, SmsPart part) {
    PartOutcome outcome;
    try {
      SubmitSmResult result = send(session, job, part);
      outcome =
          new PartOutcome.Accepted(
              MessageIds.normalize(result.getMessageId(), config.submitRespIdFormat()),
              config.smsc());
      meters.submitted.increment();
      if (throttledRecently) {
        throttledRecently = false;
        throttleBackoff.reset();
      }
    } catch (NegativeResponseException e) {
      outcome = new PartOutcome.Rejected(e.getCommandStatus());
    } catch (ResponseTimeoutException | InvalidResponseException e) {
      meters.timeouts.increment();
      outcome = new PartOutcome.TimedOut(e.getMessage());
    } catch (IOException e) {
      meters.notSent.increment();
      outcome = new PartOutcome.NotSent(e.getMessage());
    } catch (PDUException e) {
      outcome = new PartOutcome.Invalid(e.getMessage());
    } catch (RuntimeException e) {
      meters.timeouts.increment();
      outcome = new PartOutcome.TimedOut(e.toString());
    } finally {
      window.release();
    }
    finishPart(job, part, outcome);
  }

  private void finishPart(SubmitJob job, SmsPart part, PartOutcome outcome) {
    if (outcome instanceof PartOutcome.Rejected rejected) {
      switch (dispatcher.responses().actionFor(rejected.commandStatus())) {
        case PAUSE_BIND -> pause();
        case RETRY -> meters.temporaryErrors.increment();
        case FAIL -> meters.permanentErrors.increment();
      }
    }
    if (job.record(part.sequence(), outcome)) {
      dispatcher.roundCompleted(this, job);
    }
  }

  private SubmitSmResult send(SMPPSession session, SubmitJob job, SmsPart part)
      throws PDUException,
          ResponseTimeoutException,
          InvalidResponseException,
          NegativeResponseException,
          IOException {
    boolean payload = job.encoded.usesPayloadTlv();
    OptionalParameter[] tlvs;
    byte[] shortMessage = part.shortMessage();
    if (payload) {
      tlvs = new OptionalParameter[] {new OptionalParameter.Message_payload(shortMessage)};
      shortMessage = new byte[0];
    } else if (part.total() > 1 && !part.udhi()) {
      tlvs =
          new OptionalParameter[] {
            OptionalParameters.newSarMsgRefNum(job.encoded.reference() & 0xFFFF),
            OptionalParameters.newSarTotalSegments(part.total()),
            OptionalParameters.newSarSegmentSeqnum(part.sequence())
          };
    } else {
      tlvs = OptionalParameters.EMPTY_OPTIONAL_PARAMETERS;
    }
    return session.submitShortMessage(
        SERVICE_TYPE,
        sourceTon,
        sourceNpi,
        config.senderIdFor(job.message.assemblyId()),
        destTon,
        destNpi,
        job.message.destination(),
        part.udhi() ? new ESMClass(0x40) : new ESMClass(),
        (byte) 0,
        (byte) 0,
        null,
        null,
        registeredDelivery,
        (byte) 0,
        job.encoded.alphabet() == SmsAlphabet.UCS2 ? ucs2Coding : gsmCoding,
        (byte) 0,
        shortMessage,
        tlvs);
  }

  /** Stops taking jobs, hands queued ones back, waits for in-flight submits, unbinds. */
  List<SubmitJob> close() {
    closed = true;
    try {
      sender.join(config.responseTimeoutMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    responders.shutdown();
    try {
      responders.awaitTermination(config.responseTimeoutMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // After the responders: a finished round may have put its job back in the queue.
    var left = new ArrayList<SubmitJob>();
    queue.drainTo(left);
    transmitLink.close(config.bindTimeoutMillis() + 1_000);
    if (receiveLink != null) {
      receiveLink.close(config.bindTimeoutMillis() + 1_000);
    }
    return left;
  }
}
