package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.AUDIT_LOG;
import static org.assemblypay.ledger.jooq.Tables.SMS_INBOUND;
import static org.assemblypay.ledger.jooq.Tables.SMS_MESSAGE_IDS;
import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.impl.DSL;

/** The SMS outbox (claimed with SKIP LOCKED), inbound SMS store and the audit log. */
final class Outbox {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Outbox.class);
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
        .set(SMS_OUTBOX.CORRELATION_ID, Journal.outboxCorrelationId(d))
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
    checkIds(messageIds);
    int n = dsl.transactionResult(cfg -> submit(cfg.dsl(), id, messageIds, now));
    requireRow(n, id);
  }

  /**
   * Marks many claimed rows submitted in one transaction; returns the ids written. A row that is no
   * longer queued (its lease ran out and another node took it) is left alone and not returned.
   */
  Set<Long> markSubmittedAll(Map<Long, List<String>> messageIdsByRow, Instant now) {
    if (messageIdsByRow.isEmpty()) {
      return Set.of();
    }
    messageIdsByRow.values().forEach(Outbox::checkIds);
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          Set<Long> written = new HashSet<>();
          for (Map.Entry<Long, List<String>> e : new TreeMap<>(messageIdsByRow).entrySet()) {
            if (submit(tx, e.getKey(), e.getValue(), now) > 0) {
              written.add(e.getKey());
            }
          }
          return written;
        });
  }

  private static void checkIds(List<String> messageIds) {
    if (messageIds == null
        || messageIds.isEmpty()
        || messageIds.stream().anyMatch(m -> m == null || m.isBlank() || m.length() > 100)) {
      throw new InvalidInputException("at least one SMSC message id, each 1..100 characters");
    }
  }

  /** Writes the row and its lookup entries in the caller's transaction; 0 if no longer queued. */
  private static int submit(DSLContext tx, long id, List<String> messageIds, Instant now) {
    checkIds(messageIds);
    int n =
        tx.update(SMS_OUTBOX)
            .set(SMS_OUTBOX.STATUS, "SUBMITTED")
            .set(SMS_OUTBOX.MESSAGE_IDS, messageIds.toArray(new String[0]))
            .set(SMS_OUTBOX.SUBMITTED_AT, Payments.utc(now))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
            .where(SMS_OUTBOX.ID.eq(id), SMS_OUTBOX.STATUS.eq("QUEUED"))
            .execute();
    if (n > 0) {
      var insert =
          tx.insertInto(SMS_MESSAGE_IDS, SMS_MESSAGE_IDS.MESSAGE_ID, SMS_MESSAGE_IDS.OUTBOX_ID);
      for (String m : new TreeSet<>(messageIds)) {
        insert = insert.values(m, id);
      }
      insert.onConflictDoNothing().execute();
    }
    return n;
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
    List<String[]> recorded = new java.util.ArrayList<>();
    boolean matched =
        applyReport(dsl, new DeliveryUpdate(messageId, state, errorCode), now, recorded);
    logRecorded(recorded);
    return matched;
  }

  /** One line per outbox row a report changed, under the id of the action that queued the SMS. */
  private static void logRecorded(List<String[]> recorded) {
    for (String[] row : recorded) {
      Correlation.run(row[1], () -> LOG.info("SMS {} delivery report {} recorded", row[0], row[2]));
    }
  }

  /** Applies many receipts in one transaction; returns the message ids that matched a row. */
  Set<String> recordDeliveryReports(List<DeliveryUpdate> reports, Instant now) {
    if (reports.isEmpty()) {
      return Set.of();
    }
    reports.forEach(Outbox::checkReport);
    List<String[]> recorded = new java.util.ArrayList<>();
    Set<String> result =
        dsl.transactionResult(
            cfg -> {
              DSLContext tx = cfg.dsl();
              Set<String> matched = new HashSet<>();
              recorded.clear();
              // One order for every batch, so two concurrent batches rarely lock rows crosswise.
              List<DeliveryUpdate> sorted =
                  reports.stream().sorted(Comparator.comparing(DeliveryUpdate::messageId)).toList();
              for (DeliveryUpdate r : sorted) {
                if (applyReport(tx, r, now, recorded)) {
                  matched.add(r.messageId());
                }
              }
              return matched;
            });
    logRecorded(recorded); // only once committed
    return result;
  }

  private static void checkReport(DeliveryUpdate r) {
    if (r == null || r.messageId() == null || r.messageId().isBlank() || r.state() == null) {
      throw new InvalidInputException("message id and state are required");
    }
  }

  /** Outbox states a report may settle, mildest first: a report never replaces a worse state. */
  private static final List<String> REPORTED_STATES =
      List.of("SUBMITTED", "DELIVERED", "EXPIRED", "UNDELIVERABLE", "FAILED");

  private static String statusOf(DeliveryState state) {
    return switch (state) {
      case DELIVERED -> "DELIVERED";
      case UNDELIVERABLE -> "UNDELIVERABLE";
      case EXPIRED -> "EXPIRED";
      case REJECTED -> "FAILED";
    };
  }

  /**
   * Sets the row holding the part's id to the reported state unless it already shows a worse one (a
   * multi-part message is as bad as its worst part); true if some row holds the id.
   */
  private static boolean applyReport(
      DSLContext tx, DeliveryUpdate r, Instant now, List<String[]> recorded) {
    checkReport(r);
    String status = statusOf(r.state());
    List<String> milder = REPORTED_STATES.subList(0, REPORTED_STATES.indexOf(status));
    var rowIds =
        DSL.select(SMS_MESSAGE_IDS.OUTBOX_ID)
            .from(SMS_MESSAGE_IDS)
            .where(SMS_MESSAGE_IDS.MESSAGE_ID.eq(r.messageId()));
    String error = r.errorCode() == null ? null : clip(r.errorCode());
    var update =
        tx.update(SMS_OUTBOX)
            .set(SMS_OUTBOX.STATUS, status)
            .set(
                SMS_OUTBOX.ERROR_CODE,
                error == null ? null : error.substring(0, Math.min(20, error.length())))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now));
    if (r.state() == DeliveryState.DELIVERED) {
      update = update.set(SMS_OUTBOX.DELIVERED_AT, Payments.utc(now));
    }
    var updated =
        update
            .where(SMS_OUTBOX.ID.in(rowIds))
            .and(SMS_OUTBOX.STATUS.in(milder))
            .returning(SMS_OUTBOX.ID, SMS_OUTBOX.CORRELATION_ID)
            .fetch();
    if (!updated.isEmpty()) {
      for (var row : updated) {
        recorded.add(new String[] {String.valueOf(row.getId()), row.getCorrelationId(), status});
      }
      return true;
    }
    // Already as bad or worse (a repeated report, or a worse part came first): still matched. Only
    // those states count: each statement sees its own snapshot, so a row whose submit committed
    // after the update above must be reported unmatched (and offered again), not swallowed.
    List<String> asBadOrWorse =
        REPORTED_STATES.subList(REPORTED_STATES.indexOf(status), REPORTED_STATES.size());
    return tx.fetchExists(SMS_OUTBOX, SMS_OUTBOX.ID.in(rowIds), SMS_OUTBOX.STATUS.in(asBadOrWorse));
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
