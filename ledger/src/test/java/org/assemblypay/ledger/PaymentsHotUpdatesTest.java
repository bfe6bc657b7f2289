package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * V15 (D215, D216): the payment indexes read the generated {@code phase} instead of status, so the
 * move INITIATED → PENDING is a HOT update; every query that used the old indexes still has one.
 */
class PaymentsHotUpdatesTest {
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

  private static String phase(UUID reference) {
    return a.dsl()
        .fetchValue("select phase from " + schema + ".payments where reference = ?", reference)
        .toString();
  }

  @Test
  void phaseFollowsStatusThroughEveryMove() {
    Trader t = Fixture.trader(a, "MKT");
    Payment paid = Fixture.intent(a, t.id(), 400);
    assertThat(phase(paid.reference())).isEqualTo("OPEN");
    a.markPending(paid.reference());
    assertThat(phase(paid.reference())).isEqualTo("OPEN");
    a.settleSuccessful(paid.reference(), 400, "TX-HOT-1", Fixture.NOTIFIER);
    assertThat(phase(paid.reference())).isEqualTo("SUCCESSFUL");

    Payment failed = Fixture.intent(a, t.id(), 400);
    a.markFailed(failed.reference(), "declined", Fixture.NOTIFIER);
    assertThat(phase(failed.reference())).isEqualTo("FAILED");

    Payment late = Fixture.intent(a, t.id(), 400);
    a.markExpired(late.reference());
    assertThat(phase(late.reference())).isEqualTo("EXPIRED");
    a.settleSuccessful(late.reference(), 400, "TX-HOT-2", Fixture.NOTIFIER);
    assertThat(phase(late.reference())).isEqualTo("SUCCESSFUL");

    // Every row agrees with its status, and no writer can set the phase itself.
    assertThat(
            a.dsl()
                .fetchValue(
                    "select count(*) from "
                        + schema
                        + ".payments where phase is distinct from case when status in"
                        + " ('INITIATED', 'PENDING') then 'OPEN' else status end"))
        .isEqualTo(0L);
    assertThatThrownBy(
            () ->
                a.dsl()
                    .execute(
                        "update " + schema + ".payments set phase = 'OPEN' where reference = ?",
                        paid.reference()))
        .hasMessageContaining("phase");
    Fixture.assertInvariants(a);
  }

  /** markPending changes status and updated_at: no payment index may read either. */
  @Test
  void noPaymentIndexReadsAColumnThatMarkPendingChanges() {
    List<String> indexes =
        a.dsl()
            .fetch(
                "select pg_get_indexdef(i.indexrelid) from pg_index i"
                    + " join pg_class c on c.oid = i.indrelid"
                    + " join pg_namespace n on n.oid = c.relnamespace"
                    + " where c.relname = 'payments' and n.nspname = ?",
                schema)
            .getValues(0, String.class);
    assertThat(indexes).anyMatch(d -> d.contains("payments_due_ix") && d.contains("phase"));
    for (String column : List.of("status", "updated_at")) {
      assertThat(indexes).noneMatch(d -> d.matches("(?s).*\\b" + column + "\\b.*"));
    }
  }

  /** The same UPDATE as markPending, counted by PostgreSQL as a HOT update. */
  @Test
  void initiatedToPendingIsAHotUpdate() {
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 300);
    long hot =
        a.dsl()
            .transactionResult(
                cfg -> {
                  DSLContext tx = cfg.dsl();
                  // Counts not yet reported by this backend (they may include earlier work).
                  String count = "select pg_stat_get_xact_tuples_hot_updated(?::regclass)";
                  long before = ((Number) tx.fetchValue(count, schema + ".payments")).longValue();
                  int moved =
                      tx.execute(
                          "update "
                              + schema
                              + ".payments set status = 'PENDING', updated_at = now()"
                              + " where reference = ? and status = 'INITIATED'",
                          p.reference());
                  assertThat(moved).isEqualTo(1);
                  return ((Number) tx.fetchValue(count, schema + ".payments")).longValue() - before;
                });
    assertThat(hot).isEqualTo(1);
    assertThat(a.payment(p.reference()).orElseThrow().status()).isEqualTo(PaymentStatus.PENDING);
  }

  /**
   * The queries that read the payment indexes, as Payments and PaymentHistory write them, still get
   * an index (sequential scans off, so that the few rows of a test table do not decide the plan).
   */
  @Test
  void theQueriesOnTheOldIndexesStillUseAnIndex() {
    Trader t = Fixture.trader(a, "MKT");
    Fixture.intent(a, t.id(), 200);
    String p = schema + ".payments";
    Map<String, String> planFor =
        Map.of(
            "select id from "
                + p
                + " where phase = 'OPEN' and status in ('INITIATED', 'PENDING')"
                + " and next_poll_at <= now() order by next_poll_at limit 10 for update skip locked",
            "payments_due_ix",
            "select id from "
                + p
                + " where phase = 'EXPIRED' and status = 'EXPIRED'"
                + " and next_poll_at <= now() order by next_poll_at limit 10 for update skip locked",
            "payments_recheck_ix",
            "select * from "
                + p
                + " where created_at >= now() - interval '1 day' and created_at < now()"
                + " and phase in ('FAILED') and status in ('FAILED')"
                + " order by created_at desc, id desc limit 50",
            "payments_phase_created_ix",
            "select * from "
                + p
                + " where created_at >= now() - interval '1 day' and created_at < now()"
                + " and phase in ('OPEN') and status in ('PENDING')"
                + " order by created_at desc, id desc limit 50",
            "payments_phase_created_ix",
            "select * from "
                + p
                + " where created_at >= now() - interval '1 day' and created_at < now()"
                + " and provider = 'mtn' order by created_at desc, id desc limit 50",
            "payments_provider_created_ix");
    a.dsl()
        .transaction(
            cfg -> {
              DSLContext tx = cfg.dsl();
              tx.execute("set local enable_seqscan = off");
              tx.execute("set local enable_bitmapscan = off");
              planFor.forEach(
                  (sql, index) -> {
                    String plan =
                        String.join("\n", tx.fetch("explain " + sql).getValues(0, String.class));
                    assertThat(plan).as(sql).contains(index);
                  });
            });
  }

  /** The due and re-check claims find their payments through the new indexes. */
  @Test
  void dueAndExpiredPaymentsAreStillClaimed() {
    Trader t = Fixture.trader(a, "MKT");
    Payment open = Fixture.intent(a, t.id(), 250);
    a.markPending(open.reference());
    Payment expired = Fixture.intent(a, t.id(), 250);
    a.markExpired(expired.reference());
    Instant later = Instant.now().plusSeconds(3600);
    assertThat(a.claimDuePayments(1000, later))
        .extracting(Payment::reference)
        .contains(open.reference())
        .doesNotContain(expired.reference());
    assertThat(a.claimExpiredForRecheck(1000, later))
        .extracting(Payment::reference)
        .contains(expired.reference())
        .doesNotContain(open.reference());
  }

  /**
   * transfers_reverses_uk is partial now (only reversals have an entry, D216) and still refuses a
   * second transfer reversing the same one, whatever path writes it.
   */
  @Test
  void aTransferIsStillReversedAtMostOnce() {
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 600);
    Settlement s = a.settleSuccessful(p.reference(), 600, "TX-HOT-REV", Fixture.NOTIFIER);
    long original = s.transferId();
    a.reverse(original, "keyed twice", "officer1", "officer2");
    assertThatThrownBy(
            () ->
                a.dsl()
                    .execute(
                        "insert into "
                            + schema
                            + ".transfers (idempotency_key, kind, content_hash, amount_pesewas,"
                            + " reverses_transfer_id, trader_id, business_date)"
                            + " values (?, 'REVERSAL', 'x', 600, ?, ?, current_date)",
                        "again:" + original,
                        original,
                        t.id()))
        .hasMessageContaining("transfers_reverses_uk");
    assertThat(
            a.dsl()
                .fetchValue(
                    "select indexdef from pg_indexes where schemaname = ?"
                        + " and indexname = 'transfers_reverses_uk'",
                    schema)
                .toString())
        .contains("UNIQUE")
        .contains("IS NOT NULL");
    Fixture.assertInvariants(a);
  }
}
