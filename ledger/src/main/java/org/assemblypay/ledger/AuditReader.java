package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.AUDIT_LOG;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.impl.DSL;

/** Reads the audit log, newest first, filtered and paged. */
final class AuditReader {
  static final int MAX_PAGE = 200;

  private final DSLContext dsl;
  private final ZoneId zone;

  AuditReader(DSLContext dsl, ZoneId zone) {
    this.dsl = dsl;
    this.zone = zone;
  }

  Page<AuditEntry> read(AuditFilter filter, int offset, int limit) {
    Page.check(offset, limit, MAX_PAGE);
    List<Condition> where = new ArrayList<>();
    where.add(AUDIT_LOG.AT.ge(filter.range().start(zone)));
    where.add(AUDIT_LOG.AT.lt(filter.range().end(zone)));
    if (filter.actor() != null && !filter.actor().isBlank()) {
      where.add(AUDIT_LOG.ACTOR.eq(filter.actor().strip()));
    }
    if (filter.actionPrefix() != null && !filter.actionPrefix().isBlank()) {
      // startsWith escapes % and _ in the typed prefix.
      where.add(AUDIT_LOG.ACTION.startsWith(filter.actionPrefix().strip()));
    }
    if (filter.entity() != null && !filter.entity().isBlank()) {
      where.add(AUDIT_LOG.ENTITY.eq(filter.entity().strip()));
    }
    long total = dsl.fetchCount(AUDIT_LOG, DSL.and(where));
    List<AuditEntry> items =
        dsl.selectFrom(AUDIT_LOG)
            .where(where)
            .orderBy(AUDIT_LOG.AT.desc(), AUDIT_LOG.ID.desc())
            .offset(offset)
            .limit(limit)
            .fetch(
                r ->
                    new AuditEntry(
                        r.getId(),
                        r.getActor(),
                        r.getAt().toInstant(),
                        r.getAction(),
                        r.getEntity(),
                        text(r.getBefore()),
                        text(r.getAfter())));
    return new Page<>(items, offset, limit, total);
  }

  private static Optional<String> text(JSON json) {
    return Optional.ofNullable(json).map(JSON::data);
  }
}
