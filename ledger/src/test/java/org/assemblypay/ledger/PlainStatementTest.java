package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

class PlainStatementTest extends OneAssemblyTest {
  @Test
  void tablesAreTheAssemblysOwnAndValuesBecomeParameters() {
    PlainStatement s =
        PlainStatement.compile(
            a.dsl(), "select {1} from {0} where id = {1} and '{}' <> {2}", Map.of(0, SMS_OUTBOX));
    assertThat(s.sql())
        .contains(a.assembly().schemaName())
        .contains("sms_outbox")
        .contains("'{}'")
        .doesNotContain("{0}")
        .doesNotContain("{1}")
        .doesNotContain("{2}");
    assertThat(s.sql().chars().filter(c -> c == '?').count()).isEqualTo(3);
  }

  @Test
  void repeatedPlaceholdersArraysAndTimesAreBoundInOrder() {
    long id = a.enqueueSms(new OutboundSmsDraft("0244555701", "Plain", Language.EN, null));
    OffsetDateTime at =
        OffsetDateTime.ofInstant(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    PlainStatement s =
        PlainStatement.compile(
            a.dsl(),
            """
            select o.id, {2}::timestamptz, x.v
              from {0} o, unnest({1}::bigint[], {3}::varchar[]) as x(id, v)
             where o.id = x.id and {2} = {2}
            """,
            Map.of(0, SMS_OUTBOX),
            null,
            "int8",
            null,
            "varchar");
    List<String> rows =
        s.query(
            a.dsl(),
            r ->
                r.getLong(1)
                    + "@"
                    + r.getObject(2, OffsetDateTime.class).toInstant()
                    + ":"
                    + r.getString(3),
            null,
            new Long[] {id, -1L},
            at,
            new String[] {"first", "second"});
    assertThat(rows).containsExactly(id + "@2026-11-21T10:00:00Z:first");
  }

  @Test
  void aFailingStatementIsADataAccessExceptionWithItsSqlState() {
    PlainStatement s =
        PlainStatement.compile(a.dsl(), "select 1 / {0}::int from {1}", Map.of(1, SMS_OUTBOX));
    a.enqueueSms(new OutboundSmsDraft("0244555702", "Plain", Language.EN, null));
    assertThatThrownBy(() -> s.query(a.dsl(), r -> r.getInt(1), 0))
        .isInstanceOf(DataAccessException.class)
        .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo("22012"));
  }

  @Test
  void aKeyedStatementIsPlannedWithoutSequentialScansAndLeavesTheSessionAsItWas() {
    long id = a.enqueueSms(new OutboundSmsDraft("0244555703", "Plain", Language.EN, null));
    PlainStatement keyed =
        PlainStatement.compile(
                a.dsl(),
                "select current_setting('enable_seqscan'), count(*) from {0} where id = {1}",
                Map.of(0, SMS_OUTBOX))
            .keyed();
    PlainStatement plain =
        PlainStatement.compile(a.dsl(), "select current_setting('enable_seqscan')", Map.of());
    // Autocommitted, one connection: off for the keyed statement only, whether it is the first
    // use of the connection or a later one (pgjdbc prepares it on the server from the fifth).
    a.dsl()
        .connection(
            c -> {
              var on = org.jooq.impl.DSL.using(c);
              for (int i = 0; i < 7; i++) {
                assertThat(keyed.query(on, r -> r.getString(1) + "/" + r.getLong(2), null, id))
                    .containsExactly("off/1");
                assertThat(plain.query(on, r -> r.getString(1))).containsExactly("on");
              }
            });
    // In a transaction: still off for the keyed statement; the rows are read as before.
    a.dsl()
        .transaction(
            cfg -> {
              assertThat(keyed.query(cfg.dsl(), r -> r.getLong(2), null, id)).containsExactly(1L);
            });
    assertThat(plain.query(a.dsl(), r -> r.getString(1))).containsExactly("on");
  }

  @Test
  void aFailingKeyedStatementIsStillADataAccessException() {
    PlainStatement s =
        PlainStatement.compile(a.dsl(), "select 1 / {0}::int from {1}", Map.of(1, SMS_OUTBOX))
            .keyed();
    a.enqueueSms(new OutboundSmsDraft("0244555704", "Plain", Language.EN, null));
    assertThatThrownBy(() -> s.query(a.dsl(), r -> r.getInt(1), 0))
        .isInstanceOf(DataAccessException.class)
        .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo("22012"));
  }
}
