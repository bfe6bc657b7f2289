package org.assemblypay.smpp;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One configured SMSC connection (an SMSC account and how to use it).
 *
 * @param name unique name used in routes, metrics and logs
 * @param host SMSC host name or address
 * @param port SMSC TCP port
 * @param systemId the account's system_id
 * @param password the account's password; never logged
 * @param systemType the system_type sent in the bind, often empty
 * @param bindMode one transceiver, or a transmitter plus a receiver
 * @param windowSize most submit_sm awaiting a response at once
 * @param messagesPerSecond most submit_sm sent per second (token bucket); 0 means no limit
 * @param enquireLinkIntervalMillis idle time after which an enquire_link is sent
 * @param responseTimeoutMillis how long to wait for any response, submit_sm_resp included
 * @param bindTimeoutMillis how long to wait for a bind_resp
 * @param reconnectMinMillis first reconnect delay; keep it longer than the SMSC's own bind timeout
 *     so a rebind is not refused as already bound (ESME_RALYBND)
 * @param reconnectMaxMillis ceiling of the exponential reconnect back-off (jitter is added)
 * @param gsmDataCoding data_coding for GSM-7 text, sent unpacked: 0x00 (SMSC default alphabet, as
 *     most SMSCs expect) or 0xF0–0xF3 (GSM 7-bit with a message class)
 * @param sourceTon source_addr_ton (5 for an alphanumeric sender id)
 * @param sourceNpi source_addr_npi
 * @param destTon dest_addr_ton (1 international)
 * @param destNpi dest_addr_npi (1 ISDN)
 * @param defaultSenderId sender id when the assembly has none of its own
 * @param senderIdByAssembly sender id per assembly id
 * @param concatenation how long messages are split
 * @param submitRespIdFormat how this SMSC writes ids in submit_sm_resp and receipted_message_id
 * @param receiptIdFormat how this SMSC writes the id in the delivery receipt text
 * @param requestDeliveryReports whether registered_delivery asks for a final receipt
 * @param receiverThreads jSMPP PDU processor threads per session: how many incoming PDUs
 *     (deliver_sm, responses) are handled at once; set it to at least the SMSC's deliver_sm window
 * @param receiveQueueCapacity jSMPP receive queue per session (raised to {@code 4 × windowSize}
 *     when smaller)
 * @param smsc the SMSC identity: names the namespace this connection's message ids live in, shared
 *     by every bind to the same SMSC account (a delivery report may come in on any of them), and
 *     different for SMSCs whose ids may collide; a delivery report matches only message ids
 *     submitted under the same identity (D230). Null means the default {@link #defaultSmsc}
 */
public record SmscConnectionConfig(
    String name,
    String host,
    int port,
    String systemId,
    String password,
    String systemType,
    BindMode bindMode,
    int windowSize,
    int messagesPerSecond,
    long enquireLinkIntervalMillis,
    long responseTimeoutMillis,
    long bindTimeoutMillis,
    long reconnectMinMillis,
    long reconnectMaxMillis,
    byte gsmDataCoding,
    byte sourceTon,
    byte sourceNpi,
    byte destTon,
    byte destNpi,
    String defaultSenderId,
    Map<String, String> senderIdByAssembly,
    ConcatenationMode concatenation,
    MessageIdFormat submitRespIdFormat,
    MessageIdFormat receiptIdFormat,
    boolean requestDeliveryReports,
    int receiverThreads,
    int receiveQueueCapacity,
    String smsc) {

  /** Longest SMSC identity: the width of the {@code smsc} columns that store it. */
  public static final int MAX_SMSC_LENGTH = 100;

  /** Checks every bound; fills in the default SMSC identity. */
  public SmscConnectionConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(systemId, "systemId");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(systemType, "systemType");
    Objects.requireNonNull(bindMode, "bindMode");
    Objects.requireNonNull(defaultSenderId, "defaultSenderId");
    Objects.requireNonNull(concatenation, "concatenation");
    Objects.requireNonNull(submitRespIdFormat, "submitRespIdFormat");
    Objects.requireNonNull(receiptIdFormat, "receiptIdFormat");
    senderIdByAssembly = Map.copyOf(senderIdByAssembly);
    smsc = smsc == null ? defaultSmsc(systemId, host, port) : smsc;
    require(!smsc.isBlank(), "smsc must not be blank");
    require(
        smsc.length() <= MAX_SMSC_LENGTH,
        "smsc must be at most " + MAX_SMSC_LENGTH + " characters (set it explicitly)");
    require(port > 0 && port < 65536, "port must be 1..65535");
    require(windowSize >= 1 && windowSize <= 1000, "windowSize must be 1..1000");
    require(receiverThreads >= 1 && receiverThreads <= 256, "receiverThreads must be 1..256");
    require(receiveQueueCapacity >= 1, "receiveQueueCapacity must be >= 1");
    require(messagesPerSecond >= 0, "messagesPerSecond must be >= 0");
    require(enquireLinkIntervalMillis >= 1000, "enquireLinkIntervalMillis must be >= 1000");
    require(responseTimeoutMillis >= 100, "responseTimeoutMillis must be >= 100");
    require(bindTimeoutMillis >= 100, "bindTimeoutMillis must be >= 100");
    require(reconnectMinMillis >= 1, "reconnectMinMillis must be >= 1");
    require(reconnectMaxMillis >= reconnectMinMillis, "reconnectMaxMillis must be >= min");
    require(
        gsmDataCoding == 0 || (gsmDataCoding & 0xF4) == 0xF0,
        "gsmDataCoding must be 0x00 or 0xF0..0xF3 (the encoder writes GSM 03.38 septets)");
  }

  /**
   * The SMSC identity of a connection that names none: {@code systemId@host:port}, lower-cased, so
   * a transmitter and a receiver (or two binds) of one account on one SMSC address share it.
   */
  public static String defaultSmsc(String systemId, String host, int port) {
    return (systemId + "@" + host + ":" + port).toLowerCase(Locale.ROOT);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The sender id for messages of this assembly. */
  public String senderIdFor(String assemblyId) {
    return senderIdByAssembly.getOrDefault(assemblyId, defaultSenderId);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "SmscConnectionConfig[name="
        + name
        + ", host="
        + host
        + ", port="
        + port
        + ", systemId="
        + systemId
        + ", smsc="
        + smsc
        + ", bindMode="
        + bindMode
        + ", windowSize="
        + windowSize
        + ", messagesPerSecond="
        + messagesPerSecond
        + ", concatenation="
        + concatenation
        + "]";
  }

  /** Starts a builder with production-minded defaults for the remaining fields. */
  public static Builder builder(
      String name, String host, int port, String systemId, String password) {
    return new Builder(name, host, port, systemId, password);
  }

  /** Builds a {@link SmscConnectionConfig}; defaults are listed on each setter's field. */
  public static final class Builder {
    private final String name;
    private final String host;
    private final int port;
    private final String systemId;
    private final String password;
    private String systemType = "";
    private BindMode bindMode = BindMode.TRANSCEIVER;
    private int windowSize = 10;
    private int messagesPerSecond = 50;
    private long enquireLinkIntervalMillis = 30_000;
    private long responseTimeoutMillis = 10_000;
    private long bindTimeoutMillis = 10_000;
    private long reconnectMinMillis = 5_000;
    private long reconnectMaxMillis = 120_000;
    private byte gsmDataCoding = 0;
    private byte sourceTon = 5;
    private byte sourceNpi = 0;
    private byte destTon = 1;
    private byte destNpi = 1;
    private String defaultSenderId = "ASSEMBLY";
    private Map<String, String> senderIdByAssembly = Map.of();
    private ConcatenationMode concatenation = ConcatenationMode.UDH8;
    private MessageIdFormat submitRespIdFormat = MessageIdFormat.AUTO;
    private MessageIdFormat receiptIdFormat = MessageIdFormat.AUTO;
    private boolean requestDeliveryReports = true;
    private int receiverThreads = 32;
    private int receiveQueueCapacity = 1_000;
    private String smsc;

    private Builder(String name, String host, int port, String systemId, String password) {
      this.name = name;
      this.host = host;
      this.port = port;
      this.systemId = systemId;
      this.password = password;
    }

    /** Default empty. */
    public Builder systemType(String value) {
      this.systemType = value;
      return this;
    }

    /** Default transceiver. */
    public Builder bindMode(BindMode value) {
      this.bindMode = value;
      return this;
    }

    /** Default 10. */
    public Builder windowSize(int value) {
      this.windowSize = value;
      return this;
    }

    /** Default 50; 0 = unlimited. */
    public Builder messagesPerSecond(int value) {
      this.messagesPerSecond = value;
      return this;
    }

    /** Default 30 s. */
    public Builder enquireLinkIntervalMillis(long value) {
      this.enquireLinkIntervalMillis = value;
      return this;
    }

    /** Default 10 s (jSMPP's own 2 s is too short on real links). */
    public Builder responseTimeoutMillis(long value) {
      this.responseTimeoutMillis = value;
      return this;
    }

    /** Default 10 s. */
    public Builder bindTimeoutMillis(long value) {
      this.bindTimeoutMillis = value;
      return this;
    }

    /** Default 5 s to 120 s. */
    public Builder reconnectBackoffMillis(long min, long max) {
      this.reconnectMinMillis = min;
      this.reconnectMaxMillis = max;
      return this;
    }

    /** Default 0. */
    public Builder gsmDataCoding(byte value) {
      this.gsmDataCoding = value;
      return this;
    }

    /** Default 5/0 (alphanumeric). */
    public Builder source(byte ton, byte npi) {
      this.sourceTon = ton;
      this.sourceNpi = npi;
      return this;
    }

    /** Default 1/1 (international, ISDN). */
    public Builder destination(byte ton, byte npi) {
      this.destTon = ton;
      this.destNpi = npi;
      return this;
    }

    /** Default "ASSEMBLY". */
    public Builder defaultSenderId(String value) {
      this.defaultSenderId = value;
      return this;
    }

    /** Default none. */
    public Builder senderIdByAssembly(Map<String, String> value) {
      this.senderIdByAssembly = value;
      return this;
    }

    /** Default UDH8. */
    public Builder concatenation(ConcatenationMode value) {
      this.concatenation = value;
      return this;
    }

    /** Default AUTO/AUTO. */
    public Builder messageIdFormats(MessageIdFormat submitResp, MessageIdFormat receipt) {
      this.submitRespIdFormat = submitResp;
      this.receiptIdFormat = receipt;
      return this;
    }

    /** Default true. */
    public Builder requestDeliveryReports(boolean value) {
      this.requestDeliveryReports = value;
      return this;
    }

    /**
     * jSMPP PDU processor threads and receive queue per session; default 32 threads (a window of 32
     * deliver_sm handled at once, each waiting for its commit) and 1,000 queued PDUs.
     */
    public Builder receiver(int threads, int queueCapacity) {
      this.receiverThreads = threads;
      this.receiveQueueCapacity = queueCapacity;
      return this;
    }

    /** Default {@code systemId@host:port}, lower-cased (see {@link #defaultSmsc}). */
    public Builder smsc(String value) {
      this.smsc = value;
      return this;
    }

    /** Builds and validates. */
    public SmscConnectionConfig build() {
      return new SmscConnectionConfig(
          name,
          host,
          port,
          systemId,
          password,
          systemType,
          bindMode,
          windowSize,
          messagesPerSecond,
          enquireLinkIntervalMillis,
          responseTimeoutMillis,
          bindTimeoutMillis,
          reconnectMinMillis,
          reconnectMaxMillis,
          gsmDataCoding,
          sourceTon,
          sourceNpi,
          destTon,
          destNpi,
          defaultSenderId,
          senderIdByAssembly,
          concatenation,
          submitRespIdFormat,
          receiptIdFormat,
          requestDeliveryReports,
          receiverThreads,
          receiveQueueCapacity,
          smsc);
    }
  }
}
