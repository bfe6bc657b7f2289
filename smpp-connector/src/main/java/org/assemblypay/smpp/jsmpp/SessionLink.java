package org.assemblypay.smpp.jsmpp;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assemblypay.smpp.BindState;
import org.assemblypay.smpp.SmscConnectionConfig;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one SMPP session bound: connects, binds, watches for the session closing, and reconnects
 * with exponential back-off, on its own single thread. Every attempt uses a fresh {@link
 * SMPPSession}; the previous one is closed first, so its threads end.
 */
final class SessionLink {

  private static final Logger log = LoggerFactory.getLogger(SessionLink.class);

  private final SmscConnectionConfig config;
  private final BindType bindType;
  private final MessageReceiverListener receiver;
  private final Consumer<BindState> onStateChange;
  private final Runnable onReconnect;
  private final Backoff backoff;
  private final TcpConnectionFactory connectionFactory;
  private final Thread thread;
  private final Object monitor = new Object();
  private volatile SMPPSession session;
  private volatile BindState state = BindState.DISCONNECTED;
  private volatile boolean closed;

  SessionLink(
      SmscConnectionConfig config,
      BindType bindType,
      MessageReceiverListener receiver,
      Consumer<BindState> onStateChange,
      Runnable onReconnect) {
    this.config = config;
    this.bindType = bindType;
    this.receiver = receiver;
    this.onStateChange = onStateChange;
    this.onReconnect = onReconnect;
    this.backoff = new Backoff(config.reconnectMinMillis(), config.reconnectMaxMillis());
    this.connectionFactory = new TcpConnectionFactory((int) config.bindTimeoutMillis());
    this.thread = new Thread(this::run, "smpp-link-" + config.name() + "-" + bindType);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The bound session, or null while not bound. */
  SMPPSession boundSession() {
    SMPPSession current = session;
    return current != null && current.getSessionState().isBound() ? current : null;
  }

  BindState state() {
    return state;
  }

  private void setState(BindState newState) {
    state = newState;
    onStateChange.accept(newState);
  }

  private void run() {
    while (!closed) {
      setState(BindState.CONNECTING);
      SMPPSession candidate = newSession();
      try {
        candidate.connectAndBind(
            config.host(),
            config.port(),
            new BindParameter(
                bindType,
                config.systemId(),
                config.password(),
                config.systemType(),
                TypeOfNumber.UNKNOWN,
                NumberingPlanIndicator.UNKNOWN,
                null),
            config.bindTimeoutMillis());
      } catch (IOException | RuntimeException e) {
        candidate.close();
        log.warn("SMSC {} {} bind failed: {}", config.name(), bindType, e.getMessage());
        setState(BindState.DISCONNECTED);
        pauseBeforeReconnect();
        continue;
      }
      session = candidate;
      backoff.reset();
      log.info("SMSC {} {} bound", config.name(), bindType);
      setState(BindState.BOUND);
      awaitUnbound(candidate);
      session = null;
      if (closed) {
        candidate.unbindAndClose();
        break;
      }
      candidate.close();
      log.warn("SMSC {} {} connection lost; reconnecting", config.name(), bindType);
      setState(BindState.DISCONNECTED);
      pauseBeforeReconnect();
    }
    setState(BindState.CLOSED);
  }

  private SMPPSession newSession() {
    var s = new SMPPSession(connectionFactory);
    s.setEnquireLinkTimer((int) config.enquireLinkIntervalMillis());
    s.setTransactionTimer(config.responseTimeoutMillis());
    s.setPduProcessorDegree(config.receiverThreads());
    s.setQueueCapacity(Math.max(config.receiveQueueCapacity(), config.windowSize() * 4));
    s.setMessageReceiverListener(receiver);
    s.addSessionStateListener(
        (newState, oldState, source) -> {
          if (!newState.isBound()) {
            synchronized (monitor) {
              monitor.notifyAll();
            }
          }
        });
    return s;
  }

  private void awaitUnbound(SMPPSession bound) {
    synchronized (monitor) {
      while (!closed && bound.getSessionState().isBound()) {
        try {
          monitor.wait(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void pauseBeforeReconnect() {
    if (closed) {
      return;
    }
    onReconnect.run();
    long delayMillis = backoff.nextMillis();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    synchronized (monitor) {
      long left;
      while (!closed && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Unbinds and stops reconnecting; waits for the link thread to end. */
  void close(long waitMillis) {
    closed = true;
    synchronized (monitor) {
      monitor.notifyAll();
    }
    try {
      thread.join(waitMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    SMPPSession last = session;
    if (last != null && last.getSessionState() != SessionState.CLOSED) {
      last.close();
    }
  }
}
