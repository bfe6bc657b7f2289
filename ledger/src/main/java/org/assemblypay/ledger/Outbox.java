package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.AUDIT_LOG;
import static org.assemblypay.ledger.jooq.Tables.SMS_INBOUND;
import static org.assemblypay.ledger.jooq.Tables.SMS_MESSAGE_IDS;
import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assemblypay.ledger.jooq.tables.records.SmsOutboxRecord;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;

/** The SMS outbox (claimed with SKIP LOCKED), inbound SMS store and the audit log. */
final class Outbox {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Outbox.class);

  /**
   * Generated copies of {@code status = 'QUEUED'} and {@code status = 'UNKNOWN'} (V14, hidden from
   * jOOQ's code generation) that the partial indexes are defined on: a query names them so that
   * PostgreSQL can use those indexes.
   */
  private static final org.jooq.Condition QUEUED =
      DSL.condition(DSL.field(DSL.name("queued"), Boolean.class));

  private static final org.jooq.Condition UNKNOWN_OUTCOME =
      DSL.condition(DSL.field(DSL.name("unknown_outcome"), Boolean.class));
  private final DSLContext dsl;
  private final Journal journal;
  private final LedgerSettings settings;
  private final PlainStatement claimBatch;
  private final PlainStatement submitBatch;
  private final PlainStatement reportBatch;

  Outbox(DSLContext dsl, Journal journal, LedgerSettings settings) {
    this.dsl = dsl;
    this.journal = journal;
    this.settings = settings;
    this.claimBatch = PlainStatement.compile(dsl, CLAIM_SQL, Map.of(3, SMS_OUTBOX)).keyed();
    this.submitBatch =
        PlainStatement.compile(
                dsl,
                SUBMIT_BATCH_SQL,
                Map.of(5, SMS_OUTBOX, 6, SMS_MESSAGE_IDS),
                "int8",
                "varchar",
                "int8",
                "int4",
                null,
                null,
                null,
                "varchar")
            .keyed();
    this.reportBatch =
        PlainStatement.compile(
                dsl,
                REPORT_BATCH_SQL,
                Map.of(4, SMS_OUTBOX, 5, SMS_MESSAGE_IDS),
                "varchar",
                "int4",
                "varchar",
                null,
                null,
                null,
                "varchar")
            .keyed();
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
    var at = Payments.utc(now);
    return claimBatch
        .query(
            dsl,
            r ->
                new OutboxMessage(
                    r.getLong(1),
                    r.getString(2),
                    r.getString(3),
                    Language.ofCode(r.getString(4)),
                    r.getInt(5),
                    r.getString(6)),
            at,
            Payments.utc(now.plusSeconds(settings.claimLeaseSeconds())),
            max)
        .stream()
        .sorted(Comparator.comparingLong(OutboxMessage::id))
        .toList();
  }

  /**
   * The claim: the due queued rows, locked with SKIP LOCKED, get a lease. The lease goes to
   * claimed_until, which no index reads, so the claim is a HOT update (V14, D200); "queued" is the
   * generated flag the due index is partial on. Plain SQL run over JDBC (D235): this runs for every
   * batch the dispatcher sends.
   */
  private static final String CLAIM_SQL =
      """
      update {3} o
         set attempts = o.attempts + 1, claimed_until = {1}, updated_at = {0}
       where o.id in (
         select id from {3}
          where queued and status = 'QUEUED' and next_attempt_at <= {0}
            and (claimed_until is null or claimed_until <= {0})
          order by next_attempt_at, id
          limit {2}
          for update skip locked)
      returning o.id, o.recipient_msisdn, o.text, o.language, o.attempts, o.correlation_id
      """;

  void markSubmitted(long id, List<SmscMessageId> parts, Instant now) {
    checkIds(parts);
    int n = dsl.transactionResult(cfg -> submit(cfg.dsl(), id, parts, now));
    requireRow(n, id);
  }

  /**
   * Marks many claimed rows submitted in one transaction; returns the ids written. A row that is no
   * longer queued (its lease ran out and another node took it) is left alone and not returned.
   */
  Set<Long> markSubmittedAll(Map<Long, List<SmscMessageId>> messageIdsByRow, Instant now) {
    List<SubmittedSms> rows = new ArrayList<>();
    messageIdsByRow.forEach((id, ids) -> rows.add(new SubmittedSms(id, ids, 1)));
    return markSubmittedBatch(rows, now);
  }

  /**
   * One statement for the whole batch: the rows still queued become SUBMITTED with their parts' ids
   * (lookup entries included) and their submit attempts added; returns the ids written.
   */
  Set<Long> markSubmittedBatch(List<SubmittedSms> rows, Instant now) {
    if (rows.isEmpty()) {
      return Set.of();
    }
    List<Long> partRows = new ArrayList<>();
    List<String> partIds = new ArrayList<>();
    List<String> partSmscs = new ArrayList<>();
    Long[] rowIds = new Long[rows.size()];
    Integer[] attempts = new Integer[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      SubmittedSms r = rows.get(i);
      checkIds(r.parts());
      if (r.submitAttempts() < 0) {
        throw new InvalidInputException("submit attempts must not be negative");
      }
      rowIds[i] = r.outboxId();
      attempts[i] = r.submitAttempts();
      for (SmscMessageId m : r.parts()) {
        partRows.add(r.outboxId());
        partIds.add(m.messageId());
        partSmscs.add(m.smsc());
      }
    }
    return new HashSet<>(
        submitBatch.query(
            dsl,
            r -> r.getLong(1),
            partRows.toArray(new Long[0]),
            partIds.toArray(new String[0]),
            rowIds,
            attempts,
            Payments.utc(now),
            null,
            null,
            partSmscs.toArray(new String[0])));
  }

  /**
   * Plain SQL (bind values only, never built from input), run over JDBC (D235): jOOQ's DSL has no
   * multi-array unnest with ordinality, and this statement is the outbox's hottest path (D110).
   */
  private static final String SUBMIT_BATCH_SQL =
      """
      with p as (
        select * from unnest({0}::bigint[], {1}::varchar[], {7}::varchar[])
          with ordinality as p(outbox_id, message_id, smsc, ord)
      ), s as (
        select * from unnest({2}::bigint[], {3}::int[]) as s(outbox_id, attempts)
      ), agg as (
        select p.outbox_id, array_agg(p.message_id::text order by p.ord) as ids from p group by p.outbox_id
      ), u as (
        update {5} o
           set status = 'SUBMITTED', message_ids = agg.ids, submitted_at = {4}, updated_at = {4},
               submit_attempts = o.submit_attempts + s.attempts, last_attempt_at = {4}
          from agg join s on s.outbox_id = agg.outbox_id
         where o.id = agg.outbox_id and o.status = 'QUEUED'
        returning o.id
      ), i as (
        insert into {6} (smsc, message_id, outbox_id)
        select distinct p.smsc, p.message_id, p.outbox_id from p join u on u.id = p.outbox_id
        on conflict do nothing
      )
      select id from u
      """;

  private static void checkIds(List<SmscMessageId> parts) {
    if (parts == null
        || parts.isEmpty()
        || parts.stream()
            .anyMatch(
                m ->
                    m == null
                        || m.messageId().isBlank()
                        || m.messageId().length() > 100
                        || m.smsc().isBlank()
                        || m.smsc().length() > 100)) {
      throw new InvalidInputException(
          "at least one SMSC message id, each 1..100 characters with an SMSC of 1..100");
    }
  }

  private static String[] idsOf(List<SmscMessageId> parts) {
    return parts.stream().map(SmscMessageId::messageId).toArray(String[]::new);
  }

  /** Records the parts' ids for report matching, under their SMSCs; repeats are left alone. */
  private static void insertIds(DSLContext tx, long id, List<SmscMessageId> parts) {
    var insert =
        tx.insertInto(
            SMS_MESSAGE_IDS,
            SMS_MESSAGE_IDS.SMSC,
            SMS_MESSAGE_IDS.MESSAGE_ID,
            SMS_MESSAGE_IDS.OUTBOX_ID);
    // In key order, as before: two writers of the same keys then lock them in the same order.
    var sorted =
        new TreeSet<SmscMessageId>(
            Comparator.comparing(SmscMessageId::smsc).thenComparing(SmscMessageId::messageId));
    sorted.addAll(parts);
    for (SmscMessageId m : sorted) {
      insert = insert.values(m.smsc(), m.messageId(), id);
    }
    insert.onConflictDoNothing().execute();
  }

  /** Writes the row and its lookup entries in the caller's transaction; 0 if no longer queued. */
  private static int submit(DSLContext tx, long id, List<SmscMessageId> parts, Instant now) {
    checkIds(parts);
    int n =
        tx.update(SMS_OUTBOX)
            .set(SMS_OUTBOX.STATUS, "SUBMITTED")
            .set(SMS_OUTBOX.MESSAGE_IDS, idsOf(parts))
            .set(SMS_OUTBOX.SUBMITTED_AT, Payments.utc(now))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
            .where(SMS_OUTBOX.ID.eq(id), SMS_OUTBOX.STATUS.eq("QUEUED"))
            .execute();
    if (n > 0) {
      insertIds(tx, id, parts);
    }
    return n;
  }

  void markRetry(long id, Instant at, String reason, Instant now) {
    markRetry(id, at, reason, 0, now);
  }

  void markRetry(long id, Instant at, String reason, int submitAttempts, Instant now) {
    checkAttempts(submitAttempts);
    int n =
        attempted(
                dsl.update(SMS_OUTBOX).set(SMS_OUTBOX.NEXT_ATTEMPT_AT, Payments.utc(at)),
                submitAttempts,
                now)
            .set(SMS_OUTBOX.CLAIMED_UNTIL, (java.time.OffsetDateTime) null)
            .set(SMS_OUTBOX.LAST_ERROR, clip(reason))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
            .where(SMS_OUTBOX.ID.eq(id), SMS_OUTBOX.STATUS.eq("QUEUED"))
            .execute();
    requireRow(n, id);
  }

  void markFailed(long id, String reason, Instant now) {
    markFailed(id, reason, 0, now);
  }

  void markFailed(long id, String reason, int submitAttempts, Instant now) {
    checkAttempts(submitAttempts);
    int n =
        attempted(dsl.update(SMS_OUTBOX).set(SMS_OUTBOX.STATUS, "FAILED"), submitAttempts, now)
            .set(SMS_OUTBOX.LAST_ERROR, clip(reason))
            .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
            .where(SMS_OUTBOX.ID.eq(id), SMS_OUTBOX.STATUS.eq("QUEUED"))
            .execute();
    requireRow(n, id);
  }

  /**
   * A submit whose outcome nobody knows (no submit_sm_resp, connection lost after the write): the
   * row leaves the queue as UNKNOWN, keeping the ids of any parts that were accepted so their
   * reports still match; see {@link #resendUnknown}.
   */
  void markUnknown(
      long id, List<SmscMessageId> knownParts, int submitAttempts, String reason, Instant now) {
    checkAttempts(submitAttempts);
    List<SmscMessageId> ids = knownParts == null ? List.of() : knownParts;
    if (!ids.isEmpty()) {
      checkIds(ids);
    }
    int n =
        dsl.transactionResult(
            cfg -> {
              DSLContext tx = cfg.dsl();
              var update =
                  attempted(
                          tx.update(SMS_OUTBOX).set(SMS_OUTBOX.STATUS, "UNKNOWN"),
                          submitAttempts,
                          now)
                      .set(SMS_OUTBOX.UNKNOWN_SINCE, Payments.utc(now))
                      .set(SMS_OUTBOX.LAST_ERROR, clip("OUTCOME_UNKNOWN: " + reason))
                      .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now));
              if (!ids.isEmpty()) {
                update = update.set(SMS_OUTBOX.MESSAGE_IDS, idsOf(ids));
              }
              int updated =
                  update.where(SMS_OUTBOX.ID.eq(id), SMS_OUTBOX.STATUS.eq("QUEUED")).execute();
              if (updated > 0 && !ids.isEmpty()) {
                insertIds(tx, id, ids);
              }
              return updated;
            });
    requireRow(n, id);
  }

  /**
   * Puts UNKNOWN rows that have heard nothing for {@code quietSeconds} back in the queue with the
   * same content, at most {@code maxResends} times each; every re-send is counted on the row, noted
   * in its last error and written to the audit log. Returns the ids re-queued.
   */
  List<Long> resendUnknown(int quietSeconds, int maxResends, int max, Instant now) {
    if (quietSeconds < 1 || maxResends < 0 || max < 1 || max > 1000) {
      throw new InvalidInputException("quiet period >= 1 s, resends >= 0, max 1..1000");
    }
    if (maxResends == 0) {
      return List.of();
    }
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          List<Long> ids =
              tx.update(SMS_OUTBOX)
                  .set(SMS_OUTBOX.STATUS, "QUEUED")
                  .set(SMS_OUTBOX.RESENDS, SMS_OUTBOX.RESENDS.plus(1))
                  .set(SMS_OUTBOX.NEXT_ATTEMPT_AT, Payments.utc(now))
                  .set(SMS_OUTBOX.CLAIMED_UNTIL, (java.time.OffsetDateTime) null)
                  .set(SMS_OUTBOX.UPDATED_AT, Payments.utc(now))
                  .set(
                      SMS_OUTBOX.LAST_ERROR,
                      DSL.left(
                          DSL.concat(
                              DSL.inline(
                                  "RESENT after " + quietSeconds + " s without a report; was: "),
                              DSL.coalesce(SMS_OUTBOX.LAST_ERROR, DSL.inline(""))),
                          300))
                  .where(
                      SMS_OUTBOX.ID.in(
                          DSL.select(SMS_OUTBOX.ID)
                              .from(SMS_OUTBOX)
                              .where(UNKNOWN_OUTCOME)
                              .and(SMS_OUTBOX.STATUS.eq("UNKNOWN"))
                              .and(
                                  SMS_OUTBOX.UNKNOWN_SINCE.le(
                                      Payments.utc(now.minusSeconds(quietSeconds))))
                              .and(SMS_OUTBOX.RESENDS.lt(maxResends))
                              .orderBy(SMS_OUTBOX.UNKNOWN_SINCE)
                              .limit(max)
                              .forUpdate()
                              .skipLocked()))
                  .and(SMS_OUTBOX.STATUS.eq("UNKNOWN"))
                  .returningResult(SMS_OUTBOX.ID)
                  .fetch()
                  .map(r -> r.value1());
          for (long id : ids) {
            tx.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.ACTOR, "sms-dispatcher")
                .set(AUDIT_LOG.ACTION, "SMS_RESENT_AFTER_UNKNOWN")
                .set(AUDIT_LOG.ENTITY, "sms_outbox:" + id)
                .set(AUDIT_LOG.AFTER, JSON.valueOf("{\"quietSeconds\":" + quietSeconds + "}"))
                .execute();
          }
          return ids;
        });
  }

  private static void checkAttempts(int submitAttempts) {
    if (submitAttempts < 0) {
      throw new InvalidInputException("submit attempts must not be negative");
    }
  }

  /** Adds the submit_sm rounds spent (if any) and when the last one was. */
  private static UpdateSetMoreStep<SmsOutboxRecord> attempted(
      UpdateSetMoreStep<SmsOutboxRecord> update, int submitAttempts, Instant now) {
    if (submitAttempts == 0) {
      return update;
    }
    return update
        .set(SMS_OUTBOX.SUBMIT_ATTEMPTS, SMS_OUTBOX.SUBMIT_ATTEMPTS.plus(submitAttempts))
        .set(SMS_OUTBOX.LAST_ATTEMPT_AT, Payments.utc(now));
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
      String smsc, String messageId, DeliveryState state, String errorCode, Instant now) {
    List<String[]> recorded = new java.util.ArrayList<>();
    boolean matched =
        applyReport(dsl, new DeliveryUpdate(smsc, messageId, state, errorCode), now, recorded);
    logRecorded(recorded);
    return matched;
  }

  /** One line per outbox row a report changed, under the id of the action that queued the SMS. */
  private static void logRecorded(List<String[]> recorded) {
    for (String[] row : recorded) {
      Correlation.run(row[1], () -> LOG.info("SMS {} delivery report {} recorded", row[0], row[2]));
    }
  }

  /**
   * Applies many receipts in one transaction; returns the message ids that matched a row. All
   * receipts whose id is known go in one statement; those left over that name a handset settle an
   * UNKNOWN row of that handset and text, if there is exactly one candidate (D111).
   */
  Set<SmscMessageId> recordDeliveryReports(List<DeliveryUpdate> reports, Instant now) {
    if (reports.isEmpty()) {
      return Set.of();
    }
    reports.forEach(Outbox::checkReport);
    List<String[]> recorded = new ArrayList<>();
    Set<SmscMessageId> result =
        dsl.transactionResult(
            cfg -> {
              DSLContext tx = cfg.dsl();
              recorded.clear();
              Set<SmscMessageId> matched = applyReports(tx, reports, now, recorded);
              List<DeliveryUpdate> byHandset =
                  reports.stream()
                      .filter(r -> !matched.contains(r.key()))
                      .filter(r -> r.recipientMsisdn() != null && !r.recipientMsisdn().isBlank())
                      .toList();
              if (!byHandset.isEmpty()) {
                matched.addAll(settleUnknown(tx, byHandset, now, recorded));
              }
              return matched;
            });
    logRecorded(recorded); // only once committed
    return result;
  }

  /** A report's outbox status, ranked: a row only ever moves to a worse (higher) rank. */
  private static int rankOf(DeliveryState state) {
    return switch (state) {
      case DELIVERED -> 1;
      case EXPIRED -> 2;
      case UNDELIVERABLE -> 3;
      case REJECTED -> 4;
    };
  }

  private Set<SmscMessageId> applyReports(
      DSLContext tx, List<DeliveryUpdate> reports, Instant now, List<String[]> recorded) {
    String[] smscs = new String[reports.size()];
    String[] ids = new String[reports.size()];
    Integer[] ranks = new Integer[reports.size()];
    String[] errors = new String[reports.size()];
    for (int i = 0; i < reports.size(); i++) {
      DeliveryUpdate r = reports.get(i);
      smscs[i] = r.smsc();
      ids[i] = r.messageId();
      ranks[i] = rankOf(r.state());
      String e = r.errorCode();
      errors[i] = e == null ? null : e.substring(0, Math.min(20, e.length()));
    }
    Set<SmscMessageId> matched = new HashSet<>();
    reportBatch.query(
        tx,
        r -> {
          if (r.getString(1).equals("u")) {
            recorded.add(new String[] {r.getString(2), r.getString(3), r.getString(4)});
          } else {
            matched.add(new SmscMessageId(r.getString(2), r.getString(3)));
          }
          return Boolean.TRUE;
        },
        ids,
        ranks,
        errors,
        Payments.utc(now),
        null,
        null,
        smscs);
    return matched;
  }

  /**
   * One statement per batch of reports (D110), run over JDBC (D235). Each row takes the worst state
   * any of its parts reported in the batch, and only if that is worse than what it shows (a
   * multi-part message is as bad as its worst part; QUEUED here is a row re-sent after an unknown
   * outcome, which a late report of the first send settles). Rows are locked in id order so two
   * batches cannot deadlock. Every id found in the lookup table counts as matched: an id is written
   * there in the same transaction as its row's submission, so a row this statement can see has been
   * submitted. An id matches when it was recorded under the report's SMSC, or under '' (before V16:
   * any SMSC, D230); both are probes of the lookup table's key (smsc, message_id).
   */
  private static final String REPORT_BATCH_SQL =
      """
      with r as (
        select * from unnest({6}::varchar[], {0}::varchar[], {1}::int[], {2}::varchar[])
          as r(smsc, message_id, rank, error_code)
      ), m as (
        select i.outbox_id, r.smsc, r.message_id, r.rank, r.error_code
          from r join {5} i
            on i.smsc = any(array[r.smsc, '']::varchar[]) and i.message_id = r.message_id
      ), w as (
        select distinct on (outbox_id) outbox_id, rank, error_code from m order by outbox_id, rank desc
      ), l as (
        select o.id, w.rank, w.error_code from {4} o join w on w.outbox_id = o.id
         order by o.id for update of o
      ), u as (
        update {4} o
           set status = (array['DELIVERED', 'EXPIRED', 'UNDELIVERABLE', 'FAILED'])[l.rank],
               error_code = l.error_code,
               updated_at = {3},
               delivered_at = case when l.rank = 1 then {3} else o.delivered_at end
          from l
         where o.id = l.id
           and (case o.status when 'QUEUED' then -1 when 'SUBMITTED' then 0 when 'UNKNOWN' then 0
                 when 'DELIVERED' then 1 when 'EXPIRED' then 2 when 'UNDELIVERABLE' then 3
                 else 4 end) < l.rank
        returning o.id, o.correlation_id, o.status
      )
      select 'm' as kind, x.smsc::text as a, x.message_id::text as b, null::text as c
        from (select distinct smsc, message_id from m) x
      union all
      select 'u', u.id::text, u.correlation_id, u.status from u
      """;

  /**
   * Reports whose id no row holds, naming a handset: the submit may have reached the SMSC without
   * its response reaching us. Each settles the oldest UNKNOWN row for that handset whose text
   * starts with the report's text (when it has one), and its id is recorded so repeats match
   * directly.
   */
  private static Set<SmscMessageId> settleUnknown(
      DSLContext tx, List<DeliveryUpdate> reports, Instant now, List<String[]> recorded) {
    Set<SmscMessageId> matched = new HashSet<>();
    Map<String, List<DeliveryUpdate>> byMsisdn = new TreeMap<>();
    for (DeliveryUpdate r : reports) {
      String msisdn;
      try {
        msisdn = Msisdn.normalize(r.recipientMsisdn());
      } catch (InvalidInputException e) {
        continue;
      }
      byMsisdn.computeIfAbsent(msisdn, k -> new ArrayList<>()).add(r);
    }
    if (byMsisdn.isEmpty()) {
      return matched;
    }
    var candidates =
        tx.select(SMS_OUTBOX.ID, SMS_OUTBOX.RECIPIENT_MSISDN, SMS_OUTBOX.TEXT)
            .from(SMS_OUTBOX)
            .where(UNKNOWN_OUTCOME)
            .and(SMS_OUTBOX.STATUS.eq("UNKNOWN"))
            .and(SMS_OUTBOX.RECIPIENT_MSISDN.in(byMsisdn.keySet()))
            .orderBy(SMS_OUTBOX.UNKNOWN_SINCE, SMS_OUTBOX.ID)
            .forUpdate()
            .skipLocked()
            .fetch();
    Set<Long> taken = new HashSet<>();
    for (Map.Entry<String, List<DeliveryUpdate>> e : byMsisdn.entrySet()) {
      for (DeliveryUpdate r : e.getValue()) {
        String start = r.textStart() == null ? "" : r.textStart();
        var row =
            candidates.stream()
                .filter(c -> c.value2().equals(e.getKey()) && !taken.contains(c.value1()))
                .filter(c -> c.value3().startsWith(start))
                .findFirst();
        if (row.isEmpty()) {
          continue;
        }
        long id = row.get().value1();
        taken.add(id);
        // Under the report's SMSC: the SMSC that reports on a part is the one that took it.
        insertIds(tx, id, List.of(r.key()));
        tx.update(SMS_OUTBOX)
            .set(
                SMS_OUTBOX.MESSAGE_IDS,
                DSL.field(
                    "array_append(coalesce({0}, '{}'::text[]), {1}::text)",
                    String[].class, SMS_OUTBOX.MESSAGE_IDS, DSL.val(r.messageId())))
            .where(SMS_OUTBOX.ID.eq(id))
            .execute();
        if (applyReport(tx, r, now, recorded)) {
          matched.add(r.key());
        }
      }
    }
    return matched;
  }

  private static void checkReport(DeliveryUpdate r) {
    if (r == null
        || r.messageId() == null
        || r.messageId().isBlank()
        || r.state() == null
        || r.smsc() == null
        || r.smsc().length() > 100) {
      throw new InvalidInputException("SMSC, message id and state are required");
    }
  }

  /** Outbox states a report may settle, mildest first: a report never replaces a worse state. */
  private static final List<String> REPORTED_STATES =
      List.of("QUEUED", "SUBMITTED", "UNKNOWN", "DELIVERED", "EXPIRED", "UNDELIVERABLE", "FAILED");

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
            .where(SMS_MESSAGE_IDS.SMSC.in(r.smsc(), ""))
            .and(SMS_MESSAGE_IDS.MESSAGE_ID.eq(r.messageId()));
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

  /** Inbound handling lease when the caller names none: longer than any command takes. */
  static final int DEFAULT_HANDLING_LEASE_SECONDS = 300;

  boolean storeInbound(InboundSms sms) {
    return storeInbound(sms, DEFAULT_HANDLING_LEASE_SECONDS, Instant.now());
  }

  /**
   * Stores an inbound SMS, leased to the caller for handling until {@code leaseSeconds} from now:
   * if it is not marked handled by then (the node died, the database blinked), {@link
   * #claimUnhandledInbound} hands it out again.
   */
  boolean storeInbound(InboundSms sms, int leaseSeconds, Instant now) {
    if (sms == null || sms.text() == null || sms.recipient() == null || sms.receivedAt() == null) {
      throw new InvalidInputException("inbound SMS needs sender, recipient, text and time");
    }
    if (sms.text().length() > 1600) {
      throw new InvalidInputException("inbound SMS longer than 1600 characters");
    }
    if (leaseSeconds < 1) {
      throw new InvalidInputException("handling lease must be at least a second");
    }
    return dsl.insertInto(SMS_INBOUND)
            .set(SMS_INBOUND.SMSC_MESSAGE_ID, sms.smscMessageId())
            .set(SMS_INBOUND.SENDER_MSISDN, Msisdn.normalize(sms.senderMsisdn()))
            .set(SMS_INBOUND.RECIPIENT, sms.recipient())
            .set(SMS_INBOUND.TEXT, sms.text())
            .set(SMS_INBOUND.RECEIVED_AT, Payments.utc(sms.receivedAt()))
            .set(SMS_INBOUND.HANDLING_ATTEMPTS, 1)
            .set(SMS_INBOUND.HANDLE_AFTER, Payments.utc(now.plusSeconds(leaseSeconds)))
            .onConflict(SMS_INBOUND.SMSC_MESSAGE_ID)
            .doNothing()
            .execute()
        > 0;
  }

  /**
   * Renews the handling lease of a stored message, unless it was handled or another handling (the
   * recovery sweep's) took it since: true if the caller may handle it now.
   */
  boolean renewInboundLease(String inboundKey, int handlingAttempt, int leaseSeconds, Instant now) {
    if (leaseSeconds < 1 || handlingAttempt < 1) {
      throw new InvalidInputException("lease >= 1 s, attempt >= 1");
    }
    return dsl.update(SMS_INBOUND)
            .set(SMS_INBOUND.HANDLE_AFTER, Payments.utc(now.plusSeconds(leaseSeconds)))
            .where(
                SMS_INBOUND.SMSC_MESSAGE_ID.eq(inboundKey),
                SMS_INBOUND.PROCESSED_AT.isNull(),
                SMS_INBOUND.HANDLING_ATTEMPTS.eq(handlingAttempt))
            .execute()
        > 0;
  }

  /** The command of this stored message has run to its end (replies and postings committed). */
  void markInboundHandled(String inboundKey, Instant now) {
    dsl.update(SMS_INBOUND)
        .set(SMS_INBOUND.PROCESSED_AT, Payments.utc(now))
        .set(SMS_INBOUND.HANDLE_AFTER, (java.time.OffsetDateTime) null)
        .where(SMS_INBOUND.SMSC_MESSAGE_ID.eq(inboundKey), SMS_INBOUND.PROCESSED_AT.isNull())
        .execute();
  }

  /** Handling failed; offer the message again from {@code retryAt}. */
  void markInboundFailed(String inboundKey, String error, Instant retryAt) {
    dsl.update(SMS_INBOUND)
        .set(SMS_INBOUND.LAST_ERROR, clip(error))
        .set(SMS_INBOUND.HANDLE_AFTER, Payments.utc(retryAt))
        .where(SMS_INBOUND.SMSC_MESSAGE_ID.eq(inboundKey), SMS_INBOUND.PROCESSED_AT.isNull())
        .execute();
  }

  /**
   * Claims stored messages never marked handled whose lease ran out, at most {@code maxAttempts}
   * handlings each, leasing them again ({@code FOR UPDATE SKIP LOCKED}: several nodes share this).
   */
  List<UnhandledInbound> claimUnhandledInbound(
      int max, int leaseSeconds, int maxAttempts, Instant now) {
    if (max < 1 || max > 1000 || leaseSeconds < 1 || maxAttempts < 1) {
      throw new InvalidInputException("max 1..1000, lease >= 1 s, attempts >= 1");
    }
    return dsl
        .update(SMS_INBOUND)
        .set(SMS_INBOUND.HANDLING_ATTEMPTS, SMS_INBOUND.HANDLING_ATTEMPTS.plus(1))
        .set(SMS_INBOUND.HANDLE_AFTER, Payments.utc(now.plusSeconds(leaseSeconds)))
        .where(
            SMS_INBOUND.ID.in(
                DSL.select(SMS_INBOUND.ID)
                    .from(SMS_INBOUND)
                    .where(SMS_INBOUND.PROCESSED_AT.isNull())
                    .and(SMS_INBOUND.HANDLE_AFTER.le(Payments.utc(now)))
                    .and(SMS_INBOUND.HANDLING_ATTEMPTS.lt(maxAttempts))
                    .orderBy(SMS_INBOUND.RECEIVED_AT, SMS_INBOUND.ID)
                    .limit(max)
                    .forUpdate()
                    .skipLocked()))
        .returning(
            SMS_INBOUND.SMSC_MESSAGE_ID,
            SMS_INBOUND.SENDER_MSISDN,
            SMS_INBOUND.RECIPIENT,
            SMS_INBOUND.TEXT,
            SMS_INBOUND.RECEIVED_AT,
            SMS_INBOUND.HANDLING_ATTEMPTS)
        .fetch()
        .stream()
        .filter(r -> r.getSmscMessageId() != null)
        .map(
            r ->
                new UnhandledInbound(
                    r.getSmscMessageId(),
                    r.getSenderMsisdn(),
                    r.getRecipient(),
                    r.getText(),
                    r.getReceivedAt().toInstant(),
                    r.getHandlingAttempts()))
        .sorted(Comparator.comparing(UnhandledInbound::receivedAt))
        .toList();
  }

  /**
   * Whether handling this stored message already left a durable trace: the cash it posted (the
   * collectors' PAY posts under {@code sms:<key>}) or a reply queued under the command's
   * correlation id (or, from before correlation ids, the key itself). A recovered message with a
   * trace is only marked handled, never run again (D113).
   */
  boolean inboundLeftTrace(String inboundKey) {
    return dsl.fetchExists(TRANSFERS, TRANSFERS.IDEMPOTENCY_KEY.eq("cash:sms:" + inboundKey))
        || dsl.fetchExists(
            SMS_OUTBOX,
            SMS_OUTBOX.CORRELATION_ID.in(
                inboundKey, Correlation.ofSmsCommand(journal.assembly().code(), inboundKey)));
  }

  Optional<SmsOutboxRow> outboxEntry(long id) {
    return outboxEntries(SMS_OUTBOX.ID.eq(id), 1).stream().findFirst();
  }

  /** Newest first; {@code status} null for every status. */
  List<SmsOutboxRow> outboxEntries(String status, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit must be 1..1000");
    }
    return outboxEntries(status == null ? DSL.noCondition() : SMS_OUTBOX.STATUS.eq(status), limit);
  }

  private List<SmsOutboxRow> outboxEntries(org.jooq.Condition where, int limit) {
    return dsl
        .selectFrom(SMS_OUTBOX)
        .where(where)
        .orderBy(SMS_OUTBOX.ID.desc())
        .limit(limit)
        .fetch()
        .stream()
        .map(
            r ->
                new SmsOutboxRow(
                    r.getId(),
                    r.getRecipientMsisdn(),
                    r.getStatus(),
                    r.getAttempts(),
                    r.getSubmitAttempts(),
                    r.getResends(),
                    r.getMessageIds() == null ? List.of() : List.of(r.getMessageIds()),
                    Optional.ofNullable(r.getLastError()),
                    Optional.ofNullable(r.getErrorCode()),
                    Optional.ofNullable(r.getCorrelationId()),
                    r.getCreatedAt().toInstant(),
                    Optional.ofNullable(r.getLastAttemptAt()).map(t -> t.toInstant()),
                    Optional.ofNullable(r.getSubmittedAt()).map(t -> t.toInstant()),
                    Optional.ofNullable(r.getUnknownSince()).map(t -> t.toInstant()),
                    Optional.ofNullable(r.getDeliveredAt()).map(t -> t.toInstant())))
        .toList();
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
