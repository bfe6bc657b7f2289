package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.USSD_SCREEN_STATS;

import java.time.LocalDate;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** USSD hops counted per day and screen: gateway nodes add their counts, the admin reads them. */
final class UssdScreenStats {
  static final int MAX_SCREENS_PER_WRITE = 1_000;

  private final DSLContext dsl;

  UssdScreenStats(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Adds counts to the day's rows in one transaction; concurrent nodes add, never overwrite. */
  void add(LocalDate day, List<UssdScreenCount> counts) {
    if (day == null) {
      throw new InvalidInputException("day is required");
    }
    if (counts.size() > MAX_SCREENS_PER_WRITE) {
      throw new InvalidInputException("at most " + MAX_SCREENS_PER_WRITE + " screens per write");
    }
    if (counts.isEmpty()) {
      return;
    }
    dsl.transaction(
        cfg -> {
          var tx = DSL.using(cfg);
          // Sorted by screen so two nodes adding the same rows lock them in the same order.
          for (UssdScreenCount c :
              counts.stream()
                  .sorted(java.util.Comparator.comparing(UssdScreenCount::screen))
                  .toList()) {
            tx.insertInto(USSD_SCREEN_STATS)
                .set(USSD_SCREEN_STATS.DAY, day)
                .set(USSD_SCREEN_STATS.SCREEN, c.screen())
                .set(USSD_SCREEN_STATS.STARTED, c.started())
                .set(USSD_SCREEN_STATS.SHOWN, c.shown())
                .set(USSD_SCREEN_STATS.ANSWERED, c.answered())
                .set(USSD_SCREEN_STATS.ENDED, c.ended())
                .onConflict(USSD_SCREEN_STATS.DAY, USSD_SCREEN_STATS.SCREEN)
                .doUpdate()
                .set(USSD_SCREEN_STATS.STARTED, USSD_SCREEN_STATS.STARTED.plus(c.started()))
                .set(USSD_SCREEN_STATS.SHOWN, USSD_SCREEN_STATS.SHOWN.plus(c.shown()))
                .set(USSD_SCREEN_STATS.ANSWERED, USSD_SCREEN_STATS.ANSWERED.plus(c.answered()))
                .set(USSD_SCREEN_STATS.ENDED, USSD_SCREEN_STATS.ENDED.plus(c.ended()))
                .execute();
          }
        });
  }

  /** The range's counts summed per screen, most drop-offs first. */
  List<UssdScreenCount> read(DateRange range) {
    var started = DSL.sum(USSD_SCREEN_STATS.STARTED).cast(Long.class);
    var shown = DSL.sum(USSD_SCREEN_STATS.SHOWN).cast(Long.class);
    var answered = DSL.sum(USSD_SCREEN_STATS.ANSWERED).cast(Long.class);
    var ended = DSL.sum(USSD_SCREEN_STATS.ENDED).cast(Long.class);
    return dsl.select(USSD_SCREEN_STATS.SCREEN, started, shown, answered, ended)
        .from(USSD_SCREEN_STATS)
        .where(USSD_SCREEN_STATS.DAY.between(range.from(), range.to()))
        .groupBy(USSD_SCREEN_STATS.SCREEN)
        .orderBy(shown.minus(answered).desc(), USSD_SCREEN_STATS.SCREEN)
        .fetch(
            r -> new UssdScreenCount(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
  }
}
