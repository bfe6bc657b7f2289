package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.control.Tables.PARKED_DELIVERY_REPORTS;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The control schema's parked delivery reports (D210): final reports that matched no outbox row
 * when they arrived, stored before the SMSC is answered and applied later, by the node that parked
 * them once the submission is recorded, or by any node's sweep. Knows nothing of the outboxes: the
 * gateway applies a parked report and then deletes it.
 */
public final class ParkedDeliveryReports {

  /**
   * One parked report.
   *
   * @param id the row's id
   * @param update what to apply to the outbox row holding the message id under the report's SMSC
   *     (its {@code smsc} is {@code ""} for a row parked before control migration V4 whose
   *     connection is no longer configured, see {@link #assignSmsc})
   * @param rawState the state as the SMSC wrote it
   * @param connectionName the SMSC connection it came in on
   * @param receivedAt when the gateway received it
   * @param attempts sweeps that tried it so far (counting the claim that returned it)
   */
  public record Parked(
      long id,
      DeliveryUpdate update,
      String rawState,
      String connectionName,
      Instant receivedAt,
      int attempts) {}

  /**
   * When a claimed row is due again: a tenth of its age, at least {@code minDelay}, at most {@code
   * youngCap} while it is younger than {@code youngFor} and at most {@code oldCap} after.
   */
  public record Backoff(Duration minDelay, Duration youngFor, Duration youngCap, Duration oldCap) {
    /** Checks the bounds. */
    public Backoff {
      Objects.requireNonNull(minDelay, "minDelay");
      Objects.requireNonNull(youngFor, "youngFor");
      Objects.requireNonNull(youngCap, "youngCap");
      Objects.requireNonNull(oldCap, "oldCap");
      if (minDelay.isNegative()
          || youngCap.compareTo(minDelay) < 0
          || oldCap.compareTo(youngCap) < 0) {
        throw new InvalidInputException("parked-report back-off: min <= young cap <= old cap");
      }
    }
  }

  private final DSLContext control;
  // Rendered once: parking is on the path of a deliver_sm (answered only after it commits).
  private final String parkSql;

  ParkedDeliveryReports(DSLContext control) {
    this.control = control;
    var p = PARKED_DELIVERY_REPORTS;
    this.parkSql =
        control.render(
            DSL.insertInto(p)
                .set(p.SMSC, DSL.param("smsc", String.class))
                .set(p.MESSAGE_ID, DSL.param("message_id", String.class))
                .set(p.STATE, DSL.param("state", String.class))
                .set(p.RAW_STATE, DSL.param("raw_state", String.class))
                .set(p.ERROR_CODE, DSL.param("error_code", String.class))
                .set(p.HANDSET, DSL.param("handset", String.class))
                .set(p.TEXT_START, DSL.param("text_start", String.class))
                .set(p.CONNECTION_NAME, DSL.param("connection_name", String.class))
                .set(p.RECEIVED_AT, DSL.param("received_at", OffsetDateTime.class))
                .set(p.NEXT_TRY_AT, DSL.param("next_try_at", OffsetDateTime.class))
                .onConflict(p.SMSC, p.MESSAGE_ID, p.STATE)
                .doNothing()
                .returning(p.ID));
  }

  /**
   * Parks a report in one autocommitted statement; returns once it is durable.
   *
   * @param firstTryAt when the sweep may first try it
   * @return the new row's id, or -1 if the same report (SMSC, id, state) was parked already
   * @throws DataAccessException if it could not be stored (the SMSC must then be answered with an
   *     error, so it delivers the report again)
   */
  public long park(
      DeliveryUpdate update,
      String rawState,
      String connectionName,
      Instant receivedAt,
      Instant firstTryAt) {
    if (update == null
        || update.messageId() == null
        || update.messageId().isBlank()
        || update.messageId().length() > 100
        || update.state() == null
        || update.smsc() == null
        || update.smsc().isBlank()
        || update.smsc().length() > 100) {
      throw new InvalidInputException("an SMSC and a message id of 1..100 characters and a state");
    }
    if (connectionName == null || connectionName.isBlank() || connectionName.length() > 100) {
      throw new InvalidInputException("connection name of 1..100 characters");
    }
    ConnectionProvider provider = control.configuration().connectionProvider();
    Connection connection = provider.acquire();
    try (PreparedStatement ps = connection.prepareStatement(parkSql)) {
      ps.setString(1, update.smsc());
      ps.setString(2, update.messageId());
      ps.setString(3, update.state().name());
      ps.setString(4, clip(rawState == null ? "" : rawState, 20));
      ps.setString(5, update.errorCode() == null ? null : clip(update.errorCode(), 20));
      ps.setString(6, update.recipientMsisdn() == null ? null : clip(update.recipientMsisdn(), 32));
      ps.setString(7, update.textStart() == null ? null : clip(update.textStart(), 40));
      ps.setString(8, connectionName);
      ps.setObject(9, Payments.utc(receivedAt));
      ps.setObject(10, Payments.utc(firstTryAt));
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    } catch (SQLException e) {
      throw new DataAccessException("delivery report not parked: " + e.getMessage(), e);
    } finally {
      provider.release(connection);
    }
  }

  /**
   * The parked reports for any of these parts, each from the part's own SMSC (one indexed read of
   * the key (smsc, message_id, state); pairs the arrays cross-match are dropped here).
   */
  public List<Parked> withMessageIds(Collection<SmscMessageId> parts) {
    if (parts.isEmpty()) {
      return List.of();
    }
    var p = PARKED_DELIVERY_REPORTS;
    Set<SmscMessageId> wanted = new HashSet<>(parts);
    return control
        .select(
            p.ID,
            p.SMSC,
            p.MESSAGE_ID,
            p.STATE,
            p.RAW_STATE,
            p.ERROR_CODE,
            p.HANDSET,
            p.TEXT_START,
            p.CONNECTION_NAME,
            p.RECEIVED_AT,
            p.ATTEMPTS)
        .from(p)
        .where(p.SMSC.eq(DSL.any(wanted.stream().map(SmscMessageId::smsc).toArray(String[]::new))))
        .and(
            p.MESSAGE_ID.eq(
                DSL.any(wanted.stream().map(SmscMessageId::messageId).toArray(String[]::new))))
        .fetch(ParkedDeliveryReports::parked)
        .stream()
        .filter(r -> wanted.contains(r.update().key()))
        .toList();
  }

  /**
   * Gives the rows parked before control migration V4 (no SMSC recorded) the SMSC identity their
   * connection has now; a row whose report is parked already under that identity (the SMSC
   * delivered it on two binds) is deleted as the duplicate it is. Run at start, once per configured
   * connection; returns the rows changed and deleted. Rows of connections no longer configured are
   * left without one (they match only ids recorded before assembly migration V16).
   */
  public int assignSmsc(String connectionName, String smsc) {
    if (connectionName == null || smsc == null || smsc.isBlank() || smsc.length() > 100) {
      throw new InvalidInputException("a connection name and an SMSC of 1..100 characters");
    }
    var p = PARKED_DELIVERY_REPORTS;
    var q = PARKED_DELIVERY_REPORTS.as("q");
    var sameReport =
        DSL.selectOne()
            .from(q)
            .where(q.SMSC.eq(smsc), q.MESSAGE_ID.eq(p.MESSAGE_ID), q.STATE.eq(p.STATE));
    return control.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          int assigned =
              tx.update(p)
                  .set(p.SMSC, smsc)
                  .where(p.SMSC.isNull(), p.CONNECTION_NAME.eq(connectionName))
                  .andNotExists(sameReport)
                  .execute();
          int duplicates =
              tx.deleteFrom(p)
                  .where(p.SMSC.isNull(), p.CONNECTION_NAME.eq(connectionName))
                  .andExists(sameReport)
                  .execute();
          return assigned + duplicates;
        });
  }

  /**
   * Claims up to {@code max} rows due at {@code now}, oldest due first, skipping rows another node
   * has locked; each claimed row counts a try and is due again after the back-off, so a node that
   * dies while applying it leaves it to the next sweep.
   */
  public List<Parked> claimDue(int max, Instant now, Backoff backoff) {
    if (max < 1) {
      return List.of();
    }
    var at = Payments.utc(now);
    return control
        .resultQuery(
            CLAIM_SQL,
            PARKED_DELIVERY_REPORTS,
            DSL.val(at),
            DSL.val(max),
            DSL.val(seconds(backoff.minDelay())),
            DSL.val(seconds(backoff.youngFor())),
            DSL.val(seconds(backoff.youngCap())),
            DSL.val(seconds(backoff.oldCap())))
        .fetch(ParkedDeliveryReports::parked);
  }

  /**
   * Plain SQL (bind values only): the lock-and-reschedule of the due rows in one statement, with
   * the back-off of {@link Backoff}.
   */
  private static final String CLAIM_SQL =
      """
      with due as (
        select id from {0} where next_try_at <= {1} order by next_try_at, id limit {2}
           for update skip locked
      )
      update {0} p
         set attempts = p.attempts + 1,
             next_try_at = {1} + least(
               greatest(({1} - p.received_at) / 10, make_interval(secs => {3})),
               case when {1} - p.received_at < make_interval(secs => {4})
                    then make_interval(secs => {5}) else make_interval(secs => {6}) end)
        from due
       where p.id = due.id
      returning p.id, p.smsc, p.message_id, p.state, p.raw_state, p.error_code, p.handset, p.text_start,
                p.connection_name, p.received_at, p.attempts
      """;

  /**
   * Deletes these rows; returns the ids this call deleted (a row deleted by another node or call
   * meanwhile is not returned, so whoever counts what it deleted counts each report once).
   */
  public Set<Long> delete(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    var p = PARKED_DELIVERY_REPORTS;
    return new HashSet<>(
        control
            .deleteFrom(p)
            .where(p.ID.eq(DSL.any(ids.toArray(new Long[0]))))
            .returning(p.ID)
            .fetch(p.ID));
  }

  /** How many reports are parked now. */
  public int count() {
    return control.fetchCount(PARKED_DELIVERY_REPORTS);
  }

  private static Parked parked(Record r) {
    var p = PARKED_DELIVERY_REPORTS;
    var update =
        new DeliveryUpdate(
            r.get(p.SMSC) == null ? "" : r.get(p.SMSC),
            r.get(p.MESSAGE_ID),
            DeliveryState.valueOf(r.get(p.STATE)),
            r.get(p.ERROR_CODE),
            r.get(p.HANDSET),
            r.get(p.TEXT_START));
    return new Parked(
        r.get(p.ID),
        update,
        r.get(p.RAW_STATE),
        r.get(p.CONNECTION_NAME),
        r.get(p.RECEIVED_AT).toInstant(),
        r.get(p.ATTEMPTS));
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static String clip(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }
}
