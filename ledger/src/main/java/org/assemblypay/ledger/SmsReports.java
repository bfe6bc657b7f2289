package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The SMS outbox for the admin: counts by status over a date range, and a paged list. */
final class SmsReports {
  static final int MAX_PAGE = 200;

  private final DSLContext dsl;
  private final ZoneId zone;

  SmsReports(DSLContext dsl, ZoneId zone) {
    this.dsl = dsl;
    this.zone = zone;
  }

  SmsDeliverySummary summary(DateRange range) {
    Map<String, Long> byStatus = new HashMap<>();
    dsl.select(SMS_OUTBOX.STATUS, DSL.count())
        .from(SMS_OUTBOX)
        .where(inRange(range))
        .groupBy(SMS_OUTBOX.STATUS)
        .forEach(r -> byStatus.put(r.value1(), r.value2().longValue()));
    return new SmsDeliverySummary(range, byStatus);
  }

  Page<SmsOutboxEntry> list(DateRange range, String status, int offset, int limit) {
    Page.check(offset, limit, MAX_PAGE);
    List<Condition> where = new ArrayList<>();
    where.add(inRange(range));
    if (status != null && !status.isBlank()) {
      where.add(SMS_OUTBOX.STATUS.eq(status.strip()));
    }
    long total = dsl.fetchCount(SMS_OUTBOX, DSL.and(where));
    List<SmsOutboxEntry> items =
        dsl.select(
                SMS_OUTBOX.ID,
                SMS_OUTBOX.RECIPIENT_MSISDN,
                SMS_OUTBOX.STATUS,
                SMS_OUTBOX.ATTEMPTS,
                DSL.coalesce(DSL.cardinality(SMS_OUTBOX.MESSAGE_IDS), DSL.inline(0)),
                SMS_OUTBOX.ERROR_CODE,
                SMS_OUTBOX.LAST_ERROR,
                SMS_OUTBOX.TRANSFER_ID,
                SMS_OUTBOX.CREATED_AT,
                SMS_OUTBOX.SUBMITTED_AT,
                SMS_OUTBOX.DELIVERED_AT)
            .from(SMS_OUTBOX)
            .where(where)
            .orderBy(SMS_OUTBOX.CREATED_AT.desc(), SMS_OUTBOX.ID.desc())
            .offset(offset)
            .limit(limit)
            .fetch(
                r ->
                    new SmsOutboxEntry(
                        r.value1(),
                        Msisdn.mask(r.value2()),
                        r.value3(),
                        r.value4(),
                        r.value5(),
                        Optional.ofNullable(r.value6()),
                        Optional.ofNullable(r.value7()),
                        Optional.ofNullable(r.value8()),
                        r.value9().toInstant(),
                        Optional.ofNullable(r.value10()).map(OffsetDateTime::toInstant),
                        Optional.ofNullable(r.value11()).map(OffsetDateTime::toInstant)));
    return new Page<>(items, offset, limit, total);
  }

  private Condition inRange(DateRange range) {
    return SMS_OUTBOX
        .CREATED_AT
        .ge(range.start(zone))
        .and(SMS_OUTBOX.CREATED_AT.lt(range.end(zone)));
  }
}
