package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.AUDIT_LOG;
import static org.assemblypay.ledger.jooq.Tables.SMS_INBOUND;
import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.impl.DSL;

/** The SMS outbox (claimed with SKIP LOCKED), inbound SMS store and the audit log. */
final class Outbox {
  private final DSLContext dsl;
  private final Journal journal;
  private final LedgerSettings settings;

  Outbox(DSLContext dsl, Journal journal, LedgerSettings settings) {
    this.dsl = dsl;
    this.journal = journal;
    this.settings = settings;
  }

  long enqueue(OutboundSmsDraft d, Instant now) {
    Journal.checkDraft(d);
    return dsl.insertInto(SMS_OUTBOX)
        .set(SMS_OUTBOX.RECIPIENT_MSISDN, Msisdn.normalize(d.recipientMsisdn()))
        .set(SMS_OUTBOX.TEXT, d.text())
        .set(SMS_OUTBOX.LANGUAGE, d.language().code())
        .set(SMS_OUTBOX.CORRELATION_ID, d.correlationId())
        .set(SMS_OUTBOX.NEXT_ATTEMPT_AT, Payments.utc(now))
        .returningResult(SMS_OUTBOX.ID)
        .fetchSingle()
        .value1();
  }

  List<OutboxMessage> claim(int max, Instant now) {
    if (max < 1 || max > 1000) {
      throw new InvalidInputException("max must be 1..1000");
    }
    return dsl
        .update(SMS_OUTBOX)
        .set(SMS_OUTBOX.ATTEMPTS, SMS_OUTBOX.ATTEMPTS.plus(1))
        .set(
            SMS_OUTBOX.NEXT_ATTEMPT_AT, Payments.utc(now.plusSeconds(settings.claimLeaseSeconds())))
        .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
        .where(
            SMS_OUTBOX.ID.in(
                DSL.select(SMS_OUTBOX.ID)
                    .from(SMS_OUTBOX)
                    .where(SMS_OUTBOX.STATUS.eq("QUEUED"))
                    .and(SMS_OUTBOX.NEXT_ATTEMPT_AT.le(Payments.utc(now)))
                    .orderBy(SMS_OUTBOX.NEXT_ATTEMPT_AT, SMS_OUTBOX.ID)
                    .limit(max)
                    .forUpdate()
                    .skipLocked()))
        .returning(
            SMS_OUTBOX.ID,
            SMS_OUTBOX.RECIPIENT_MSISDN,
            SMS_OUTBOX.TEXT,
            SMS_OUTBOX.LANGUAGE,
            SMS_OUTBOX.ATTEMPTS,
            SMS_OUTBOX.CORRELATION_ID)
        .fetch()
        .stream()
        .map(
            r ->
                new OutboxMessage(
                    r.getId(),
                    r.getRecipientMsisdn(),
                    r.getText(),
                    Language.ofCode(r.getLanguage()),
                    r.getAttempts(),
                    r.getCorrelationId()))
        .sorted(Comparator.comparingLong(OutboxMessage::id))
        .toList();
  }

  void markSubmitted(long id, List<String> messageIds, Instant now) {
    if (messageIds == null || messageIds.isEmpty()) {
      throw new InvalidInputException("at least one SMSC message id");
    }
    int n =
        dsl.update(SMS_OUTBOX)
            .set(SMS_OUTBOX.STATUS, "SUBMITTED")
            .set(SMS_OUTBOX.MESSAGE_IDS, messageIds.toArray(new String[0]))
            .set(SMS_OUTBOX.SUBMITTED_AT, Payments.utc(now))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
            .where(SMS_OUTBOX.ID.eq(id), SMS_OUTBOX.STATUS.eq("QUEUED"))
            .execute();
    requireRow(n, id);
  }

  void markRetry(long id, Instant at, String reason, Instant now) {
    int n =
        dsl.update(SMS_OUTBOX)
            .set(SMS_OUTBOX.NEXT_ATTEMPT_AT, Payments.utc(at))
            .set(SMS_OUTBOX.LAST_ERROR, clip(reason))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
            .where(SMS_OUTBOX.ID.eq(id), SMS_OUTBOX.STATUS.eq("QUEUED"))
            .execute();
    requireRow(n, id);
  }

  void markFailed(long id, String reason, Instant now) {
    int n =
        dsl.update(SMS_OUTBOX)
            .set(SMS_OUTBOX.STATUS, "FAILED")
            .set(SMS_OUTBOX.LAST_ERROR, clip(reason))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
            .where(SMS_OUTBOX.ID.eq(id), SMS_OUTBOX.STATUS.eq("QUEUED"))
            .execute();
    requireRow(n, id);
  }

  private void requireRow(int updated, long id) {
    if (updated == 0) {
      if (!dsl.fetchExists(SMS_OUTBOX, SMS_OUTBOX.ID.eq(id))) {
        throw new UnknownEntityException("SMS", id);
      }
      throw new IllegalTransitionException("SMS " + id + " is no longer queued");
    }
  }

  private static String clip(String s) {
    String v = s == null ? "" : s;
    return v.length() > 300 ? v.substring(0, 300) : v;
  }

  boolean recordDeliveryReport(
      String messageId, DeliveryState state, String errorCode, Instant now) {
    if (messageId == null || messageId.isBlank() || state == null) {
      throw new InvalidInputException("message id and state are required");
    }
    String status =
        switch (state) {
          case DELIVERED -> "DELIVERED";
          case UNDELIVERABLE -> "UNDELIVERABLE";
          case EXPIRED -> "EXPIRED";
          case REJECTED -> "FAILED";
        };
    var update =
        dsl.update(SMS_OUTBOX)
            .set(SMS_OUTBOX.STATUS, status)
            .set(
                SMS_OUTBOX.ERROR_CODE,
                errorCode == null
                    ? null
                    : clip(errorCode).substring(0, Math.min(20, clip(errorCode).length())))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now));
    if (state == DeliveryState.DELIVERED) {
      update = update.set(SMS_OUTBOX.DELIVERED_AT, Payments.utc(now));
    }
    return update
            .where(SMS_OUTBOX.MESSAGE_IDS.contains(new String[] {messageId}))
            .and(SMS_OUTBOX.STATUS.in("SUBMITTED", "DELIVERED", "UNDELIVERABLE", "EXPIRED"))
            .execute()
        > 0;
  }

  boolean storeInbound(InboundSms sms) {
    if (sms == null || sms.text() == null || sms.recipient() == null || sms.receivedAt() == null) {
      throw new InvalidInputException("inbound SMS needs sender, recipient, text and time");
    }
    if (sms.text().length() > 1600) {
      throw new InvalidInputException("inbound SMS longer than 1600 characters");
    }
    return dsl.insertInto(SMS_INBOUND)
            .set(SMS_INBOUND.SMSC_MESSAGE_ID, sms.smscMessageId())
            .set(SMS_INBOUND.SENDER_MSISDN, Msisdn.normalize(sms.senderMsisdn()))
            .set(SMS_INBOUND.RECIPIENT, sms.recipient())
            .set(SMS_INBOUND.TEXT, sms.text())
            .set(SMS_INBOUND.RECEIVED_AT, Payments.utc(sms.receivedAt()))
            .onConflict(SMS_INBOUND.SMSC_MESSAGE_ID)
            .doNothing()
            .execute()
        > 0;
  }

  void audit(String actor, String action, String entity, String beforeJson, String afterJson) {
    if (actor == null || action == null || entity == null) {
      throw new InvalidInputException("actor, action and entity are required");
    }
    dsl.insertInto(AUDIT_LOG)
        .set(AUDIT_LOG.ACTOR, actor)
        .set(AUDIT_LOG.ACTION, action)
        .set(AUDIT_LOG.ENTITY, entity)
        .set(AUDIT_LOG.BEFORE, beforeJson == null ? null : JSON.valueOf(beforeJson))
        .set(AUDIT_LOG.AFTER, afterJson == null ? null : JSON.valueOf(afterJson))
        .execute();
  }

  Journal journal() {
    return journal;
  }
}
