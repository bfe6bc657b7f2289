package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.CHARGES;
import static org.assemblypay.ledger.jooq.Tables.MARKETS;
import static org.assemblypay.ledger.jooq.Tables.POSTINGS;
import static org.assemblypay.ledger.jooq.Tables.RATES;
import static org.assemblypay.ledger.jooq.Tables.TRADERS;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.assemblypay.ledger.jooq.tables.Accounts;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Sequence;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Posts one day's dues for every active trader with a few set-based statements: charges, one
 * accrual transfer (trader receivables against revenue), then credit pays the new charges.
 */
final class Accrual {
  private final DSLContext dsl;
  private final Journal journal;
  private final Sequence<Long> transferIds;
  private final long lockKey;

  Accrual(DSLContext dsl, Journal journal) {
    this.dsl = dsl;
    this.journal = journal;
    String schema = journal.assembly().schemaName();
    this.transferIds = DSL.sequence(DSL.name(schema, "transfers_id_seq"), SQLDataType.BIGINT);
    this.lockKey = 0x4143_4352_0000_0000L ^ schema.hashCode();
  }

  AccrualResult accrue(LocalDate day) {
    if (day == null) {
      throw new InvalidInputException("day missing");
    }
    return dsl.transactionResult(cfg -> accrue(cfg.dsl(), day));
  }

  private AccrualResult accrue(DSLContext tx, LocalDate day) {
    // One accrual at a time per assembly; payments are not blocked by this lock.
    tx.select(DSL.function("pg_advisory_xact_lock", SQLDataType.OTHER, DSL.val(lockKey))).fetch();
    long transferId = tx.select(transferIds.nextval()).fetchSingle().value1();

    // The most specific rate in force decides (market and category > market > category > any);
    // only then is it asked whether it applies on this day.
    Field<Long> traderId = TRADERS.ID.as("trader_id");
    Field<String> item = RATES.ITEM.as("item");
    Field<String> period = RATES.PERIOD.as("period");
    Field<Long> amount = RATES.AMOUNT_PESEWAS.as("amount");
    Field<Short> daysMask =
        DSL.coalesce(RATES.MARKET_DAYS_MASK, MARKETS.MARKET_DAYS_MASK).as("days_mask");
    Table<?> best =
        DSL.select(traderId, item, period, amount, daysMask)
            .distinctOn(TRADERS.ID, RATES.ITEM)
            .from(TRADERS)
            .join(MARKETS)
            .on(MARKETS.ID.eq(TRADERS.MARKET_ID))
            .join(RATES)
            .on(RATES.MARKET_ID.isNull().or(RATES.MARKET_ID.eq(TRADERS.MARKET_ID)))
            .and(RATES.CATEGORY.isNull().or(RATES.CATEGORY.eq(TRADERS.CATEGORY)))
            .where(TRADERS.STATUS.eq("ACTIVE"))
            .and(RATES.VALID_FROM.le(day))
            .and(RATES.VALID_TO.isNull().or(RATES.VALID_TO.ge(day)))
            .and(RATES.ITEM.ne("STALL_RENT").or(TRADERS.STALL.isNotNull()))
            .orderBy(
                TRADERS.ID,
                RATES.ITEM,
                DSL.field(RATES.MARKET_ID.isNotNull()).desc(),
                DSL.field(RATES.CATEGORY.isNotNull()).desc(),
                RATES.VALID_FROM.desc(),
                RATES.ID.desc())
            .asTable("best");
    Field<Long> bTrader = best.field(traderId);
    Field<String> bItem = best.field(item);
    Field<String> bPeriod = best.field(period);
    Field<Long> bAmount = best.field(amount);
    Field<Short> bMask = best.field(daysMask);
    short dayBit = (short) (1 << (day.getDayOfWeek().getValue() - 1));
    Condition applies = bPeriod.eq("DAY").and(bMask.bitAnd(dayBit).ne((short) 0));
    if (day.getDayOfMonth() == 1) {
      applies = applies.or(bPeriod.eq("MONTH"));
    }
    Field<String> periodKey =
        DSL.when(bPeriod.eq("DAY"), DSL.inline(day.toString()))
            .otherwise(DSL.inline(YearMonth.from(day).toString()));

    int created =
        tx.insertInto(
                CHARGES,
                CHARGES.TRADER_ID,
                CHARGES.ITEM,
                CHARGES.PERIOD_KEY,
                CHARGES.DUE_DATE,
                CHARGES.AMOUNT_PESEWAS,
                CHARGES.ACCRUAL_TRANSFER_ID)
            .select(
                DSL.select(bTrader, bItem, periodKey, DSL.val(day), bAmount, DSL.val(transferId))
                    .from(best)
                    .where(applies))
            .onConflict(CHARGES.TRADER_ID, CHARGES.ITEM, CHARGES.PERIOD_KEY)
            .doNothing()
            .execute();
    if (created == 0) {
      // Nothing new: the transaction commits with no transfer and no dangling charge.
      return new AccrualResult(day, 0, 0, 0);
    }
    long total =
        tx.select(DSL.sum(CHARGES.AMOUNT_PESEWAS).cast(Long.class))
            .from(CHARGES)
            .where(CHARGES.ACCRUAL_TRANSFER_ID.eq(transferId))
            .fetchSingle()
            .value1();
    tx.insertInto(org.assemblypay.ledger.jooq.Tables.TRANSFERS)
        .set(org.assemblypay.ledger.jooq.Tables.TRANSFERS.ID, transferId)
        .set(
            org.assemblypay.ledger.jooq.Tables.TRANSFERS.IDEMPOTENCY_KEY,
            "accrual:" + day + ":" + transferId)
        .set(org.assemblypay.ledger.jooq.Tables.TRANSFERS.KIND, "ACCRUAL")
        .set(
            org.assemblypay.ledger.jooq.Tables.TRANSFERS.CONTENT_HASH,
            Journal.hash("ACCRUAL", day, total))
        .set(org.assemblypay.ledger.jooq.Tables.TRANSFERS.AMOUNT_PESEWAS, total)
        .set(org.assemblypay.ledger.jooq.Tables.TRANSFERS.BUSINESS_DATE, day)
        .execute();

    Accounts revenue = ACCOUNTS.as("revenue");
    tx.insertInto(POSTINGS, POSTINGS.TRANSFER_ID, POSTINGS.ACCOUNT_ID, POSTINGS.AMOUNT_PESEWAS)
        .select(
            DSL.select(DSL.val(transferId), ACCOUNTS.ID, CHARGES.AMOUNT_PESEWAS)
                .from(CHARGES)
                .join(ACCOUNTS)
                .on(ACCOUNTS.KIND.eq("TRADER"), ACCOUNTS.OWNER_ID.eq(CHARGES.TRADER_ID))
                .where(CHARGES.ACCRUAL_TRANSFER_ID.eq(transferId))
                .unionAll(
                    DSL.select(
                            DSL.val(transferId),
                            revenue.ID,
                            DSL.sum(CHARGES.AMOUNT_PESEWAS).neg().cast(Long.class))
                        .from(CHARGES)
                        .join(revenue)
                        .on(revenue.CODE.eq(DSL.concat(DSL.inline("REVENUE:"), CHARGES.ITEM)))
                        .where(CHARGES.ACCRUAL_TRANSFER_ID.eq(transferId))
                        .groupBy(revenue.ID)))
        .execute();

    // A trader with credit has no open charges (invariant), so after this accrual they are
    // exactly those whose balance is below what was just charged to them.
    List<Record2<Long, Long>> withCredit =
        tx.select(CHARGES.TRADER_ID, ACCOUNTS.ID)
            .from(CHARGES)
            .join(ACCOUNTS)
            .on(ACCOUNTS.KIND.eq("TRADER"), ACCOUNTS.OWNER_ID.eq(CHARGES.TRADER_ID))
            .where(CHARGES.ACCRUAL_TRANSFER_ID.eq(transferId))
            .groupBy(CHARGES.TRADER_ID, ACCOUNTS.ID, ACCOUNTS.BALANCE_PESEWAS)
            .having(ACCOUNTS.BALANCE_PESEWAS.lt(DSL.sum(CHARGES.AMOUNT_PESEWAS).cast(Long.class)))
            .orderBy(CHARGES.TRADER_ID)
            .fetch();
    long fromCredit = 0;
    for (Record2<Long, Long> r : withCredit) {
      fromCredit += journal.rebalance(tx, r.value1(), r.value2(), transferId).allocatedPesewas();
    }
    return new AccrualResult(day, created, total, fromCredit);
  }
}
