package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.PAYMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.assemblypay.ledger.jooq.tables.records.PaymentsRecord;
import org.assemblypay.ledger.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * V17 (D242): a session that started posting while an assembly was new keeps its plans for the
 * posting core, and without fresh statistics (autovacuum off or behind) PostgreSQL never replaces
 * them. The payment rows must still be found through their index once the table has grown: a
 * sequential scan of payments per batch made every posting slower as the assembly aged.
 */
class PostingPlanStabilityTest {
  static Fixture fx;
  static AssemblyLedger a;
  static String schema;

  @BeforeAll
  static void setUp() {
    fx = new Fixture();
    a = fx.newAssembly();
    schema = a.assembly().schemaName();
  }

  @AfterAll
  static void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void aSessionThatPostedWhileTheAssemblyWasNewStillFindsPaymentsByIndexLater() throws Exception {
    Trader trader = Fixture.trader(a, "MKT");
    long shard =
        ((Number)
                a.dsl()
                    .fetchValue(
                        "select id from " + schema + ".accounts where code = 'COLLECTION:0'"))
            .longValue();
    try (Connection c = sessionPlanningAsIfTablesWereTiny()) {
      // A new assembly: a handful of payments, posted one batch at a time on this one session.
      for (int i = 0; i < 8; i++) {
        Payment p = Fixture.intent(a, trader.id(), 100);
        assertThat(post(c, p.reference(), 100, shard)).isEqualTo("POSTED");
        c.commit();
      }
      plansMade(c);
      // The assembly ages: 20,000 more payments, and no ANALYZE, as with autovacuum off.
      a.dsl()
          .execute(
              "insert into "
                  + schema
                  + ".payments (reference, provider, trader_id, payer_msisdn, amount_pesewas,"
                  + " purpose, payer_language, status)"
                  + " select gen_random_uuid(), 'simulator', ?, '233244000000', 100, 'AMOUNT',"
                  + " 'en', 'FAILED' from generate_series(1, 20000)",
              trader.id());

      Payment late = Fixture.intent(a, trader.id(), 100);
      assertThat(post(c, late.reference(), 100, shard)).isEqualTo("POSTED");
      assertThat(scansThisTransaction(c, "payments"))
          .as("sequential and index scans of payments")
          .satisfies(
              scans -> assertThat(scans[0]).isZero(), scans -> assertThat(scans[1]).isPositive());
      c.commit();
    }
    Fixture.assertInvariants(a);
  }

  /**
   * A session of its own whose plans are made as for a new assembly. PostgreSQL keeps a generic
   * plan for a statement after its fifth execution when that plan looks no dearer than planning
   * afresh, which a sequential scan of a tiny table does, and replaces it only when statistics
   * change (never, with autovacuum off). The test makes that certain instead of leaving it to cost
   * estimates: generic plans from the first call, made while a scan looks cheaper than any index.
   */
  private static Connection sessionPlanningAsIfTablesWereTiny() throws SQLException {
    TestDatabase db = fx.db;
    Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    try (var s = c.createStatement()) {
      s.execute("set plan_cache_mode = force_generic_plan");
      s.execute("set random_page_cost = 10000");
      c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Sequential and index scans of one of the assembly's tables by this session's open transaction
   * (counted before they reach the shared statistics).
   */
  private static long[] scansThisTransaction(Connection c, String table) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select seq_scan, idx_scan from pg_stat_xact_user_tables"
                + " where schemaname = ? and relname = ?")) {
      s.setString(1, schema);
      s.setString(2, table);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).as("statistics of " + table).isTrue();
        return new long[] {r.getLong(1), r.getLong(2)};
      }
    }
  }

  /** Back to normal costs; the plans already made stay as they are. */
  private static void plansMade(Connection c) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute("reset random_page_cost");
    }
    c.commit();
  }

  /** One mobile-money settlement through the posting core on this session; its outcome. */
  private static String post(Connection c, UUID reference, long amount, long shard)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select outcome from "
                + schema
                + ".ledger_post_batch(array['MOMO'], array[?]::uuid[], array[?]::bigint[],"
                + " array[?]::text[], array[null]::text[], array[null]::text[],"
                + " array[null]::bigint[], array[null]::bigint[], array[?]::bigint[], now(), ?,"
                + " ?, ?)")) {
      s.setObject(1, reference);
      s.setLong(2, amount);
      s.setString(3, "TX-" + reference);
      s.setLong(4, shard);
      LocalDate today = LocalDate.now();
      s.setObject(5, today);
      s.setInt(6, today.getYear());
      s.setString(7, a.assembly().code());
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).isTrue();
        return r.getString(1);
      }
    }
  }

  @Test
  void storingIntentsFindsTheTraderByIndexWhateverPlanTheSessionKept() throws Exception {
    Trader trader = Fixture.trader(a, "MKT");
    String quoted = "\"" + schema + "\"";
    IntentWriter writer = new IntentWriter(quoted);
    try (Connection c = sessionPlanningAsIfTablesWereTiny()) {
      for (int i = 0; i < 6; i++) {
        assertThat(writer.store(c, List.of(intent(trader.id()))).get(0).error()).isNull();
        c.commit();
      }
      plansMade(c);
      // The assembly grows to 5,000 traders with no ANALYZE.
      a.dsl()
          .execute(
              "insert into "
                  + schema
                  + ".traders (customer_number, name, phone, market_id, language)"
                  + " select 'GROW' || g, 'Trader ' || g, null, market_id, 'en'"
                  + " from generate_series(1, 5000) g, (select market_id from "
                  + schema
                  + ".traders where id = ?) t",
              trader.id());
      assertThat(writer.store(c, List.of(intent(trader.id()))).get(0).error()).isNull();
      assertThat(scansThisTransaction(c, "traders")[0]).as("sequential scans of traders").isZero();
      c.commit();
    }
  }

  private static PaymentsRecord intent(long traderId) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return new PaymentsRecord()
        .with(PAYMENTS.REFERENCE, UUID.randomUUID())
        .with(PAYMENTS.PROVIDER, "simulator")
        .with(PAYMENTS.TRADER_ID, traderId)
        .with(PAYMENTS.PAYER_MSISDN, "233244000001")
        .with(PAYMENTS.AMOUNT_PESEWAS, 100L)
        .with(PAYMENTS.PURPOSE, "AMOUNT")
        .with(PAYMENTS.PAYER_LANGUAGE, "en")
        .with(PAYMENTS.CREATED_AT, now)
        .with(PAYMENTS.UPDATED_AT, now)
        .with(PAYMENTS.NEXT_POLL_AT, now.plusSeconds(60));
  }
}
