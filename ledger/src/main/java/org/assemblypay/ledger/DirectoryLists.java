package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.COLLECTORS;
import static org.assemblypay.ledger.jooq.Tables.COLLECTOR_MARKETS;
import static org.assemblypay.ledger.jooq.Tables.MARKETS;
import static org.assemblypay.ledger.jooq.Tables.RATES;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The directory's lists for the admin: every rate line, and collectors page by page. */
final class DirectoryLists {
  static final int MAX_PAGE = 200;
  static final int MAX_RATES = 1_000;

  private final DSLContext dsl;

  DirectoryLists(DSLContext dsl) {
    this.dsl = dsl;
  }

  List<RateLine> rates() {
    return dsl.select(RATES.asterisk(), MARKETS.CODE)
        .from(RATES)
        .leftJoin(MARKETS)
        .on(MARKETS.ID.eq(RATES.MARKET_ID))
        .orderBy(RATES.ITEM, MARKETS.CODE.nullsFirst(), RATES.VALID_FROM, RATES.ID)
        .limit(MAX_RATES)
        .fetch(
            r ->
                new RateLine(
                    r.get(RATES.ID),
                    new NewRate(
                        ChargeItem.valueOf(r.get(RATES.ITEM)),
                        r.get(MARKETS.CODE),
                        r.get(RATES.CATEGORY),
                        r.get(RATES.AMOUNT_PESEWAS),
                        RatePeriod.valueOf(r.get(RATES.PERIOD)),
                        Directory.days(r.get(RATES.MARKET_DAYS_MASK)),
                        r.get(RATES.VALID_FROM),
                        r.get(RATES.VALID_TO))));
  }

  Page<Collector> collectors(int offset, int limit) {
    Page.check(offset, limit, MAX_PAGE);
    long total = dsl.fetchCount(COLLECTORS);
    var markets =
        DSL.field(
            DSL.select(DSL.arrayAgg(COLLECTOR_MARKETS.MARKET_ID))
                .from(COLLECTOR_MARKETS)
                .where(COLLECTOR_MARKETS.COLLECTOR_ID.eq(COLLECTORS.ID)));
    List<Collector> items =
        dsl.select(COLLECTORS.asterisk(), markets)
            .from(COLLECTORS)
            .orderBy(COLLECTORS.NAME, COLLECTORS.ID)
            .offset(offset)
            .limit(limit)
            .fetch(
                r -> {
                  Long[] ids = r.get(markets);
                  Set<Long> marketIds = new HashSet<>();
                  if (ids != null) {
                    marketIds.addAll(List.of(ids));
                  }
                  return new Collector(
                      r.get(COLLECTORS.ID),
                      r.get(COLLECTORS.STAFF_NUMBER),
                      r.get(COLLECTORS.NAME),
                      r.get(COLLECTORS.PHONE),
                      marketIds,
                      ActiveStatus.valueOf(r.get(COLLECTORS.STATUS)),
                      Optional.ofNullable(r.get(COLLECTORS.LOCKED_UNTIL))
                          .map(OffsetDateTime::toInstant));
                });
    return new Page<>(items, offset, limit, total);
  }
}
