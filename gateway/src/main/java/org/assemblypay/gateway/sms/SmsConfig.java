package org.assemblypay.gateway.sms;

import java.util.List;
import org.assemblypay.gateway.config.Required;
import org.assemblypay.gateway.config.Secret;
import org.assemblypay.smpp.BindMode;
import org.assemblypay.smpp.ConcatenationMode;
import org.assemblypay.smpp.DispatcherSettings;
import org.assemblypay.smpp.MessageIdFormat;
import org.assemblypay.smpp.ResponseTimeoutPolicy;
import org.assemblypay.smpp.SmscConnectionConfig;

/**
 * The {@code smsc} section of the gateway configuration: SMSC connections, routes, inbound numbers
 * and the limits of the outbox adapter. Zero or null means "the default" everywhere, as in {@code
 * GatewayConfig}.
 *
 * @param connections the SMSC accounts; none means SMS is off on this node
 * @param routes routing rules, most specific first; none sends everything to the first connection
 *     that is up
 * @param inboundNumbers numbers or short codes that belong to one assembly (MO routing)
 * @param servedAssemblies assembly codes this node sends and receives for; empty means every
 *     assembly in the registry
 * @param claimPerAssemblyMax most outbox rows claimed from one assembly per claim (fairness)
 * @param assemblyRefreshMillis how long the list of assemblies is cached
 * @param messageIdCacheSize most message id → assembly entries kept to route delivery reports
 *     without searching every assembly
 * @param handlerThreads threads that run collectors' commands (off the SMPP threads)
 * @param handlerQueueBound inbound commands waiting for a handler thread; when full the SMPP thread
 *     runs the command itself (back-pressure on the SMSC)
 * @param notifyChannel the PostgreSQL channel the ledger notifies on when outbox rows are added
 * @param dispatcher outbound limits and policies
 * @param recovery re-sends after an unknown outcome and re-handling of unhandled inbound SMS
 */
public record SmsConfig(
    List<Connection> connections,
    List<RouteRule> routes,
    List<InboundNumber> inboundNumbers,
    List<String> servedAssemblies,
    int claimPerAssemblyMax,
    long assemblyRefreshMillis,
    int messageIdCacheSize,
    int handlerThreads,
    int handlerQueueBound,
    String notifyChannel,
    Dispatcher dispatcher,
    Recovery recovery) {

  /** Applies the defaults. */
  public SmsConfig {
    connections = connections == null ? List.of() : List.copyOf(connections);
    routes = routes == null ? List.of() : List.copyOf(routes);
    inboundNumbers = inboundNumbers == null ? List.of() : List.copyOf(inboundNumbers);
    servedAssemblies = servedAssemblies == null ? List.of() : List.copyOf(servedAssemblies);
    claimPerAssemblyMax = claimPerAssemblyMax == 0 ? 100 : claimPerAssemblyMax;
    assemblyRefreshMillis = assemblyRefreshMillis == 0 ? 30_000 : assemblyRefreshMillis;
    messageIdCacheSize = messageIdCacheSize == 0 ? 200_000 : messageIdCacheSize;
    handlerThreads = handlerThreads == 0 ? 4 : handlerThreads;
    handlerQueueBound = handlerQueueBound == 0 ? 1_000 : handlerQueueBound;
    notifyChannel = notifyChannel == null ? "sms_outbox" : notifyChannel;
    dispatcher = dispatcher == null ? Dispatcher.defaults() : dispatcher;
    recovery = recovery == null ? Recovery.defaults() : recovery;
    if (claimPerAssemblyMax < 1
        || claimPerAssemblyMax > 1000
        || assemblyRefreshMillis < 1
        || messageIdCacheSize < 1
        || handlerThreads < 1
        || handlerQueueBound < 1
        || !notifyChannel.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("invalid smsc settings");
    }
  }

  /** No connections: SMS off. */
  public static SmsConfig defaults() {
    return new SmsConfig(null, null, null, null, 0, 0, 0, 0, 0, null, null, null);
  }

  /** A copy with other connections (the demo points one at its simulator). */
  public SmsConfig withConnections(List<Connection> newConnections) {
    return new SmsConfig(
        newConnections,
        routes,
        inboundNumbers,
        servedAssemblies,
        claimPerAssemblyMax,
        assemblyRefreshMillis,
        messageIdCacheSize,
        handlerThreads,
        handlerQueueBound,
        notifyChannel,
        dispatcher,
        recovery);
  }

  /** A copy with other inbound numbers. */
  public SmsConfig withInboundNumbers(List<InboundNumber> numbers) {
    return new SmsConfig(
        connections,
        routes,
        numbers,
        servedAssemblies,
        claimPerAssemblyMax,
        assemblyRefreshMillis,
        messageIdCacheSize,
        handlerThreads,
        handlerQueueBound,
        notifyChannel,
        dispatcher,
        recovery);
  }

  /** A copy serving only these assemblies. */
  public SmsConfig withServedAssemblies(List<String> codes) {
    return new SmsConfig(
        connections,
        routes,
        inboundNumbers,
        codes,
        claimPerAssemblyMax,
        assemblyRefreshMillis,
        messageIdCacheSize,
        handlerThreads,
        handlerQueueBound,
        notifyChannel,
        dispatcher,
        recovery);
  }

  /** A copy listening on another notification channel. */
  public SmsConfig withNotifyChannel(String channel) {
    return new SmsConfig(
        connections,
        routes,
        inboundNumbers,
        servedAssemblies,
        claimPerAssemblyMax,
        assemblyRefreshMillis,
        messageIdCacheSize,
        handlerThreads,
        handlerQueueBound,
        channel,
        dispatcher,
        recovery);
  }

  /** A copy with other dispatcher settings. */
  public SmsConfig withDispatcher(Dispatcher settings) {
    return new SmsConfig(
        connections,
        routes,
        inboundNumbers,
        servedAssemblies,
        claimPerAssemblyMax,
        assemblyRefreshMillis,
        messageIdCacheSize,
        handlerThreads,
        handlerQueueBound,
        notifyChannel,
        settings,
        recovery);
  }

  /** A copy with other recovery settings. */
  public SmsConfig withRecovery(Recovery settings) {
    return new SmsConfig(
        connections,
        routes,
        inboundNumbers,
        servedAssemblies,
        claimPerAssemblyMax,
        assemblyRefreshMillis,
        messageIdCacheSize,
        handlerThreads,
        handlerQueueBound,
        notifyChannel,
        dispatcher,
        settings);
  }

  /**
   * What happens to SMS whose fate is open; zero means the default (D111, D113).
   *
   * @param unknownQuietSeconds how long an UNKNOWN message waits for a late delivery report before
   *     it may be re-sent (default 900)
   * @param unknownMaxResends re-sends of an UNKNOWN message with the same content (default 1;
   *     negative: never re-send, the row stays UNKNOWN for an operator)
   * @param inboundLeaseSeconds how long a stored inbound SMS is left to its first handler before
   *     another node may handle it (default 120)
   * @param inboundMaxHandlings handlings of one inbound SMS at most (default 5)
   * @param sweepIntervalMillis how often this node looks for both (default 10,000)
   * @param parkedSweepMillis how often this node tries the parked delivery reports that are due
   *     (D212; default 1,000)
   * @param parkedMaxAgeHours how long a parked delivery report is tried before it is given up
   *     (default 72: an SMSC's longest validity period)
   */
  public record Recovery(
      int unknownQuietSeconds,
      int unknownMaxResends,
      int inboundLeaseSeconds,
      int inboundMaxHandlings,
      long sweepIntervalMillis,
      long parkedSweepMillis,
      int parkedMaxAgeHours) {

    /** Applies the defaults and checks the bounds. */
    public Recovery {
      unknownQuietSeconds = unknownQuietSeconds == 0 ? 900 : unknownQuietSeconds;
      unknownMaxResends = unknownMaxResends == 0 ? 1 : Math.max(0, unknownMaxResends);
      inboundLeaseSeconds = inboundLeaseSeconds == 0 ? 120 : inboundLeaseSeconds;
      inboundMaxHandlings = inboundMaxHandlings == 0 ? 5 : inboundMaxHandlings;
      sweepIntervalMillis = sweepIntervalMillis == 0 ? 10_000 : sweepIntervalMillis;
      parkedSweepMillis = parkedSweepMillis == 0 ? 1_000 : parkedSweepMillis;
      parkedMaxAgeHours = parkedMaxAgeHours == 0 ? 72 : parkedMaxAgeHours;
      if (unknownQuietSeconds < 1
          || unknownMaxResends > 10
          || inboundLeaseSeconds < 1
          || inboundMaxHandlings < 1
          || inboundMaxHandlings > 100
          || sweepIntervalMillis < 10
          || parkedSweepMillis < 10
          || parkedMaxAgeHours < 1) {
        throw new IllegalArgumentException("invalid smsc.recovery settings");
      }
    }

    /** No overrides. */
    public static Recovery defaults() {
      return new Recovery(0, 0, 0, 0, 0, 0, 0);
    }
  }

  /**
   * One SMSC account. The sender id of each assembly comes from the registry ({@code
   * sms_sender_id}); {@code defaultSenderId} is used when an assembly has none.
   *
   * <p>{@code smsc} is the SMSC identity (D230): the namespace this connection's message ids live
   * in. Every connection to the same SMSC account shares it (a delivery report may come in on any
   * of them); SMSCs whose ids may collide must differ. Null: {@code systemId@host:port},
   * lower-cased, which already makes a transmitter and a receiver of one account share it; set it
   * when binds of one account go to different addresses. At most 100 characters, not blank.
   */
  public record Connection(
      @Required String name,
      @Required String host,
      int port,
      @Required String systemId,
      @Secret String password,
      String systemType,
      BindMode bindMode,
      int windowSize,
      int messagesPerSecond,
      long enquireLinkIntervalMillis,
      long responseTimeoutMillis,
      long bindTimeoutMillis,
      long reconnectMinMillis,
      long reconnectMaxMillis,
      String defaultSenderId,
      ConcatenationMode concatenation,
      MessageIdFormat submitRespIdFormat,
      MessageIdFormat receiptIdFormat,
      String smsc) {

    /** Applies the defaults (those of {@code SmscConnectionConfig.builder}) and checks smsc. */
    public Connection {
      port = port == 0 ? 2775 : port;
      password = password == null ? "" : password;
      systemType = systemType == null ? "" : systemType;
      bindMode = bindMode == null ? BindMode.TRANSCEIVER : bindMode;
      windowSize = windowSize == 0 ? 10 : windowSize;
      // 0 means the default of 50/s; -1 means no limit (the connector's 0).
      messagesPerSecond = messagesPerSecond == 0 ? 50 : messagesPerSecond;
      enquireLinkIntervalMillis =
          enquireLinkIntervalMillis == 0 ? 30_000 : enquireLinkIntervalMillis;
      responseTimeoutMillis = responseTimeoutMillis == 0 ? 10_000 : responseTimeoutMillis;
      bindTimeoutMillis = bindTimeoutMillis == 0 ? 10_000 : bindTimeoutMillis;
      reconnectMinMillis = reconnectMinMillis == 0 ? 5_000 : reconnectMinMillis;
      reconnectMaxMillis = reconnectMaxMillis == 0 ? 120_000 : reconnectMaxMillis;
      defaultSenderId = defaultSenderId == null ? "ASSEMBLY" : defaultSenderId;
      concatenation = concatenation == null ? ConcatenationMode.UDH8 : concatenation;
      submitRespIdFormat = submitRespIdFormat == null ? MessageIdFormat.AUTO : submitRespIdFormat;
      receiptIdFormat = receiptIdFormat == null ? MessageIdFormat.AUTO : receiptIdFormat;
      if (smsc != null
          && (smsc.isBlank() || smsc.length() > SmscConnectionConfig.MAX_SMSC_LENGTH)) {
        throw new IllegalArgumentException(
            "smsc.connections[].smsc must be 1.."
                + SmscConnectionConfig.MAX_SMSC_LENGTH
                + " characters, not blank");
      }
    }

    /** The SMSC identity this connection's ids are recorded under: {@code smsc}, or the default. */
    public String smscIdentity() {
      return smsc != null ? smsc : SmscConnectionConfig.defaultSmsc(systemId, host, port);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
      return "Connection[name="
          + name
          + ", host="
          + host
          + ", port="
          + port
          + ", smsc="
          + smscIdentity()
          + "]";
    }
  }

  /**
   * A routing rule: messages of {@code assembly} ({@code "*"} for any) to numbers starting with
   * {@code prefix} go to the first of {@code connections} that is up.
   */
  public record RouteRule(String assembly, String prefix, List<String> connections) {
    /** Applies the defaults. */
    public RouteRule {
      assembly = assembly == null ? "*" : assembly;
      prefix = prefix == null ? "" : prefix;
      connections = connections == null ? List.of() : List.copyOf(connections);
    }
  }

  /** A number or short code that collectors and traders text, and the assembly it belongs to. */
  public record InboundNumber(@Required String number, @Required String assembly) {}

  /** Outbound limits and policies (see {@code DispatcherSettings}); zero means the default. */
  public record Dispatcher(
      int claimBatchSize,
      int maxQueuedPerBind,
      long pollIntervalMillis,
      int maxAttempts,
      long retryDelayMillis,
      long noBindRetryDelayMillis,
      long failoverAfterMillis,
      ResponseTimeoutPolicy timeoutPolicy,
      long throttlePauseMinMillis,
      long throttlePauseMaxMillis,
      int maxParts) {

    /** No overrides. */
    public static Dispatcher defaults() {
      return new Dispatcher(0, 0, 0, 0, 0, 0, 0, null, 0, 0, 0);
    }

    /** The connector's settings with every non-zero value here applied. */
    DispatcherSettings toSettings() {
      DispatcherSettings d = DispatcherSettings.defaults();
      return new DispatcherSettings(
          claimBatchSize == 0 ? d.claimBatchSize() : claimBatchSize,
          maxQueuedPerBind == 0 ? d.maxQueuedPerBind() : maxQueuedPerBind,
          pollIntervalMillis == 0 ? d.pollIntervalMillis() : pollIntervalMillis,
          maxAttempts == 0 ? d.maxAttempts() : maxAttempts,
          retryDelayMillis == 0 ? d.retryDelayMillis() : retryDelayMillis,
          noBindRetryDelayMillis == 0 ? d.noBindRetryDelayMillis() : noBindRetryDelayMillis,
          failoverAfterMillis == 0 ? d.failoverAfterMillis() : failoverAfterMillis,
          timeoutPolicy == null ? d.timeoutPolicy() : timeoutPolicy,
          throttlePauseMinMillis == 0 ? d.throttlePauseMinMillis() : throttlePauseMinMillis,
          throttlePauseMaxMillis == 0 ? d.throttlePauseMaxMillis() : throttlePauseMaxMillis,
          d.responseActions(),
          maxParts == 0 ? d.maxParts() : maxParts);
    }
  }
}
