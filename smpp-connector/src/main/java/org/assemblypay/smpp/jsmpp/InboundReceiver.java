package org.assemblypay.smpp.jsmpp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.assemblypay.smpp.DeliveryReport;
import org.assemblypay.smpp.DeliveryReportSink;
import org.assemblypay.smpp.DeliveryState;
import org.assemblypay.smpp.InboundMessage;
import org.assemblypay.smpp.InboundSettings;
import org.assemblypay.smpp.InboundSink;
import org.assemblypay.smpp.MsisdnMask;
import org.assemblypay.smpp.SmscConnectionConfig;
import org.assemblypay.smpp.encoding.ConcatInfo;
import org.assemblypay.smpp.encoding.SmsDecoder;
import org.assemblypay.smpp.receipt.DeliveryReceiptParser;
import org.assemblypay.smpp.receipt.MessageIds;
import org.assemblypay.smpp.receipt.ParsedReceipt;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles every deliver_sm: a delivery receipt goes to the report sink (which applies it, or stores
 * it durably until its submission is recorded); a mobile-originated message is reassembled, checked
 * for duplicates and persisted through the inbound sink, all before jSMPP sends deliver_sm_resp. A
 * sink failure becomes an error response (ESME_RX_T_APPN) so the SMSC delivers again.
 */
final class InboundReceiver {

  private static final Logger log = LoggerFactory.getLogger(InboundReceiver.class);
  static final int ESME_RX_T_APPN = 0x64;
  private static final int LOCK_STRIPES = 64;

  private record PartsKey(String source, String destination, int reference, int total) {}

  /** The parts of one message received so far. */
  private static final class Parts {
    final String[] texts;
    int received;

    Parts(int total) {
      this.texts = new String[total];
    }
  }

  private final DeliveryReportSink reportSink;
  private final InboundSink inboundSink;
  private final ConnectorMetrics metrics;
  private final ExpiringMap<PartsKey, Parts> reassembly;
  private final ExpiringMap<String, Boolean> recentlyStored;
  private final Object[] locks = new Object[LOCK_STRIPES];
  private final Clock clock = Clock.systemUTC();

  InboundReceiver(
      DeliveryReportSink reportSink,
      InboundSink inboundSink,
      InboundSettings settings,
      ConnectorMetrics metrics) {
    this.reportSink = reportSink;
    this.inboundSink = inboundSink;
    this.metrics = metrics;
    this.reassembly =
        new ExpiringMap<>(settings.maxPendingReassemblies(), settings.reassemblyTimeoutMillis());
    this.recentlyStored =
        new ExpiringMap<>(settings.duplicateCapacity(), settings.duplicateWindowMillis());
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
    metrics.gauge("smpp.inbound.reassembly.pending", reassembly::size);
  }

  void expire() {
    reassembly.expire();
    recentlyStored.expire();
  }

  void onDeliverSm(SmscConnectionConfig connection, DeliverSm deliverSm)
      throws ProcessRequestException {
    if (isReceipt(deliverSm)) {
      onReceipt(connection, deliverSm);
    } else {
      onMobileOriginated(connection, deliverSm);
    }
  }

  private static boolean isReceipt(DeliverSm deliverSm) {
    int messageType = deliverSm.getEsmClass() & 0x3C;
    if (messageType == 0x04 || messageType == 0x20) {
      return true;
    }
    return deliverSm.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID) != null
        && deliverSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE) != null;
  }

  private void onReceipt(SmscConnectionConfig connection, DeliverSm deliverSm)
      throws ProcessRequestException {
    byte[] body = deliverSm.getShortMessage() == null ? new byte[0] : deliverSm.getShortMessage();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    Optional<ParsedReceipt> parsed = DeliveryReceiptParser.parse(text);
    Optional<String> tlvId =
        stringTlv(deliverSm, OptionalParameter.Tag.RECEIPTED_MESSAGE_ID)
            .map(id -> MessageIds.normalize(id, connection.submitRespIdFormat()));
    Optional<String> textId =
        parsed
            .flatMap(ParsedReceipt::id)
            .map(id -> MessageIds.normalize(id, connection.receiptIdFormat()));
    // An id no submit could have had is dropped here: stored nowhere, it could never match, and
    // refusing it would only make the SMSC redeliver it for ever.
    Optional<String> id =
        tlvId
            .or(() -> textId)
            .filter(s -> !s.isEmpty() && s.length() <= MessageIds.MAX_STORED_LENGTH);
    if (id.isEmpty()) {
      metrics.reportsUnparsable.increment();
      log.warn(
          "Delivery receipt on {} without a usable message id; acknowledged and dropped",
          connection.name());
      return;
    }
    Optional<Integer> tlvState = byteTlv(deliverSm, OptionalParameter.Tag.MESSAGE_STATE);
    DeliveryState state =
        tlvState
            .map(DeliveryReceiptParser::fromMessageState)
            .filter(s -> s != DeliveryState.UNKNOWN)
            .orElseGet(() -> parsed.map(ParsedReceipt::state).orElse(DeliveryState.UNKNOWN));
    String rawState =
        parsed.flatMap(ParsedReceipt::stat).or(() -> tlvState.map(String::valueOf)).orElse("");
    String error =
        networkError(deliverSm).or(() -> parsed.flatMap(ParsedReceipt::error)).orElse("");
    var report =
        new DeliveryReport(
            id.get(),
            state,
            rawState,
            error,
            connection.name(),
            connection.smsc(),
            clock.instant(),
            deliverSm.getSourceAddr(),
            parsed.flatMap(ParsedReceipt::text).orElse(""));
    boolean matched;
    try {
      matched = reportSink.onReport(report);
    } catch (RuntimeException e) {
      log.warn("Delivery report sink failed; asking the SMSC to redeliver: {}", e.toString());
      throw new ProcessRequestException("delivery report not stored", ESME_RX_T_APPN, e);
    }
    if (matched) {
      metrics.reportsMatched.increment();
    } else {
      // Stored by the sink, which applies it once its submission is recorded (D210).
      metrics.reportsParked.increment();
    }
  }

  private void onMobileOriginated(SmscConnectionConfig connection, DeliverSm deliverSm)
      throws ProcessRequestException {
    byte[] payload =
        bytesTlv(deliverSm, OptionalParameter.Tag.MESSAGE_PAYLOAD)
            .orElse(
                deliverSm.getShortMessage() == null ? new byte[0] : deliverSm.getShortMessage());
    SmsDecoder.UserData userData =
        SmsDecoder.splitHeader(payload, (deliverSm.getEsmClass() & 0x40) != 0);
    String text = SmsDecoder.decode(deliverSm.getDataCoding(), userData.body());
    Optional<ConcatInfo> concat = userData.concat().or(() -> sar(deliverSm));
    String source = deliverSm.getSourceAddr();
    String destination = deliverSm.getDestAddress();
    if (concat.isEmpty()) {
      Optional<String> smscId = stringTlv(deliverSm, OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
      persistOnce(connection, source, destination, text, smscId, 1);
      return;
    }
    ConcatInfo info = concat.get();
    var key = new PartsKey(source, destination, info.reference(), info.total());
    String whole;
    synchronized (reassembly) {
      Parts parts = reassembly.computeIfAbsent(key, k -> new Parts(info.total()));
      if (parts.texts[info.sequence() - 1] == null) {
        parts.texts[info.sequence() - 1] = text;
        parts.received++;
      }
      if (parts.received < info.total()) {
        metrics.inboundPartsBuffered.increment();
        return;
      }
      whole = String.join("", parts.texts);
    }
    persistOnce(connection, source, destination, whole, Optional.empty(), info.total());
    reassembly.remove(key);
  }

  private void persistOnce(
      SmscConnectionConfig connection,
      String source,
      String destination,
      String text,
      Optional<String> smscId,
      int parts)
      throws ProcessRequestException {
    String key =
        smscId
            .map(id -> "id:" + connection.name() + ":" + id)
            .orElseGet(() -> "text:" + source + "\u0000" + destination + "\u0000" + text);
    synchronized (locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
      if (recentlyStored.get(key) != null) {
        metrics.inboundDuplicates.increment();
        log.info(
            "Duplicate inbound SMS from {} on {} dropped",
            MsisdnMask.mask(source),
            connection.name());
        return;
      }
      var message =
          new InboundMessage(
              connection.name(), source, destination, text, smscId, parts, clock.instant());
      try {
        inboundSink.persist(message);
      } catch (RuntimeException e) {
        metrics.inboundRejected.increment();
        log.warn(
            "Inbound SMS from {} not stored; asking the SMSC to redeliver: {}",
            MsisdnMask.mask(source),
            e.toString());
        throw new ProcessRequestException("inbound message not stored", ESME_RX_T_APPN, e);
      }
      recentlyStored.put(key, Boolean.TRUE);
      metrics.inboundStored.increment();
    }
  }

  private static Optional<ConcatInfo> sar(DeliverSm deliverSm) {
    Optional<Integer> reference = shortTlv(deliverSm, OptionalParameter.Tag.SAR_MSG_REF_NUM);
    Optional<Integer> total = byteTlv(deliverSm, OptionalParameter.Tag.SAR_TOTAL_SEGMENTS);
    Optional<Integer> sequence = byteTlv(deliverSm, OptionalParameter.Tag.SAR_SEGMENT_SEQNUM);
    if (reference.isEmpty() || total.isEmpty() || sequence.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ConcatInfo(reference.get(), total.get(), sequence.get()))
        .filter(ConcatInfo::isValid);
  }

  private static Optional<String> stringTlv(DeliverSm deliverSm, OptionalParameter.Tag tag) {
    return bytesTlv(deliverSm, tag)
        .map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1))
        .map(s -> s.indexOf('\0') >= 0 ? s.substring(0, s.indexOf('\0')) : s)
        .map(String::trim)
        .filter(s -> !s.isEmpty());
  }

  private static Optional<byte[]> bytesTlv(DeliverSm deliverSm, OptionalParameter.Tag tag) {
    OptionalParameter tlv = deliverSm.getOptionalParameter(tag);
    if (tlv instanceof OptionalParameter.OctetString octets) {
      return Optional.ofNullable(octets.getValue());
    }
    return Optional.empty();
  }

  private static Optional<Integer> byteTlv(DeliverSm deliverSm, OptionalParameter.Tag tag) {
    OptionalParameter tlv = deliverSm.getOptionalParameter(tag);
    if (tlv instanceof OptionalParameter.Byte b) {
      return Optional.of(b.getValue() & 0xFF);
    }
    return Optional.empty();
  }

  private static Optional<Integer> shortTlv(DeliverSm deliverSm, OptionalParameter.Tag tag) {
    OptionalParameter tlv = deliverSm.getOptionalParameter(tag);
    if (tlv instanceof OptionalParameter.Short s) {
      return Optional.of(s.getValue() & 0xFFFF);
    }
    return Optional.empty();
  }

  private static Optional<String> networkError(DeliverSm deliverSm) {
    OptionalParameter tlv =
        deliverSm.getOptionalParameter(OptionalParameter.Tag.NETWORK_ERROR_CODE);
    if (tlv instanceof OptionalParameter.OctetString octets) {
      byte[] v = octets.getValue();
      if (v != null && v.length == 3) {
        int type = v[0] & 0xFF;
        int code = ((v[1] & 0xFF) << 8) | (v[2] & 0xFF);
        return Optional.of(type + ":" + code);
      }
    }
    return Optional.empty();
  }
}
