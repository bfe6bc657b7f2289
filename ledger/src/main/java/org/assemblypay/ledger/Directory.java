package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.COLLECTORS;
import static org.assemblypay.ledger.jooq.Tables.COLLECTOR_MARKETS;
import static org.assemblypay.ledger.jooq.Tables.MARKETS;
import static org.assemblypay.ledger.jooq.Tables.RATES;
import static org.assemblypay.ledger.jooq.Tables.TRADERS;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.assemblypay.ledger.jooq.tables.records.CollectorsRecord;
import org.assemblypay.ledger.jooq.tables.records.MarketsRecord;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Markets, traders, collectors and rates of one assembly. */
final class Directory {
  static final int MAX_PIN_ATTEMPTS = 5;
  static final long PIN_LOCK_MINUTES = 30;

  private final DSLContext dsl;
  private final Journal journal;
  private final HotReads hot;

  Directory(DSLContext dsl, Journal journal) {
    this.dsl = dsl;
    this.journal = journal;
    this.hot = new HotReads(dsl);
  }

  static short mask(Set<DayOfWeek> days) {
    int m = 0;
    for (DayOfWeek d : days) {
      m |= 1 << (d.getValue() - 1);
    }
    return (short) m;
  }

  static Set<DayOfWeek> days(Short mask) {
    Set<DayOfWeek> s = EnumSet.noneOf(DayOfWeek.class);
    if (mask != null) {
      for (DayOfWeek d : DayOfWeek.values()) {
        if ((mask & (1 << (d.getValue() - 1))) != 0) {
          s.add(d);
        }
      }
    }
    return s;
  }

  private static String required(String value, String field, int maxLength) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field + " missing");
    }
    String v = value.trim();
    if (v.length() > maxLength) {
      throw new InvalidInputException(field + " longer than " + maxLength);
    }
    return v;
  }

  private static String optional(String value, String field, int maxLength) {
    return value == null || value.isBlank() ? null : required(value, field, maxLength);
  }

  Market registerMarket(NewMarket n) {
    String code = required(n.code(), "market code", 32).toUpperCase(Locale.ROOT);
    String name = required(n.name(), "market name", 120);
    if (n.kind() == null) {
      throw new InvalidInputException("market kind missing");
    }
    try {
      long id =
          dsl.insertInto(MARKETS)
              .set(MARKETS.CODE, code)
              .set(MARKETS.NAME, name)
              .set(MARKETS.KIND, n.kind().name())
              .set(MARKETS.MARKET_DAYS_MASK, mask(n.marketDays()))
              .returningResult(MARKETS.ID)
              .fetchSingle()
              .value1();
      return new Market(id, code, name, n.kind(), n.marketDays());
    } catch (IntegrityConstraintViolationException e) {
      throw new InvalidInputException("market code already registered: " + code);
    }
  }

  List<Market> markets() {
    return dsl.selectFrom(MARKETS).orderBy(MARKETS.CODE).fetch().map(Directory::toMarket);
  }

  private static Market toMarket(MarketsRecord r) {
    return new Market(
        r.getId(),
        r.getCode(),
        r.getName(),
        MarketKind.valueOf(r.getKind()),
        days(r.getMarketDaysMask()));
  }

  MarketsRecord marketByCodeOrName(DSLContext tx, String codeOrName) {
    String v = required(codeOrName, "market", 120);
    return tx.selectFrom(MARKETS)
        .where(
            MARKETS
                .CODE
                .eq(v.toUpperCase(Locale.ROOT))
                .or(DSL.lower(MARKETS.NAME).eq(v.toLowerCase(Locale.ROOT))))
        .orderBy(MARKETS.ID)
        .limit(1)
        .fetchOptional()
        .orElseThrow(() -> new UnknownEntityException("MARKET", v));
  }

  Trader registerTrader(NewTrader n) {
    String customerNumber = required(n.customerNumber(), "customer number", 40);
    String name = required(n.name(), "trader name", 120);
    String phone = Msisdn.normalizeOptional(n.phone());
    String stall = optional(n.stall(), "stall", 40);
    String category = optional(n.category(), "category", 40);
    Language language = n.language() == null ? Language.EN : n.language();
    try {
      return dsl.transactionResult(
          cfg -> {
            DSLContext tx = cfg.dsl();
            MarketsRecord market = marketByCodeOrName(tx, n.marketCode());
            Optional<Long> id =
                tx.insertInto(TRADERS)
                    .set(TRADERS.CUSTOMER_NUMBER, customerNumber)
                    .set(TRADERS.NAME, name)
                    .set(TRADERS.PHONE, phone)
                    .set(TRADERS.MARKET_ID, market.getId())
                    .set(TRADERS.STALL, stall)
                    .set(TRADERS.CATEGORY, category)
                    .set(TRADERS.LANGUAGE, language.code())
                    .onConflict(TRADERS.CUSTOMER_NUMBER)
                    .doNothing()
                    .returningResult(TRADERS.ID)
                    .fetchOptional()
                    .map(r -> r.value1());
            if (id.isEmpty()) {
              throw new InvalidInputException(
                  "customer number already registered: " + customerNumber);
            }
            journal.createAccount(tx, "TRADER:" + id.get(), "TRADER", id.get());
            return new Trader(
                id.get(),
                customerNumber,
                name,
                phone,
                market.getId(),
                market.getName(),
                stall,
                category,
                language,
                ActiveStatus.ACTIVE);
          });
    } catch (IntegrityConstraintViolationException e) {
      throw new InvalidInputException("trader rejected by a database constraint");
    }
  }

  static final int MAX_BATCH = 5_000;

  /**
   * Registers many traders in one transaction: all of them or none (a duplicate customer number or
   * unknown market rejects the batch).
   */
  List<Trader> registerTraders(List<NewTrader> batch) {
    if (batch.isEmpty() || batch.size() > MAX_BATCH) {
      throw new InvalidInputException("batch size must be 1.." + MAX_BATCH);
    }
    List<NewTrader> clean = new java.util.ArrayList<>(batch.size());
    Set<String> numbers = new HashSet<>();
    for (NewTrader n : batch) {
      String customerNumber = required(n.customerNumber(), "customer number", 40);
      if (!numbers.add(customerNumber)) {
        throw new InvalidInputException("customer number twice in batch: " + customerNumber);
      }
      clean.add(
          new NewTrader(
              customerNumber,
              required(n.name(), "trader name", 120),
              Msisdn.normalizeOptional(n.phone()),
              n.marketCode(),
              optional(n.stall(), "stall", 40),
              optional(n.category(), "category", 40),
              n.language() == null ? Language.EN : n.language()));
    }
    try {
      return dsl.transactionResult(
          cfg -> {
            DSLContext tx = cfg.dsl();
            java.util.Map<String, MarketsRecord> markets = new java.util.HashMap<>();
            var insert =
                tx.insertInto(
                    TRADERS,
                    TRADERS.CUSTOMER_NUMBER,
                    TRADERS.NAME,
                    TRADERS.PHONE,
                    TRADERS.MARKET_ID,
                    TRADERS.STALL,
                    TRADERS.CATEGORY,
                    TRADERS.LANGUAGE);
            for (NewTrader n : clean) {
              MarketsRecord m =
                  markets.computeIfAbsent(n.marketCode(), code -> marketByCodeOrName(tx, code));
              insert =
                  insert.values(
                      n.customerNumber(),
                      n.name(),
                      n.phone(),
                      m.getId(),
                      n.stall(),
                      n.category(),
                      n.language().code());
            }
            List<Long> ids = insert.returningResult(TRADERS.ID).fetch(r -> r.value1());
            var accounts =
                tx.insertInto(
                    org.assemblypay.ledger.jooq.Tables.ACCOUNTS,
                    org.assemblypay.ledger.jooq.Tables.ACCOUNTS.CODE,
                    org.assemblypay.ledger.jooq.Tables.ACCOUNTS.KIND,
                    org.assemblypay.ledger.jooq.Tables.ACCOUNTS.OWNER_ID);
            for (Long id : ids) {
              accounts = accounts.values("TRADER:" + id, "TRADER", id);
            }
            accounts.execute();
            List<Trader> out = new java.util.ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
              NewTrader n = clean.get(i);
              MarketsRecord m = markets.get(n.marketCode());
              out.add(
                  new Trader(
                      ids.get(i),
                      n.customerNumber(),
                      n.name(),
                      n.phone(),
                      m.getId(),
                      m.getName(),
                      n.stall(),
                      n.category(),
                      n.language(),
                      ActiveStatus.ACTIVE));
            }
            return out;
          });
    } catch (IntegrityConstraintViolationException e) {
      throw new InvalidInputException("batch rejected: a customer number is already registered");
    }
  }

  Trader updateTrader(long traderId, TraderUpdate u) {
    String name = required(u.name(), "trader name", 120);
    String phone = Msisdn.normalizeOptional(u.phone());
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          MarketsRecord market = marketByCodeOrName(tx, u.marketCode());
          int n =
              tx.update(TRADERS)
                  .set(TRADERS.NAME, name)
                  .set(TRADERS.PHONE, phone)
                  .set(TRADERS.MARKET_ID, market.getId())
                  .set(TRADERS.STALL, optional(u.stall(), "stall", 40))
                  .set(TRADERS.CATEGORY, optional(u.category(), "category", 40))
                  .set(TRADERS.UPDATED_AT, DSL.currentOffsetDateTime())
                  .where(TRADERS.ID.eq(traderId))
                  .execute();
          if (n == 0) {
            throw new UnknownEntityException("TRADER", traderId);
          }
          return trader(tx, traderId).orElseThrow();
        });
  }

  Trader setTraderLanguage(long traderId, Language language) {
    if (language == null) {
      throw new InvalidInputException("language missing");
    }
    return setTrader(traderId, language.code(), null);
  }

  Trader suspendTrader(long traderId) {
    return setTrader(traderId, null, ActiveStatus.SUSPENDED);
  }

  private Trader setTrader(long traderId, String language, ActiveStatus status) {
    var update = dsl.update(TRADERS).set(TRADERS.UPDATED_AT, DSL.currentOffsetDateTime());
    if (language != null) {
      update = update.set(TRADERS.LANGUAGE, language);
    }
    if (status != null) {
      update = update.set(TRADERS.STATUS, status.name());
    }
    if (update.where(TRADERS.ID.eq(traderId)).execute() == 0) {
      throw new UnknownEntityException("TRADER", traderId);
    }
    return trader(dsl, traderId).orElseThrow();
  }

  Optional<Trader> trader(DSLContext ctx, long traderId) {
    if (ctx == dsl) {
      // Outside a transaction (a USSD hop, the API): the statement rendered once.
      return hot.trader(traderId);
    }
    return traders(ctx, TRADERS.ID.eq(traderId), 0, 1).stream().findFirst();
  }

  Optional<Trader> traderByCustomerNumber(String customerNumber) {
    if (customerNumber == null) {
      return Optional.empty();
    }
    return traders(dsl, TRADERS.CUSTOMER_NUMBER.eq(customerNumber.trim()), 0, 1).stream()
        .findFirst();
  }

  List<Trader> tradersByPhone(String msisdn) {
    return hot.tradersByPhone(Msisdn.normalize(msisdn));
  }

  List<Trader> searchTraders(String q, int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > 100) {
      throw new InvalidInputException("offset >= 0 and 1 <= limit <= 100");
    }
    String term = q == null ? "" : q.trim();
    String like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return traders(
        dsl,
        TRADERS
            .NAME
            .likeIgnoreCase(like, '\\')
            .or(TRADERS.CUSTOMER_NUMBER.likeIgnoreCase(like, '\\'))
            .or(TRADERS.PHONE.like(like, '\\')),
        offset,
        limit);
  }

  private List<Trader> traders(DSLContext ctx, org.jooq.Condition where, int offset, int limit) {
    return ctx.select(TRADERS.asterisk(), MARKETS.NAME)
        .from(TRADERS)
        .join(MARKETS)
        .on(MARKETS.ID.eq(TRADERS.MARKET_ID))
        .where(where)
        .orderBy(TRADERS.NAME, TRADERS.ID)
        .offset(offset)
        .limit(limit)
        .fetch()
        .map(Directory::toTrader);
  }

  private static Trader toTrader(Record r) {
    return new Trader(
        r.get(TRADERS.ID),
        r.get(TRADERS.CUSTOMER_NUMBER),
        r.get(TRADERS.NAME),
        r.get(TRADERS.PHONE),
        r.get(TRADERS.MARKET_ID),
        r.get(MARKETS.NAME),
        r.get(TRADERS.STALL),
        r.get(TRADERS.CATEGORY),
        Language.ofCode(r.get(TRADERS.LANGUAGE)),
        ActiveStatus.valueOf(r.get(TRADERS.STATUS)));
  }

  Collector registerCollector(NewCollector n) {
    String staff = required(n.staffNumber(), "staff number", 40);
    String name = required(n.name(), "collector name", 120);
    String phone = Msisdn.normalize(n.phone());
    String hash = PinHasher.hash(n.pin());
    try {
      return dsl.transactionResult(
          cfg -> {
            DSLContext tx = cfg.dsl();
            Set<Long> marketIds = marketIds(tx, n.marketCodes());
            long id =
                tx.insertInto(COLLECTORS)
                    .set(COLLECTORS.STAFF_NUMBER, staff)
                    .set(COLLECTORS.NAME, name)
                    .set(COLLECTORS.PHONE, phone)
                    .set(COLLECTORS.PIN_HASH, hash)
                    .returningResult(COLLECTORS.ID)
                    .fetchSingle()
                    .value1();
            writeMarkets(tx, id, marketIds);
            journal.createAccount(tx, "COLLECTOR_CASH:" + id, "COLLECTOR_CASH", id);
            return collector(tx, id).orElseThrow();
          });
    } catch (IntegrityConstraintViolationException e) {
      throw new InvalidInputException("staff number or phone already registered");
    }
  }

  private Set<Long> marketIds(DSLContext tx, Set<String> codes) {
    Set<Long> ids = new HashSet<>();
    for (String c : codes) {
      ids.add(marketByCodeOrName(tx, c).getId());
    }
    return ids;
  }

  private static void writeMarkets(DSLContext tx, long collectorId, Set<Long> marketIds) {
    tx.deleteFrom(COLLECTOR_MARKETS)
        .where(COLLECTOR_MARKETS.COLLECTOR_ID.eq(collectorId))
        .execute();
    for (Long m : marketIds) {
      tx.insertInto(COLLECTOR_MARKETS)
          .set(COLLECTOR_MARKETS.COLLECTOR_ID, collectorId)
          .set(COLLECTOR_MARKETS.MARKET_ID, m)
          .execute();
    }
  }

  Collector assignCollectorMarkets(long collectorId, Set<String> marketCodes) {
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          if (!tx.fetchExists(COLLECTORS, COLLECTORS.ID.eq(collectorId))) {
            throw new UnknownEntityException("COLLECTOR", collectorId);
          }
          writeMarkets(tx, collectorId, marketIds(tx, marketCodes));
          return collector(tx, collectorId).orElseThrow();
        });
  }

  Optional<Collector> collector(DSLContext ctx, long collectorId) {
    return ctx.selectFrom(COLLECTORS)
        .where(COLLECTORS.ID.eq(collectorId))
        .fetchOptional()
        .map(r -> toCollector(ctx, r));
  }

  Optional<Collector> collectorByPhone(String phone) {
    return dsl.selectFrom(COLLECTORS)
        .where(COLLECTORS.PHONE.eq(Msisdn.normalize(phone)))
        .fetchOptional()
        .map(r -> toCollector(dsl, r));
  }

  private static Collector toCollector(DSLContext ctx, CollectorsRecord r) {
    Set<Long> markets =
        new HashSet<>(
            ctx.select(COLLECTOR_MARKETS.MARKET_ID)
                .from(COLLECTOR_MARKETS)
                .where(COLLECTOR_MARKETS.COLLECTOR_ID.eq(r.getId()))
                .fetch(COLLECTOR_MARKETS.MARKET_ID));
    return new Collector(
        r.getId(),
        r.getStaffNumber(),
        r.getName(),
        r.getPhone(),
        markets,
        ActiveStatus.valueOf(r.getStatus()),
        Optional.ofNullable(r.getLockedUntil()).map(OffsetDateTime::toInstant));
  }

  PinCheck checkCollectorPin(String phone, String pin, Instant now) {
    String msisdn;
    try {
      msisdn = Msisdn.normalize(phone);
    } catch (InvalidInputException e) {
      return new PinCheck.UnknownCollector();
    }
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          CollectorsRecord c =
              tx.selectFrom(COLLECTORS).where(COLLECTORS.PHONE.eq(msisdn)).forUpdate().fetchOne();
          if (c == null || !c.getStatus().equals("ACTIVE")) {
            return new PinCheck.UnknownCollector();
          }
          if (c.getLockedUntil() != null && c.getLockedUntil().toInstant().isAfter(now)) {
            return new PinCheck.Locked(c.getLockedUntil().toInstant(), false);
          }
          if (pin != null && PinHasher.matches(pin, c.getPinHash())) {
            tx.update(COLLECTORS)
                .set(COLLECTORS.FAILED_PIN_COUNT, 0)
                .setNull(COLLECTORS.LOCKED_UNTIL)
                .where(COLLECTORS.ID.eq(c.getId()))
                .execute();
            return new PinCheck.Accepted(collector(tx, c.getId()).orElseThrow());
          }
          int failed = c.getFailedPinCount() + 1;
          if (failed >= MAX_PIN_ATTEMPTS) {
            Instant until = now.plus(PIN_LOCK_MINUTES, ChronoUnit.MINUTES);
            tx.update(COLLECTORS)
                .set(COLLECTORS.FAILED_PIN_COUNT, 0)
                .set(COLLECTORS.LOCKED_UNTIL, until.atOffset(ZoneOffset.UTC))
                .where(COLLECTORS.ID.eq(c.getId()))
                .execute();
            return new PinCheck.Locked(until, true);
          }
          tx.update(COLLECTORS)
              .set(COLLECTORS.FAILED_PIN_COUNT, failed)
              .where(COLLECTORS.ID.eq(c.getId()))
              .execute();
          return new PinCheck.Wrong(MAX_PIN_ATTEMPTS - failed);
        });
  }

  void resetCollectorPin(long collectorId, String newPin) {
    String hash = PinHasher.hash(newPin);
    int n =
        dsl.update(COLLECTORS)
            .set(COLLECTORS.PIN_HASH, hash)
            .set(COLLECTORS.FAILED_PIN_COUNT, 0)
            .setNull(COLLECTORS.LOCKED_UNTIL)
            .where(COLLECTORS.ID.eq(collectorId))
            .execute();
    if (n == 0) {
      throw new UnknownEntityException("COLLECTOR", collectorId);
    }
  }

  long registerRate(NewRate n) {
    if (n.item() == null || n.period() == null || n.validFrom() == null) {
      throw new InvalidInputException("rate item, period and validFrom are required");
    }
    if (n.amountPesewas() <= 0) {
      throw new InvalidAmountException("rate amount must be positive");
    }
    if (n.validTo() != null && n.validTo().isBefore(n.validFrom())) {
      throw new InvalidInputException("validTo before validFrom");
    }
    Long marketId =
        n.marketCode() == null || n.marketCode().isBlank()
            ? null
            : marketByCodeOrName(dsl, n.marketCode()).getId();
    return dsl.insertInto(RATES)
        .set(RATES.ITEM, n.item().name())
        .set(RATES.MARKET_ID, marketId)
        .set(RATES.CATEGORY, optional(n.category(), "category", 40))
        .set(RATES.AMOUNT_PESEWAS, n.amountPesewas())
        .set(RATES.PERIOD, n.period().name())
        .set(RATES.MARKET_DAYS_MASK, n.days().isEmpty() ? null : mask(n.days()))
        .set(RATES.VALID_FROM, n.validFrom())
        .set(RATES.VALID_TO, n.validTo())
        .returningResult(RATES.ID)
        .fetchSingle()
        .value1();
  }
}
