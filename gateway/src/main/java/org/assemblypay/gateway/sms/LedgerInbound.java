package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Correlation;
import org.assemblypay.ledger.InboundSms;
import org.assemblypay.ledger.InvalidInputException;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.smpp.InboundMessage;
import org.assemblypay.smpp.InboundSink;
import org.assemblypay.smpp.MsisdnMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each inbound SMS in its assembly's inbound table before the connector acknowledges it,
 * then hands new (not duplicate) messages to the command handler on a bounded pool.
 *
 * <p>The assembly is the one that owns the number the SMS was sent to (a configured inbound number,
 * or an assembly's sender id); failing that, the one assembly where the sender is a registered
 * collector, else a registered trader. A database failure propagates (the SMSC gets an error and
 * delivers again); a message that can never be stored (no assembly, malformed sender) is logged,
 * counted and acknowledged, since redelivering it would not help.
 */
final class LedgerInbound implements InboundSink {

  private static final Logger log = LoggerFactory.getLogger(LedgerInbound.class);
  private static final int MAX_KEY_LENGTH = 64;
  private static final int MAX_RECIPIENT_LENGTH = 20;

  private final Ledger ledger;
  private final ServedAssemblies assemblies;
  private final Map<String, String> assemblyByNumber;
  private final ExecutorService handlers;
  private final InboundCommandHandler handler;
  private final Runnable afterHandled;
  private final int handlingLeaseSeconds;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter unrouted;
  private final Counter rejected;
  private final Counter handlerFailures;

  LedgerInbound(
      Ledger ledger,
      ServedAssemblies assemblies,
      List<SmsConfig.InboundNumber> inboundNumbers,
      ExecutorService handlers,
      InboundCommandHandler handler,
      Runnable afterHandled,
      int handlingLeaseSeconds,
      MeterRegistry registry) {
    this.handlingLeaseSeconds = handlingLeaseSeconds;
    this.ledger = ledger;
    this.assemblies = assemblies;
    this.assemblyByNumber =
        inboundNumbers.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    n -> digits(n.number()), n -> n.assembly().trim().toUpperCase(Locale.ROOT)));
    this.handlers = handlers;
    this.handler = handler;
    this.afterHandled = afterHandled;
    this.stored = registry.counter("sms.inbound.persisted", "result", "stored");
    this.duplicates = registry.counter("sms.inbound.persisted", "result", "duplicate");
    this.unrouted = registry.counter("sms.inbound.persisted", "result", "no_assembly");
    this.rejected = registry.counter("sms.inbound.persisted", "result", "invalid");
    this.handlerFailures = registry.counter("sms.inbound.handler_failures");
  }

  @Override
  public void persist(InboundMessage message) {
    Optional<String> assembly = assemblyFor(message);
    if (assembly.isEmpty()) {
      unrouted.increment();
      log.warn(
          "inbound SMS from {} to {} belongs to no single assembly; dropped",
          MsisdnMask.mask(message.source()),
          message.destination());
      return;
    }
    String code = assembly.get();
    String key = keyOf(message);
    String recipient = message.destination();
    if (recipient.length() > MAX_RECIPIENT_LENGTH) {
      recipient = recipient.substring(0, MAX_RECIPIENT_LENGTH);
    }
    boolean isNew;
    try {
      isNew =
          ledger
              .assembly(code)
              .storeInbound(
                  new InboundSms(
                      key, message.source(), recipient, message.text(), message.receivedAt()),
                  handlingLeaseSeconds);
    } catch (InvalidInputException e) {
      rejected.increment();
      log.warn(
          "inbound SMS from {} for assembly {} cannot be stored: {}",
          MsisdnMask.mask(message.source()),
          code,
          e.getMessage());
      return;
    }
    if (!isNew) {
      duplicates.increment();
      log.info("duplicate inbound SMS {} for assembly {} ignored", key, code);
      return;
    }
    stored.increment();
    // Runs on the SMPP thread when the pool and its queue are full (back-pressure on the SMSC).
    handlers.execute(() -> handle(code, key, message));
  }

  /**
   * Runs the command, then marks the stored message handled. If either fails (a database blip), the
   * message stays unhandled and {@link SmsRecovery} offers it again when its lease runs out.
   */
  private void handle(String code, String key, InboundMessage message) {
    // The command's own id: its replies and any cash posting's receipt SMS carry it on.
    Correlation.Scope scope = Correlation.open(Correlation.ofSmsCommand(code, key));
    try {
      // It may have waited in the queue past its lease: only run it if the sweep has not taken it.
      if (!ledger.assembly(code).renewInboundLease(key, 1, handlingLeaseSeconds)) {
        log.info(
            "SMS command {} of assembly {} was taken by the recovery sweep; skipped", key, code);
        return;
      }
      handler.handle(code, key, message.source(), message.text());
      ledger.assembly(code).markInboundHandled(key);
      log.info("SMS command {} of assembly {} handled", key, code);
    } catch (RuntimeException e) {
      handlerFailures.increment();
      log.error("SMS command {} of assembly {} failed: {}", key, code, e.toString());
      try {
        ledger
            .assembly(code)
            .markInboundFailed(
                key,
                e.toString(),
                Instant.now().plusSeconds(Math.min(RETRY_AFTER_SECONDS, handlingLeaseSeconds)));
      } catch (RuntimeException again) {
        log.warn("SMS command {}: failure not recorded ({}); its lease still runs out", key, again);
      }
    } finally {
      scope.close();
      afterHandled.run();
    }
  }

  /** A failed handling is offered again this soon (unless its lease runs out sooner). */
  static final int RETRY_AFTER_SECONDS = 30;

  /**
   * The store key: the SMSC's id prefixed with the connection (two SMSCs may use the same ids),
   * hashed if too long; a fresh unique key when the SMSC sent none (duplicates are then caught by
   * the connector's sender + recipient + text window only).
   */
  static String keyOf(InboundMessage message) {
    if (message.smscMessageId().isEmpty()) {
      return "gw:" + UUID.randomUUID();
    }
    String key = message.connectionName() + ":" + message.smscMessageId().get();
    if (key.length() <= MAX_KEY_LENGTH) {
      return key;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "h:" + HexFormat.of().formatHex(hash).substring(0, MAX_KEY_LENGTH - 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Which assembly the message belongs to, if exactly one. */
  Optional<String> assemblyFor(InboundMessage message) {
    String to = digits(message.destination());
    String byNumber = assemblyByNumber.get(to);
    if (byNumber != null) {
      return Optional.of(byNumber);
    }
    List<Assembly> served = assemblies.all();
    Set<String> bySender = new LinkedHashSet<>();
    for (Assembly a : served) {
      if (a.smsSenderId() != null && a.smsSenderId().equalsIgnoreCase(message.destination())) {
        bySender.add(a.code());
      }
    }
    if (bySender.size() == 1) {
      return Optional.of(bySender.iterator().next());
    }
    Set<String> collectorIn = new LinkedHashSet<>();
    Set<String> traderIn = new LinkedHashSet<>();
    for (String code : assemblies.activeCodes()) {
      AssemblyLedger l = ledger.assembly(code);
      try {
        if (l.collectorByPhone(message.source()).isPresent()) {
          collectorIn.add(code);
        } else if (!l.tradersByPhone(message.source()).isEmpty()) {
          traderIn.add(code);
        }
      } catch (InvalidInputException e) {
        return Optional.empty();
      }
    }
    if (collectorIn.size() == 1) {
      return Optional.of(collectorIn.iterator().next());
    }
    if (collectorIn.isEmpty() && traderIn.size() == 1) {
      return Optional.of(traderIn.iterator().next());
    }
    return Optional.empty();
  }

  private static String digits(String number) {
    String n = number.trim();
    return n.startsWith("+") ? n.substring(1) : n;
  }
}
