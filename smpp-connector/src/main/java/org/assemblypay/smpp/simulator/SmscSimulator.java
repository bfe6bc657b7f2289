package org.assemblypay.smpp.simulator;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.assemblypay.smpp.ConcatenationMode;
import org.assemblypay.smpp.MessageIdFormat;
import org.assemblypay.smpp.MsisdnMask;
import org.assemblypay.smpp.encoding.ConcatInfo;
import org.assemblypay.smpp.encoding.EncodedSms;
import org.assemblypay.smpp.encoding.SmsAlphabet;
import org.assemblypay.smpp.encoding.SmsDecoder;
import org.assemblypay.smpp.encoding.SmsEncoder;
import org.assemblypay.smpp.encoding.SmsPart;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryAdapter;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMSC for tests and the demo, listening on 127.0.0.1: checks bind credentials, answers
 * submit_sm with ids, sends delivery receipts, keeps an inbox per destination number, and on demand
 * throttles, reports a full queue, answers slowly, drops connections, dies and restarts, and
 * delivers mobile-originated messages (redelivering those the ESME refuses).
 *
 * <pre>{@code
 * SmscSimulator smsc = SmscSimulator.start(SimulatorConfig.defaults("gw", "secret"));
 * smsc.port();                                   // bind the connector here
 * smsc.messagesTo("233244123678");               // what the browser phone shows
 * smsc.injectMo("233244123678", "1411", "BAL");  // a trader's SMS to the gateway
 * }</pre>
 */
public final class SmscSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmscSimulator.class);
  private static final int ESME_RINVCMDID = 0x03;
  private static final int ESME_RINVPASWD = 0x0E;
  private static final int ESME_RINVSYSID = 0x0F;
  private static final int ESME_RMSGQFUL = 0x14;
  private static final int ESME_RTHROTTLED = 0x58;
  private static final DateTimeFormatter RECEIPT_DATE = DateTimeFormatter.ofPattern("yyMMddHHmm");

  /** A bound session and its deliver_sm senders (as many threads as the window). */
  private record BoundSession(
      SMPPServerSession session, String systemId, BindType bindType, ThreadPoolExecutor senders) {}

  private record PartKey(String to, int reference, int total) {}

  private record ReceiptOrder(String systemId, SubmitSm submit, String messageId, long number) {}

  private final SimulatorConfig config;
  private final LoopbackServerConnectionFactory connectionFactory =
      new LoopbackServerConnectionFactory();
  private final Set<BoundSession> sessions = ConcurrentHashMap.newKeySet();
  private final Map<String, Deque<ReceivedSms>> inbox = new ConcurrentHashMap<>();
  private final Map<PartKey, String[]> partsInProgress = new ConcurrentHashMap<>();
  private final Map<PartKey, List<String>> partIds = new ConcurrentHashMap<>();
  private final Map<String, ReceiptOrder> awaitingResponseSent = new ConcurrentHashMap<>();
  private final List<Consumer<ReceivedSms>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong nextId =
      new AtomicLong(1_000_000L + ThreadLocalRandom.current().nextInt(1_000_000));
  private final AtomicLong submits = new AtomicLong();
  private final AtomicLong negativeResponses = new AtomicLong();
  private final AtomicLong deliverRejections = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong binds = new AtomicLong();
  private final AtomicInteger throttleNext = new AtomicInteger();
  private final AtomicInteger queueFullNext = new AtomicInteger();
  private final AtomicInteger rejectNext = new AtomicInteger();
  private final AtomicInteger moReference = new AtomicInteger();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private volatile int rejectStatus;
  private volatile double throttleRatio;
  private volatile long responseDelayMillis;
  private volatile boolean reportBeforeResponse;
  private volatile String reportStat = "DELIVRD";
  private volatile String reportErr = "000";
  private final ScheduledThreadPoolExecutor deliveries;
  private final ExecutorService binders;
  private final Clock clock = Clock.systemUTC();
  private volatile SMPPServerSessionListener listener;
  private volatile Thread acceptor;
  private volatile int port;
  private volatile boolean closed;
  private final AtomicInteger threadNumber = new AtomicInteger();

  private SmscSimulator(SimulatorConfig config) {
    this.config = config;
    AtomicInteger n = threadNumber;
    // Timers only (delays, redelivery, closing refused binds); the deliver_sm themselves are sent
    // by each bound session's senders, up to deliverWindow at once.
    this.deliveries =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "smsc-sim-timer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.binders =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "smsc-sim-bind-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts listening on 127.0.0.1 at the configured port (0 = any free port). */
  public static SmscSimulator start(SimulatorConfig config) throws IOException {
    var simulator = new SmscSimulator(config);
    simulator.listen(config.port());
    return simulator;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  private synchronized void listen(int onPort) throws IOException {
    var newListener = new SMPPServerSessionListener(onPort, 200, 50, connectionFactory);
    newListener.setPduProcessorDegree(config.pduProcessorDegree());
    newListener.setQueueCapacity(config.queueCapacity());
    newListener.setMessageReceiverListener(new Handler());
    newListener.setResponseDeliveryListener(
        new ServerResponseDeliveryAdapter() {
          @Override
          public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
            ReceiptOrder order = awaitingResponseSent.remove(result.getMessageId());
            if (order != null) {
              scheduleReceipt(order, config.reportDelayMillis(), 1);
            }
          }

          @Override
          public void onSubmitSmRespError(
              SubmitSmResult result, Exception cause, SMPPServerSession source) {
            // The ESME never got the id: no receipt will be expected for it.
            awaitingResponseSent.remove(result.getMessageId());
          }
        });
    listener = newListener;
    port = connectionFactory.boundPort();
    Thread thread = new Thread(() -> acceptLoop(newListener), "smsc-sim-accept-" + port);
    thread.setDaemon(true);
    acceptor = thread;
    thread.start();
    log.info("SMSC simulator listening on 127.0.0.1:{}", port);
  }

  private void acceptLoop(SMPPServerSessionListener from) {
    while (listener == from && !closed) {
      SMPPServerSession session;
      try {
        session = from.accept();
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        if (listener == from && !closed) {
          log.warn("SMSC simulator accept failed: {}", e.toString());
        }
        return;
      }
      try {
        binders.execute(() -> handleBind(session));
      } catch (RuntimeException e) {
        session.close();
      }
    }
  }

  private void handleBind(SMPPServerSession session) {
    try {
      session.setEnquireLinkTimer(30_000);
      session.setTransactionTimer(5_000);
      BindRequest request = session.waitForBind(5_000);
      String expected = config.accounts().get(request.getSystemId());
      if (expected == null || !expected.equals(request.getPassword())) {
        log.info(
            "SMSC simulator refused bind of {}: unknown account or wrong password",
            request.getSystemId());
        request.reject(expected == null ? ESME_RINVSYSID : ESME_RINVPASWD);
        // Close a moment later, as SMSCs do: closing at once can reset the connection before the
        // ESME has read the bind_resp.
        deliveries.schedule(session::close, 200, TimeUnit.MILLISECONDS);
        return;
      }
      var bound =
          new BoundSession(
              session, request.getSystemId(), request.getBindType(), newSenders(request));
      sessions.add(bound);
      session.addSessionStateListener(
          (newState, oldState, source) -> {
            if (!newState.isBound()) {
              sessions.remove(bound);
              // Queued sends still run, see the session is gone and go to another one.
              bound.senders.shutdown();
            }
          });
      request.accept("simsmsc");
      binds.incrementAndGet();
    } catch (IllegalStateException | TimeoutException | IOException | PDUStringException e) {
      log.info("SMSC simulator bind failed: {}", e.toString());
      session.close();
    }
  }

  private ThreadPoolExecutor newSenders(BindRequest request) {
    int window = config.deliverWindow();
    String prefix = "smsc-sim-deliver-" + request.getSystemId() + "-";
    var senders =
        new ThreadPoolExecutor(
            window,
            window,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, prefix + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    senders.allowCoreThreadTimeOut(true);
    return senders;
  }

  // ---- faults ------------------------------------------------------------------------------

  /** Answers the next {@code count} submits with ESME_RTHROTTLED. */
  public void throttleNext(int count) {
    throttleNext.addAndGet(count);
  }

  /** Answers this share (0..1) of all submits with ESME_RTHROTTLED until set back to 0. */
  public void throttleRandomly(double ratio) {
    this.throttleRatio = ratio;
  }

  /** Answers the next {@code count} submits with ESME_RMSGQFUL. */
  public void queueFullNext(int count) {
    queueFullNext.addAndGet(count);
  }

  /** Answers the next {@code count} submits with this command_status. */
  public void rejectNext(int count, int commandStatus) {
    rejectStatus = commandStatus;
    rejectNext.set(count);
  }

  /** Waits this long before answering every submit (0 = answer at once). */
  public void setResponseDelayMillis(long millis) {
    this.responseDelayMillis = millis;
  }

  /** Sends each receipt before the submit_sm_resp it belongs to, as some SMSCs do. */
  public void setReportBeforeResponse(boolean enabled) {
    this.reportBeforeResponse = enabled;
  }

  /** The state and error the next receipts carry, e.g. {@code ("UNDELIV", "001")}. */
  public void setReportOutcome(String stat, String err) {
    this.reportStat = stat;
    this.reportErr = err;
  }

  /** Drops every connection at once (the ESMEs will reconnect). */
  public void disconnectAll() {
    for (BoundSession bound : List.copyOf(sessions)) {
      sessions.remove(bound);
      bound.session.close();
      bound.senders.shutdown();
    }
  }

  /** Simulates a crash: stops listening and drops every connection. Inboxes are kept. */
  public synchronized void kill() throws IOException {
    SMPPServerSessionListener current = listener;
    listener = null;
    if (current != null) {
      current.close();
    }
    joinAcceptor();
    disconnectAll();
  }

  /** Listens again on the same port after {@link #kill()}. */
  public synchronized void restart() throws IOException {
    if (listener == null) {
      listen(port);
    }
  }

  // ---- inbox -------------------------------------------------------------------------------

  /** Messages received for this number, oldest first (bounded per number). */
  public List<ReceivedSms> messagesTo(String msisdn) {
    Deque<ReceivedSms> messages = inbox.get(msisdn);
    if (messages == null) {
      return List.of();
    }
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  /** Calls {@code listener} for every complete message received, on a jSMPP worker thread. */
  public void onMessage(Consumer<ReceivedSms> messageListener) {
    listeners.add(messageListener);
  }

  /** submit_sm accepted so far (parts). */
  public long acceptedSubmits() {
    return submits.get();
  }

  /** submit_sm answered with an error so far (faults injected). */
  public long negativeResponses() {
    return negativeResponses.get();
  }

  /** deliver_sm the ESME answered with an error so far (each one is redelivered later). */
  public long deliverRejections() {
    return deliverRejections.get();
  }

  /** deliver_sm (receipts and MO parts) the ESME accepted so far. */
  public long deliveredToEsme() {
    return delivered.get();
  }

  /** Successful binds so far. */
  public long bindCount() {
    return binds.get();
  }

  /** Sessions bound now. */
  public int boundSessions() {
    return sessions.size();
  }

  // ---- MO ----------------------------------------------------------------------------------

  /** Delivers a mobile-originated SMS (split with UDH when long) to a bound receiver. */
  public void injectMo(String from, String to, String text) {
    injectMo(from, to, text, Optional.empty());
  }

  /**
   * As {@link #injectMo(String, String, String)}, carrying the SMSC's id in receipted_message_id.
   */
  public void injectMo(String from, String to, String text, Optional<String> smscId) {
    injectMo(from, to, text, smscId, ConcatenationMode.UDH8);
  }

  /**
   * Delivers a mobile-originated SMS split the given way when long: UDH with an 8- or 16-bit
   * reference, SAR TLVs, or one deliver_sm with message_payload.
   */
  public void injectMo(
      String from, String to, String text, Optional<String> smscId, ConcatenationMode mode) {
    EncodedSms encoded = SmsEncoder.encode(text, mode, moReference.incrementAndGet() & 0xFFFF);
    byte coding = encoded.alphabet() == SmsAlphabet.UCS2 ? (byte) 0x08 : (byte) 0x00;
    for (SmsPart part : encoded.parts()) {
      List<OptionalParameter> tlvs = new ArrayList<>();
      smscId.ifPresent(id -> tlvs.add(new OptionalParameter.Receipted_message_id(id)));
      byte[] shortMessage = part.shortMessage();
      if (encoded.usesPayloadTlv()) {
        tlvs.add(new OptionalParameter.Message_payload(shortMessage));
        shortMessage = new byte[0];
      } else if (part.total() > 1 && !part.udhi()) {
        tlvs.add(OptionalParameters.newSarMsgRefNum(encoded.reference()));
        tlvs.add(OptionalParameters.newSarTotalSegments(part.total()));
        tlvs.add(OptionalParameters.newSarSegmentSeqnum(part.sequence()));
      }
      byte esm = part.udhi() ? (byte) 0x40 : (byte) 0x00;
      deliver(
          null, from, to, esm, coding, shortMessage, tlvs.toArray(new OptionalParameter[0]), 1, 0);
    }
  }

  /** Sends a receipt with exactly this text (and optional TLVs), to test vendors' formats. */
  public void injectReceipt(String from, String to, String receiptText, OptionalParameter... tlvs) {
    deliver(
        null,
        from,
        to,
        (byte) 0x04,
        (byte) 0x00,
        receiptText.getBytes(StandardCharsets.ISO_8859_1),
        tlvs,
        1,
        0);
  }

  private void deliver(
      String systemId,
      String from,
      String to,
      byte esmClass,
      byte dataCoding,
      byte[] shortMessage,
      OptionalParameter[] tlvs,
      int attempt,
      long delayMillis) {
    if (closed) {
      return;
    }
    deliveries.schedule(
        () -> {
          BoundSession target = receiver(systemId);
          if (target == null) {
            // Nobody bound to receive it: keep it, as an SMSC stores receipts and MO messages.
            deliver(
                systemId,
                from,
                to,
                esmClass,
                dataCoding,
                shortMessage,
                tlvs,
                attempt,
                Math.max(50, config.redeliveryDelayMillis()));
            return;
          }
          try {
            target.senders.execute(
                () ->
                    send(
                        target,
                        systemId,
                        from,
                        to,
                        esmClass,
                        dataCoding,
                        shortMessage,
                        tlvs,
                        attempt));
          } catch (RejectedExecutionException e) {
            // The session went down meanwhile: try again on whichever is bound then.
            deliver(
                systemId,
                from,
                to,
                esmClass,
                dataCoding,
                shortMessage,
                tlvs,
                attempt,
                Math.max(50, config.redeliveryDelayMillis()));
          }
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Runs on the session's senders: at most deliverWindow of these wait for a response at once. */
  private void send(
      BoundSession target,
      String systemId,
      String from,
      String to,
      byte esmClass,
      byte dataCoding,
      byte[] shortMessage,
      OptionalParameter[] tlvs,
      int attempt) {
    if (closed) {
      return;
    }
    if (!target.session.getSessionState().isBound()) {
      // Queued while the session went down: not an attempt, route it again.
      deliver(systemId, from, to, esmClass, dataCoding, shortMessage, tlvs, attempt, 0);
      return;
    }
    try {
      target.session.deliverShortMessage(
          "",
          TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN,
          from,
          TypeOfNumber.UNKNOWN,
          NumberingPlanIndicator.UNKNOWN,
          to,
          new ESMClass(esmClass),
          (byte) 0,
          (byte) 0,
          new RegisteredDelivery(0),
          DataCodings.newInstance(dataCoding),
          shortMessage,
          tlvs);
      delivered.incrementAndGet();
    } catch (NegativeResponseException e) {
      deliverRejections.incrementAndGet();
      retryDeliver(systemId, from, to, esmClass, dataCoding, shortMessage, tlvs, attempt);
    } catch (Exception e) {
      retryDeliver(systemId, from, to, esmClass, dataCoding, shortMessage, tlvs, attempt);
    }
  }

  private void retryDeliver(
      String systemId,
      String from,
      String to,
      byte esmClass,
      byte dataCoding,
      byte[] shortMessage,
      OptionalParameter[] tlvs,
      int attempt) {
    if (attempt >= config.maxDeliveryAttempts()) {
      log.warn(
          "SMSC simulator dropped a deliver_sm for {} after {} attempts",
          MsisdnMask.mask(to),
          attempt);
      return;
    }
    deliver(
        systemId,
        from,
        to,
        esmClass,
        dataCoding,
        shortMessage,
        tlvs,
        attempt + 1,
        config.redeliveryDelayMillis());
  }

  private BoundSession receiver(String systemId) {
    List<BoundSession> candidates = new ArrayList<>();
    for (BoundSession bound : sessions) {
      if (bound.bindType.isReceivable()
          && bound.session.getSessionState().isBound()
          && (systemId == null || bound.systemId.equals(systemId))) {
        candidates.add(bound);
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    return candidates.get(Math.floorMod(roundRobin.incrementAndGet(), candidates.size()));
  }

  // ---- receipts ----------------------------------------------------------------------------

  private void scheduleReceipt(ReceiptOrder order, long delayMillis, int attempt) {
    String id = formatId(order.number, config.receiptIdFormat(), config.receiptIdWidth());
    String now = LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).format(RECEIPT_DATE);
    String original = textOf(order.submit);
    String text =
        "id:"
            + id
            + " sub:001 dlvrd:"
            + ("DELIVRD".equals(reportStat) ? "001" : "000")
            + " submit date:"
            + now
            + " done date:"
            + now
            + " stat:"
            + reportStat
            + " err:"
            + reportErr
            + " text:"
            + original.substring(0, Math.min(20, original.length()));
    OptionalParameter[] tlvs =
        config.receiptTlvs()
            ? new OptionalParameter[] {
              new OptionalParameter.Receipted_message_id(order.messageId),
              new OptionalParameter.Message_state(messageState(reportStat))
            }
            : new OptionalParameter[0];
    deliver(
        order.systemId,
        order.submit.getDestAddress(),
        order.submit.getSourceAddr(),
        (byte) 0x04,
        (byte) 0x00,
        text.getBytes(StandardCharsets.ISO_8859_1),
        tlvs,
        attempt,
        delayMillis);
  }

  private static byte messageState(String stat) {
    return switch (stat) {
      case "DELIVRD" -> 2;
      case "EXPIRED" -> 3;
      case "DELETED" -> 4;
      case "UNDELIV" -> 5;
      case "ACCEPTD" -> 6;
      case "REJECTD" -> 8;
      default -> 7;
    };
  }

  private static String formatId(long number, MessageIdFormat format, int width) {
    String id = format == MessageIdFormat.HEX ? Long.toHexString(number) : Long.toString(number);
    if (id.length() < width) {
      id = "0".repeat(width - id.length()) + id;
    }
    return id;
  }

  // ---- submits -----------------------------------------------------------------------------

  private SubmitSmResult onSubmit(SubmitSm submit, SMPPServerSession session)
      throws ProcessRequestException {
    long delay = responseDelayMillis;
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int fault = nextFault();
    if (fault != 0) {
      negativeResponses.incrementAndGet();
      throw new ProcessRequestException("injected fault", fault);
    }
    long number = nextId.incrementAndGet();
    String messageId = formatId(number, config.responseIdFormat(), 0);
    String systemId = systemIdOf(session);
    collect(systemId, submit, messageId);
    submits.incrementAndGet();
    if ((submit.getRegisteredDelivery() & 0x03) != 0) {
      var order = new ReceiptOrder(systemId, submit, messageId, number);
      if (reportBeforeResponse) {
        sendReceiptNow(order);
      } else {
        awaitingResponseSent.put(messageId, order);
      }
    }
    try {
      return new SubmitSmResult(new MessageId(messageId), new OptionalParameter[0]);
    } catch (PDUStringException e) {
      throw new ProcessRequestException("bad message id", 0x08, e);
    }
  }

  /** Sends the receipt and waits for its deliver_sm_resp, so it surely precedes the response. */
  private void sendReceiptNow(ReceiptOrder order) {
    BoundSession target = receiver(order.systemId);
    if (target == null) {
      scheduleReceipt(order, 0, 1);
      return;
    }
    String id = formatId(order.number, config.receiptIdFormat(), config.receiptIdWidth());
    String text = "id:" + id + " sub:001 dlvrd:001 stat:" + reportStat + " err:" + reportErr;
    try {
      target.session.deliverShortMessage(
          "",
          TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN,
          order.submit.getDestAddress(),
          TypeOfNumber.UNKNOWN,
          NumberingPlanIndicator.UNKNOWN,
          order.submit.getSourceAddr(),
          new ESMClass(0x04),
          (byte) 0,
          (byte) 0,
          new RegisteredDelivery(0),
          DataCodings.ZERO,
          text.getBytes(StandardCharsets.ISO_8859_1));
      delivered.incrementAndGet();
    } catch (Exception e) {
      scheduleReceipt(order, config.redeliveryDelayMillis(), 2);
    }
  }

  private int nextFault() {
    if (throttleNext.get() > 0 && throttleNext.getAndDecrement() > 0) {
      return ESME_RTHROTTLED;
    }
    if (queueFullNext.get() > 0 && queueFullNext.getAndDecrement() > 0) {
      return ESME_RMSGQFUL;
    }
    if (rejectNext.get() > 0 && rejectNext.getAndDecrement() > 0) {
      return rejectStatus;
    }
    double ratio = throttleRatio;
    if (ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio) {
      return ESME_RTHROTTLED;
    }
    return 0;
  }

  private String systemIdOf(SMPPServerSession session) {
    for (BoundSession bound : sessions) {
      if (bound.session == session) {
        return bound.systemId;
      }
    }
    return "";
  }

  private static String textOf(SubmitSm submit) {
    byte[] body = body(submit);
    boolean udhi = (submit.getEsmClass() & 0x40) != 0;
    return SmsDecoder.decode(submit.getDataCoding(), SmsDecoder.splitHeader(body, udhi).body());
  }

  private static byte[] body(SubmitSm submit) {
    OptionalParameter payload = submit.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
    if (payload instanceof OptionalParameter.OctetString octets && octets.getValue() != null) {
      return octets.getValue();
    }
    return submit.getShortMessage() == null ? new byte[0] : submit.getShortMessage();
  }

  private void collect(String systemId, SubmitSm submit, String messageId) {
    byte[] body = body(submit);
    boolean udhi = (submit.getEsmClass() & 0x40) != 0;
    SmsDecoder.UserData userData = SmsDecoder.splitHeader(body, udhi);
    String text = SmsDecoder.decode(submit.getDataCoding(), userData.body());
    Optional<ConcatInfo> concat = userData.concat().or(() -> sar(submit));
    String to = submit.getDestAddress();
    if (concat.isEmpty()) {
      store(
          new ReceivedSms(
              systemId, submit.getSourceAddr(), to, text, List.of(messageId), clock.instant()));
      return;
    }
    ConcatInfo info = concat.get();
    var key = new PartKey(to, info.reference(), info.total());
    String whole = null;
    List<String> ids;
    synchronized (partsInProgress) {
      String[] parts = partsInProgress.computeIfAbsent(key, k -> new String[info.total()]);
      ids = partIds.computeIfAbsent(key, k -> new ArrayList<>());
      parts[info.sequence() - 1] = text;
      ids.add(messageId);
      boolean complete = true;
      for (String part : parts) {
        complete &= part != null;
      }
      if (complete) {
        whole = String.join("", parts);
        partsInProgress.remove(key);
        partIds.remove(key);
      }
    }
    if (whole != null) {
      store(new ReceivedSms(systemId, submit.getSourceAddr(), to, whole, ids, clock.instant()));
    }
  }

  private static Optional<ConcatInfo> sar(SubmitSm submit) {
    OptionalParameter ref = submit.getOptionalParameter(OptionalParameter.Tag.SAR_MSG_REF_NUM);
    OptionalParameter total = submit.getOptionalParameter(OptionalParameter.Tag.SAR_TOTAL_SEGMENTS);
    OptionalParameter seq = submit.getOptionalParameter(OptionalParameter.Tag.SAR_SEGMENT_SEQNUM);
    if (ref instanceof OptionalParameter.Short r
        && total instanceof OptionalParameter.Byte t
        && seq instanceof OptionalParameter.Byte s) {
      return Optional.of(
              new ConcatInfo(r.getValue() & 0xFFFF, t.getValue() & 0xFF, s.getValue() & 0xFF))
          .filter(ConcatInfo::isValid);
    }
    return Optional.empty();
  }

  private void store(ReceivedSms sms) {
    Deque<ReceivedSms> messages = inbox.computeIfAbsent(sms.to(), k -> new ArrayDeque<>());
    synchronized (messages) {
      messages.addLast(sms);
      while (messages.size() > config.inboxCapacityPerMsisdn()) {
        messages.removeFirst();
      }
    }
    for (Consumer<ReceivedSms> messageListener : listeners) {
      messageListener.accept(sms);
    }
  }

  private final class Handler implements ServerMessageReceiverListener {

    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
        throws ProcessRequestException {
      return onSubmit(submitSm, source);
    }

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("submit_multi not supported", ESME_RINVCMDID);
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("query_sm not supported", ESME_RINVCMDID);
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("replace_sm not supported", ESME_RINVCMDID);
    }

    @Override
    public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("cancel_sm not supported", ESME_RINVCMDID);
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("broadcast_sm not supported", ESME_RINVCMDID);
    }

    @Override
    public void onAcceptCancelBroadcastSm(
        CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("cancel_broadcast_sm not supported", ESME_RINVCMDID);
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(
        QueryBroadcastSm queryBroadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("query_broadcast_sm not supported", ESME_RINVCMDID);
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source)
        throws ProcessRequestException {
      throw new ProcessRequestException("data_sm not supported", ESME_RINVCMDID);
    }
  }

  private void joinAcceptor() {
    Thread thread = acceptor;
    if (thread != null) {
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops listening, drops every connection and ends its threads. */
  @Override
  public void close() throws IOException {
    closed = true;
    kill();
    deliveries.shutdownNow();
    binders.shutdownNow();
    try {
      deliveries.awaitTermination(5, TimeUnit.SECONDS);
      binders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
