package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.PAYMENTS;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The payment statements every USSD confirmation runs (the intent by reference, INITIATED →
 * PENDING), rendered by jOOQ once per assembly and run as plain JDBC prepared statements.
 *
 * <p>Why: rendering the query tree per call, and the lock-then-update transaction of {@code
 * markPending}, were about a sixth of the gateway's CPU under the USSD load. The move to PENDING is
 * now one {@code UPDATE … WHERE status = 'INITIATED' RETURNING}, atomic on its own (autocommit), so
 * it needs neither a row lock held across round trips nor a transaction block.
 */
final class PaymentStatements {
  private final DSLContext dsl;
  private final String byReference;
  private final String markPending;

  PaymentStatements(DSLContext dsl) {
    this.dsl = dsl;
    Param<UUID> reference = DSL.param("reference", UUID.class);
    Param<OffsetDateTime> at = DSL.param("at", OffsetDateTime.class);
    this.byReference =
        dsl.render(
            DSL.select(PAYMENTS.fields()).from(PAYMENTS).where(PAYMENTS.REFERENCE.eq(reference)));
    // The SET clause's bind comes first.
    this.markPending =
        dsl.render(
            DSL.update(PAYMENTS)
                .set(PAYMENTS.STATUS, DSL.inline("PENDING"))
                .set(PAYMENTS.UPDATED_AT, at)
                .where(
                    PAYMENTS.REFERENCE.eq(reference), PAYMENTS.STATUS.eq(DSL.inline("INITIATED")))
                .returning(PAYMENTS.fields()));
  }

  /** The SQL texts, for tests that check what is rendered. */
  String[] statements() {
    return new String[] {byReference, markPending};
  }

  Optional<Payment> find(UUID reference) {
    return one(byReference, reference, null);
  }

  /**
   * Moves an INITIATED payment to PENDING; any other status is left as it is. Returns the payment
   * as it stands afterwards.
   */
  Payment markPending(UUID reference, Instant now) {
    return one(markPending, reference, Payments.utc(now))
        .or(() -> find(reference))
        .orElseThrow(() -> new UnknownEntityException("PAYMENT", reference));
  }

  /** Runs a statement whose binds are (at, if given) then the reference; at most one row back. */
  private Optional<Payment> one(String sql, UUID reference, OffsetDateTime at) {
    ConnectionProvider provider = dsl.configuration().connectionProvider();
    Connection connection = provider.acquire();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int i = 1;
      if (at != null) {
        ps.setObject(i++, at);
      }
      ps.setObject(i, reference);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(toPayment(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new DataAccessException("payment statement failed: " + e.getMessage(), e);
    } finally {
      provider.release(connection);
    }
  }

  /** The payment in the current row of a result with every column of {@code payments}. */
  static Payment toPayment(ResultSet rs) throws SQLException {
    long transferId = rs.getLong("transfer_id");
    Optional<Long> transfer = rs.wasNull() ? Optional.empty() : Optional.of(transferId);
    OffsetDateTime nextPoll = rs.getObject("next_poll_at", OffsetDateTime.class);
    return new Payment(
        rs.getLong("id"),
        rs.getObject("reference", UUID.class),
        rs.getString("provider"),
        rs.getLong("trader_id"),
        rs.getString("payer_msisdn"),
        rs.getLong("amount_pesewas"),
        PaymentPurpose.valueOf(rs.getString("purpose")),
        Language.ofCode(rs.getString("payer_language")),
        PaymentStatus.valueOf(rs.getString("status")),
        Optional.ofNullable(rs.getString("provider_txn_id")),
        Optional.ofNullable(rs.getString("failure_reason")),
        rs.getBoolean("suspense"),
        transfer,
        rs.getInt("attempts"),
        Optional.ofNullable(nextPoll).map(OffsetDateTime::toInstant),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(rs.getString("network")),
        Optional.ofNullable(rs.getString("correlation_id")));
  }
}
