package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.CHARGES;
import static org.assemblypay.ledger.jooq.Tables.COLLECTORS;
import static org.assemblypay.ledger.jooq.Tables.MARKETS;
import static org.assemblypay.ledger.jooq.Tables.POSTINGS;
import static org.assemblypay.ledger.jooq.Tables.RECEIPTS;
import static org.assemblypay.ledger.jooq.Tables.TRADERS;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.assemblypay.ledger.jooq.tables.Transfers;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Read-only views: arrears (per trader and per market), receipts, statements and collection totals
 * by day, channel, collector and market.
 */
final class Reports {
  private final DSLContext dsl;
  private final Journal journal;

  private final HotReads hot;

  Reports(DSLContext dsl, Journal journal) {
    this.dsl = dsl;
    this.journal = journal;
    this.hot = new HotReads(dsl);
  }

  private static Field<Long> remaining() {
    return DSL.sum(CHARGES.AMOUNT_PESEWAS.minus(CHARGES.PAID_PESEWAS)).cast(Long.class);
  }

  /** Unallocated money of a trader: open charges minus account balance (never negative). */
  static long credit(DSLContext ctx, long traderId, long accountId) {
    long open =
        Optional.ofNullable(
                ctx.select(remaining())
                    .from(CHARGES)
                    .where(CHARGES.TRADER_ID.eq(traderId), CHARGES.STATUS.eq("OPEN"))
                    .fetchSingle()
                    .value1())
            .orElse(0L);
    long balance =
        ctx.select(ACCOUNTS.BALANCE_PESEWAS)
            .from(ACCOUNTS)
            .where(ACCOUNTS.ID.eq(accountId))
            .fetchSingle()
            .value1();
    return Math.max(0, open - balance);
  }

  private Journal.TraderRow traderRow(long traderId) {
    return journal
        .trader(dsl, traderId)
        .orElseThrow(() -> new UnknownEntityException("TRADER", traderId));
  }

  /** One statement (see {@link HotReads}); throws {@link UnknownEntityException}. */
  Arrears arrears(long traderId) {
    return hot.arrears(traderId);
  }

  /** One statement (see {@link HotReads}); throws {@link UnknownEntityException}. */
  long amountDueToday(long traderId, LocalDate day) {
    return hot.amountDue(traderId, day);
  }

  Optional<ReceiptVerification> verifyReceipt(String numberOrCode) {
    if (numberOrCode == null || numberOrCode.isBlank()) {
      return Optional.empty();
    }
    String typed = numberOrCode.strip().toUpperCase(Locale.ROOT);
    org.jooq.Condition where;
    if (typed.matches("[A-Z0-9]+-\\d{4}-\\d{1,9}")) {
      where = RECEIPTS.NUMBER.eq(typed);
    } else {
      String code = Journal.normalizeCode(typed);
      if (code == null) {
        return Optional.empty();
      }
      where = RECEIPTS.VERIFICATION_CODE.eq(code);
    }
    Transfers reversal = TRANSFERS.as("reversal");
    return dsl.select(RECEIPTS.asterisk(), TRADERS.NAME, TRADERS.CUSTOMER_NUMBER, reversal.ID)
        .from(RECEIPTS)
        .join(TRADERS)
        .on(TRADERS.ID.eq(RECEIPTS.TRADER_ID))
        .leftJoin(reversal)
        .on(reversal.REVERSES_TRANSFER_ID.eq(RECEIPTS.TRANSFER_ID))
        .where(where)
        .fetchOptional()
        .map(
            r ->
                new ReceiptVerification(
                    Settlements.toReceipt(r.into(RECEIPTS)),
                    r.get(TRADERS.NAME),
                    r.get(TRADERS.CUSTOMER_NUMBER),
                    r.get(reversal.ID) != null));
  }

  List<Receipt> recentReceipts(long traderId, int limit) {
    if (limit < 1 || limit > 50) {
      throw new InvalidInputException("limit must be 1..50");
    }
    return dsl.selectFrom(RECEIPTS)
        .where(RECEIPTS.TRADER_ID.eq(traderId))
        .orderBy(RECEIPTS.ISSUED_AT.desc(), RECEIPTS.ID.desc())
        .limit(limit)
        .fetch()
        .map(Settlements::toReceipt);
  }

  Statement statement(long traderId, LocalDate from, LocalDate to) {
    if (from == null || to == null || to.isBefore(from)) {
      throw new InvalidInputException("statement needs from <= to");
    }
    Journal.TraderRow t = traderRow(traderId);
    long opening =
        Optional.ofNullable(
                dsl.select(DSL.sum(POSTINGS.AMOUNT_PESEWAS).cast(Long.class))
                    .from(POSTINGS)
                    .join(TRANSFERS)
                    .on(TRANSFERS.ID.eq(POSTINGS.TRANSFER_ID))
                    .where(POSTINGS.ACCOUNT_ID.eq(t.accountId()), TRANSFERS.BUSINESS_DATE.lt(from))
                    .fetchSingle()
                    .value1())
            .orElse(0L);
    List<Statement.Line> lines = new ArrayList<>();
    long balance = opening;
    for (Record r :
        dsl.select(
                TRANSFERS.BUSINESS_DATE, TRANSFERS.KIND, POSTINGS.AMOUNT_PESEWAS, RECEIPTS.NUMBER)
            .from(POSTINGS)
            .join(TRANSFERS)
            .on(TRANSFERS.ID.eq(POSTINGS.TRANSFER_ID))
            .leftJoin(RECEIPTS)
            .on(RECEIPTS.TRANSFER_ID.eq(TRANSFERS.ID))
            .where(POSTINGS.ACCOUNT_ID.eq(t.accountId()), TRANSFERS.BUSINESS_DATE.between(from, to))
            .orderBy(TRANSFERS.BUSINESS_DATE, POSTINGS.ID)
            .fetch()) {
      long amount = r.get(POSTINGS.AMOUNT_PESEWAS);
      balance += amount;
      lines.add(
          new Statement.Line(
              r.get(TRANSFERS.BUSINESS_DATE),
              r.get(TRANSFERS.KIND),
              amount,
              balance,
              r.get(RECEIPTS.NUMBER)));
    }
    return new Statement(traderId, from, to, opening, lines, balance);
  }

  CollectorDay collectorDay(long collectorId, LocalDate day) {
    long account;
    try {
      account = journal.collectorAccount(dsl, collectorId);
    } catch (org.jooq.exception.NoDataFoundException e) {
      throw new UnknownEntityException("COLLECTOR", collectorId);
    }
    var r =
        dsl.select(
                DSL.count(DSL.when(TRANSFERS.KIND.eq("CASH_PAYMENT"), TRANSFERS.ID)),
                DSL.sum(POSTINGS.AMOUNT_PESEWAS).cast(Long.class))
            .from(POSTINGS)
            .join(TRANSFERS)
            .on(TRANSFERS.ID.eq(POSTINGS.TRANSFER_ID))
            .where(POSTINGS.ACCOUNT_ID.eq(account), TRANSFERS.BUSINESS_DATE.eq(day))
            .fetchSingle();
    return new CollectorDay(
        collectorId, day, r.value1(), Optional.ofNullable(r.value2()).orElse(0L));
  }

  List<MarketCollections> collectionsByMarket(LocalDate day) {
    Transfers original = TRANSFERS.as("original");
    Field<String> channel = DSL.coalesce(original.KIND, TRANSFERS.KIND);
    // Money received is the credit side of the trader's account; a reversal counts against the
    // channel of the payment it reverses.
    Field<Long> received = DSL.sum(POSTINGS.AMOUNT_PESEWAS.neg()).cast(Long.class);
    Field<Long> momo =
        DSL.sum(DSL.when(channel.eq("MOMO_PAYMENT"), POSTINGS.AMOUNT_PESEWAS.neg()).otherwise(0L))
            .cast(Long.class);
    Field<Long> cash =
        DSL.sum(DSL.when(channel.eq("CASH_PAYMENT"), POSTINGS.AMOUNT_PESEWAS.neg()).otherwise(0L))
            .cast(Long.class);
    Field<Integer> count = DSL.count(DSL.when(TRANSFERS.KIND.ne("REVERSAL"), TRANSFERS.ID));
    return dsl.select(MARKETS.ID, MARKETS.NAME, momo, cash, count, received)
        .from(TRANSFERS)
        .leftJoin(original)
        .on(original.ID.eq(TRANSFERS.REVERSES_TRANSFER_ID))
        .join(TRADERS)
        .on(TRADERS.ID.eq(TRANSFERS.TRADER_ID))
        .join(MARKETS)
        .on(MARKETS.ID.eq(TRADERS.MARKET_ID))
        .join(ACCOUNTS)
        .on(ACCOUNTS.KIND.eq("TRADER"), ACCOUNTS.OWNER_ID.eq(TRADERS.ID))
        .join(POSTINGS)
        .on(POSTINGS.TRANSFER_ID.eq(TRANSFERS.ID), POSTINGS.ACCOUNT_ID.eq(ACCOUNTS.ID))
        .where(TRANSFERS.BUSINESS_DATE.eq(day))
        .and(channel.in("MOMO_PAYMENT", "CASH_PAYMENT"))
        .groupBy(MARKETS.ID, MARKETS.NAME)
        .orderBy(MARKETS.NAME)
        .fetch(
            r ->
                new MarketCollections(
                    r.value1(), r.value2(), day, r.value3(), r.value4(), r.value5()));
  }

  static final int MAX_ARREARS_PAGE = 200;

  /** Open charges per market (every market, owing or not), sorted and paged. */
  Page<MarketArrears> arrearsByMarket(ArrearsOrder order, int offset, int limit) {
    Page.check(offset, limit, MAX_ARREARS_PAGE);
    long total = dsl.fetchCount(MARKETS);
    var owed =
        DSL.coalesce(
            DSL.sum(CHARGES.AMOUNT_PESEWAS.minus(CHARGES.PAID_PESEWAS)).cast(Long.class),
            DSL.inline(0L));
    var owing = DSL.countDistinct(CHARGES.TRADER_ID);
    var traders = DSL.countDistinct(TRADERS.ID);
    var oldest = DSL.min(CHARGES.DUE_DATE);
    List<org.jooq.SortField<?>> sort =
        switch (order) {
          case ARREARS_DESC -> List.of(owed.desc(), MARKETS.NAME.asc(), MARKETS.ID.asc());
          case TRADERS_OWING_DESC -> List.of(owing.desc(), MARKETS.NAME.asc(), MARKETS.ID.asc());
          case NAME -> List.of(MARKETS.NAME.asc(), MARKETS.ID.asc());
        };
    List<MarketArrears> items =
        dsl.select(MARKETS.ID, MARKETS.CODE, MARKETS.NAME, owed, owing, traders, oldest)
            .from(MARKETS)
            .leftJoin(TRADERS)
            .on(TRADERS.MARKET_ID.eq(MARKETS.ID))
            .leftJoin(CHARGES)
            .on(CHARGES.TRADER_ID.eq(TRADERS.ID), CHARGES.STATUS.eq("OPEN"))
            .groupBy(MARKETS.ID, MARKETS.CODE, MARKETS.NAME)
            .orderBy(sort)
            .offset(offset)
            .limit(limit)
            .fetch(
                r ->
                    new MarketArrears(
                        r.value1(),
                        r.value2(),
                        r.value3(),
                        r.value4(),
                        r.value5(),
                        r.value6(),
                        Optional.ofNullable(r.value7())));
    return new Page<>(items, offset, limit, total);
  }

  /**
   * Money received over business days, grouped by day, channel, collector or market; as {@link
   * #collectionsByMarket} counts it (the credit side of traders' accounts, reversals against the
   * channel and collector of what they reverse).
   */
  List<CollectionTotals> collectionTotals(DateRange range, CollectionGrouping grouping) {
    Transfers original = TRANSFERS.as("original");
    Field<String> channel = DSL.coalesce(original.KIND, TRANSFERS.KIND);
    Field<Long> momo =
        DSL.sum(DSL.when(channel.eq("MOMO_PAYMENT"), POSTINGS.AMOUNT_PESEWAS.neg()).otherwise(0L))
            .cast(Long.class);
    Field<Long> cash =
        DSL.sum(DSL.when(channel.eq("CASH_PAYMENT"), POSTINGS.AMOUNT_PESEWAS.neg()).otherwise(0L))
            .cast(Long.class);
    Field<Integer> count = DSL.count(DSL.when(TRANSFERS.KIND.ne("REVERSAL"), TRANSFERS.ID));
    Field<Long> collectorId = DSL.coalesce(original.COLLECTOR_ID, TRANSFERS.COLLECTOR_ID);
    Field<String> key;
    Field<String> label;
    switch (grouping) {
      case DAY -> {
        key = TRANSFERS.BUSINESS_DATE.cast(String.class);
        label = key;
      }
      case CHANNEL -> {
        key = channel;
        label =
            DSL.when(channel.eq("MOMO_PAYMENT"), DSL.inline("Mobile money"))
                .otherwise(DSL.inline("Cash"));
      }
      case COLLECTOR -> {
        key = DSL.coalesce(collectorId.cast(String.class), DSL.inline(""));
        label = DSL.coalesce(COLLECTORS.NAME, DSL.inline("Mobile money (no collector)"));
      }
      case MARKET -> {
        key = MARKETS.ID.cast(String.class);
        label = MARKETS.NAME;
      }
      default -> throw new IllegalArgumentException(grouping.name());
    }
    return dsl.select(key, label, momo, cash, count)
        .from(TRANSFERS)
        .leftJoin(original)
        .on(original.ID.eq(TRANSFERS.REVERSES_TRANSFER_ID))
        .join(TRADERS)
        .on(TRADERS.ID.eq(TRANSFERS.TRADER_ID))
        .join(MARKETS)
        .on(MARKETS.ID.eq(TRADERS.MARKET_ID))
        .leftJoin(COLLECTORS)
        .on(COLLECTORS.ID.eq(collectorId))
        .join(ACCOUNTS)
        .on(ACCOUNTS.KIND.eq("TRADER"), ACCOUNTS.OWNER_ID.eq(TRADERS.ID))
        .join(POSTINGS)
        .on(POSTINGS.TRANSFER_ID.eq(TRANSFERS.ID), POSTINGS.ACCOUNT_ID.eq(ACCOUNTS.ID))
        .where(TRANSFERS.BUSINESS_DATE.between(range.from(), range.to()))
        .and(channel.in("MOMO_PAYMENT", "CASH_PAYMENT"))
        .groupBy(key, label)
        .orderBy(grouping == CollectionGrouping.DAY ? key.asc() : momo.plus(cash).desc(), key)
        .fetch(
            r -> new CollectionTotals(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
  }
}
