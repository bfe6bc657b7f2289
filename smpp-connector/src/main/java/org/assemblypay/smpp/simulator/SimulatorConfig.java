package org.assemblypay.smpp.simulator;

import java.util.Map;
import java.util.Objects;
import org.assemblypay.smpp.MessageIdFormat;

/**
 * Settings of an {@link SmscSimulator}.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param accounts system_id → password of the accounts that may bind
 * @param responseIdFormat how message ids are written in submit_sm_resp (HEX or DECIMAL)
 * @param receiptIdFormat how they are written in the receipt text (HEX or DECIMAL)
 * @param receiptIdWidth zero-pad receipt ids to this width (0 = no padding)
 * @param receiptTlvs whether receipts also carry receipted_message_id and message_state
 * @param reportDelayMillis delay between submit_sm_resp and the delivery receipt
 * @param pduProcessorDegree jSMPP worker threads per session
 * @param queueCapacity jSMPP receive queue per session (when full jSMPP answers ESME_RTHROTTLED)
 * @param inboxCapacityPerMsisdn most messages kept per destination number (oldest dropped)
 * @param redeliveryDelayMillis delay before redelivering a deliver_sm the ESME refused
 * @param maxDeliveryAttempts attempts per deliver_sm (receipt or MO) before it is dropped
 * @param deliverWindow most deliver_sm awaiting their deliver_sm_resp at once per bound session
 */
public record SimulatorConfig(
    int port,
    Map<String, String> accounts,
    MessageIdFormat responseIdFormat,
    MessageIdFormat receiptIdFormat,
    int receiptIdWidth,
    boolean receiptTlvs,
    long reportDelayMillis,
    int pduProcessorDegree,
    int queueCapacity,
    int inboxCapacityPerMsisdn,
    long redeliveryDelayMillis,
    int maxDeliveryAttempts,
    int deliverWindow) {

  /** Checks the fields. */
  public SimulatorConfig {
    accounts = Map.copyOf(accounts);
    Objects.requireNonNull(responseIdFormat, "responseIdFormat");
    Objects.requireNonNull(receiptIdFormat, "receiptIdFormat");
    if (port < 0
        || port > 65535
        || receiptIdWidth < 0
        || reportDelayMillis < 0
        || pduProcessorDegree < 1
        || queueCapacity < 1
        || inboxCapacityPerMsisdn < 1
        || redeliveryDelayMillis < 0
        || maxDeliveryAttempts < 1
        || deliverWindow < 1
        || deliverWindow > 1_000) {
      throw new IllegalArgumentException("invalid simulator config");
    }
  }

  /**
   * An ephemeral port, one account, decimal ids, receipts after 10 ms, up to 32 deliver_sm
   * outstanding per session.
   */
  public static SimulatorConfig defaults(String systemId, String password) {
    return new SimulatorConfig(
        0,
        Map.of(systemId, password),
        MessageIdFormat.DECIMAL,
        MessageIdFormat.DECIMAL,
        0,
        false,
        10,
        4,
        2_000,
        100,
        200,
        10,
        32);
  }

  /** A copy on another port. */
  public SimulatorConfig withPort(int newPort) {
    return new SimulatorConfig(
        newPort,
        accounts,
        responseIdFormat,
        receiptIdFormat,
        receiptIdWidth,
        receiptTlvs,
        reportDelayMillis,
        pduProcessorDegree,
        queueCapacity,
        inboxCapacityPerMsisdn,
        redeliveryDelayMillis,
        maxDeliveryAttempts,
        deliverWindow);
  }

  /** A copy with other id formats, e.g. hex in the response and zero-padded decimal in receipts. */
  public SimulatorConfig withIdFormats(
      MessageIdFormat response, MessageIdFormat receipt, int receiptWidth, boolean tlvs) {
    return new SimulatorConfig(
        port,
        accounts,
        response,
        receipt,
        receiptWidth,
        tlvs,
        reportDelayMillis,
        pduProcessorDegree,
        queueCapacity,
        inboxCapacityPerMsisdn,
        redeliveryDelayMillis,
        maxDeliveryAttempts,
        deliverWindow);
  }

  /** A copy with other capacities and threads, for benchmarks and big tests. */
  public SimulatorConfig withCapacity(int processorDegree, int queue, int inboxPerMsisdn) {
    return new SimulatorConfig(
        port,
        accounts,
        responseIdFormat,
        receiptIdFormat,
        receiptIdWidth,
        receiptTlvs,
        reportDelayMillis,
        processorDegree,
        queue,
        inboxPerMsisdn,
        redeliveryDelayMillis,
        maxDeliveryAttempts,
        deliverWindow);
  }

  /** A copy with other delays. */
  public SimulatorConfig withDelays(long reportMillis, long redeliveryMillis) {
    return new SimulatorConfig(
        port,
        accounts,
        responseIdFormat,
        receiptIdFormat,
        receiptIdWidth,
        receiptTlvs,
        reportMillis,
        pduProcessorDegree,
        queueCapacity,
        inboxCapacityPerMsisdn,
        redeliveryMillis,
        maxDeliveryAttempts,
        deliverWindow);
  }

  /** A copy with another deliver_sm window per session (1 = one at a time, as before). */
  public SimulatorConfig withDeliverWindow(int window) {
    return new SimulatorConfig(
        port,
        accounts,
        responseIdFormat,
        receiptIdFormat,
        receiptIdWidth,
        receiptTlvs,
        reportDelayMillis,
        pduProcessorDegree,
        queueCapacity,
        inboxCapacityPerMsisdn,
        redeliveryDelayMillis,
        maxDeliveryAttempts,
        window);
  }
}
