package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.CHARGES;
import static org.assemblypay.ledger.jooq.Tables.MARKETS;
import static org.assemblypay.ledger.jooq.Tables.TRADERS;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The reads a USSD hop makes (traders by phone or id, arrears, today's dues), each one statement,
 * rendered by jOOQ once per assembly and run as a plain JDBC prepared statement.
 *
 * <p>Why: rendering the query tree on every hop was a quarter of the gateway's CPU under load, and
 * arrears took six round trips. Nothing is cached but the SQL text, so a payment or an accrual is
 * visible on the very next read. The driver turns the fixed texts into server-side prepared
 * statements per connection after a few uses. Constants are inlined ({@link DSL#inline}) so that
 * the only placeholders are the named parameters, in a known order.
 */
final class HotReads {
  private static final int TRADERS_PER_PHONE = 50;

  private final DSLContext dsl;
  private final String traderById;
  private final String tradersByPhone;
  private final String arrears;
  private final String dueOnDay;

  HotReads(DSLContext dsl) {
    this.dsl = dsl;
    Param<Long> id = DSL.param("traderId", Long.class);
    Param<String> phone = DSL.param("phone", String.class);
    Param<LocalDate> day = DSL.param("day", LocalDate.class);

    this.traderById = dsl.render(traders().where(TRADERS.ID.eq(id)).limit(DSL.inline(1)));
    this.tradersByPhone =
        dsl.render(
            traders()
                .where(TRADERS.PHONE.eq(phone))
                .orderBy(TRADERS.NAME, TRADERS.ID)
                .limit(DSL.inline(TRADERS_PER_PHONE)));

    // Per item, plus a grand-total row (item null) for the distinct days and the oldest date.
    Field<Long> remaining =
        DSL.sum(CHARGES.AMOUNT_PESEWAS.minus(CHARGES.PAID_PESEWAS))
            .cast(Long.class)
            .as("remaining");
    Table<?> open =
        DSL.lateral(
                DSL.select(
                        CHARGES.ITEM.as("item"),
                        remaining,
                        DSL.countDistinct(CHARGES.DUE_DATE).as("days"),
                        DSL.min(CHARGES.DUE_DATE).as("oldest"))
                    .from(CHARGES)
                    .where(CHARGES.TRADER_ID.eq(TRADERS.ID), CHARGES.STATUS.eq(DSL.inline("OPEN")))
                    .groupBy(DSL.groupingSets(List.of(CHARGES.ITEM), List.of())))
            .as("open");
    Field<LocalDate> lastPaid =
        DSL.field(
                DSL.select(DSL.max(TRANSFERS.BUSINESS_DATE))
                    .from(TRANSFERS)
                    .where(
                        TRANSFERS.TRADER_ID.eq(TRADERS.ID),
                        TRANSFERS.KIND.in(DSL.inline("MOMO_PAYMENT"), DSL.inline("CASH_PAYMENT"))))
            .as("last_paid");
    this.arrears =
        dsl.render(
            DSL.select(
                    ACCOUNTS.BALANCE_PESEWAS,
                    lastPaid,
                    open.field("item"),
                    open.field("remaining"),
                    open.field("days"),
                    open.field("oldest"))
                .from(TRADERS)
                .join(ACCOUNTS)
                .on(ACCOUNTS.KIND.eq(DSL.inline("TRADER")), ACCOUNTS.OWNER_ID.eq(TRADERS.ID))
                .leftJoin(open)
                .on(DSL.trueCondition())
                .where(TRADERS.ID.eq(id)));

    // The day's bind comes first: the subquery is rendered before the WHERE clause.
    this.dueOnDay =
        dsl.render(
            DSL.select(
                    TRADERS.ID,
                    DSL.field(
                        DSL.select(
                                DSL.sum(CHARGES.AMOUNT_PESEWAS.minus(CHARGES.PAID_PESEWAS))
                                    .cast(Long.class))
                            .from(CHARGES)
                            .where(
                                CHARGES.TRADER_ID.eq(TRADERS.ID),
                                CHARGES.STATUS.eq(DSL.inline("OPEN")),
                                CHARGES.DUE_DATE.eq(day))))
                .from(TRADERS)
                .where(TRADERS.ID.eq(id)));
  }

  private static org.jooq.SelectJoinStep<?> traders() {
    List<SelectFieldOrAsterisk> columns =
        List.of(
            TRADERS.ID,
            TRADERS.CUSTOMER_NUMBER,
            TRADERS.NAME,
            TRADERS.PHONE,
            TRADERS.MARKET_ID,
            MARKETS.NAME,
            TRADERS.STALL,
            TRADERS.CATEGORY,
            TRADERS.LANGUAGE,
            TRADERS.STATUS);
    return DSL.select(columns).from(TRADERS).join(MARKETS).on(MARKETS.ID.eq(TRADERS.MARKET_ID));
  }

  /** The SQL texts, for tests that check what is rendered. */
  List<String> statements() {
    return List.of(traderById, tradersByPhone, arrears, dueOnDay);
  }

  Optional<Trader> trader(long traderId) {
    return run(
        traderById,
        ps -> ps.setLong(1, traderId),
        rs -> rs.next() ? Optional.of(toTrader(rs)) : Optional.<Trader>empty());
  }

  List<Trader> tradersByPhone(String msisdn) {
    return run(
        tradersByPhone,
        ps -> ps.setString(1, msisdn),
        rs -> {
          List<Trader> traders = new ArrayList<>();
          while (rs.next()) {
            traders.add(toTrader(rs));
          }
          return traders;
        });
  }

  Arrears arrears(long traderId) {
    return run(
        arrears,
        ps -> ps.setLong(1, traderId),
        rs -> {
          if (!rs.next()) {
            throw new UnknownEntityException("TRADER", traderId);
          }
          long balance = rs.getLong(1);
          Date lastPaid = rs.getDate(2);
          Map<ChargeItem, Long> byItem = new EnumMap<>(ChargeItem.class);
          long total = 0;
          int days = 0;
          Date oldest = null;
          do {
            String item = rs.getString(3);
            long owed = rs.getLong(4);
            if (item == null) {
              days = rs.getInt(5);
              oldest = rs.getDate(6);
            } else {
              byItem.put(ChargeItem.valueOf(item), owed);
              total += owed;
            }
          } while (rs.next());
          return new Arrears(
              traderId,
              total,
              byItem,
              days,
              Optional.ofNullable(oldest).map(Date::toLocalDate),
              Optional.ofNullable(lastPaid).map(Date::toLocalDate),
              Math.max(0, total - balance));
        });
  }

  long amountDue(long traderId, LocalDate day) {
    return run(
        dueOnDay,
        ps -> {
          ps.setObject(1, day);
          ps.setLong(2, traderId);
        },
        rs -> {
          if (!rs.next()) {
            throw new UnknownEntityException("TRADER", traderId);
          }
          return rs.getLong(2);
        });
  }

  private static Trader toTrader(ResultSet rs) throws SQLException {
    return new Trader(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        Language.ofCode(rs.getString(9)),
        ActiveStatus.valueOf(rs.getString(10)));
  }

  /** Binds the statement's values. */
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Reads the rows. */
  private interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Borrows a pooled connection straight from the provider (no jOOQ execution scope per read). */
  private <T> T run(String sql, Binder binder, Reader<T> reader) {
    ConnectionProvider provider = dsl.configuration().connectionProvider();
    Connection connection = provider.acquire();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return reader.read(rs);
      }
    } catch (SQLException e) {
      throw new DataAccessException("hot read failed: " + e.getMessage(), e);
    } finally {
      provider.release(connection);
    }
  }
}
