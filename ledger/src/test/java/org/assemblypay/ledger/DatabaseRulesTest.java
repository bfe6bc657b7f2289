package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.PAYMENTS;
import static org.assemblypay.ledger.jooq.Tables.POSTINGS;
import static org.assemblypay.ledger.jooq.Tables.RECEIPTS;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database itself refuses to break the ledger rules, whatever the Java code does. */
class DatabaseRulesTest {
  static Fixture fx;
  static AssemblyLedger a;
  static long transferId;

  @BeforeAll
  static void setUp() {
    fx = new Fixture();
    a = fx.newAssembly();
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 500);
    transferId = a.settleSuccessful(p.reference(), 500, "T", Fixture.NOTIFIER).transferId();
  }

  @AfterAll
  static void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void journalRowsCannotBeUpdatedOrDeleted() {
    DSLContext d = a.dsl();
    assertThatThrownBy(
            () ->
                d.update(TRANSFERS)
                    .set(TRANSFERS.AMOUNT_PESEWAS, 1L)
                    .where(TRANSFERS.ID.eq(transferId))
                    .execute())
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> d.deleteFrom(TRANSFERS).where(TRANSFERS.ID.eq(transferId)).execute())
        .hasMessageContaining("append-only");
    assertThatThrownBy(
            () ->
                d.update(POSTINGS)
                    .set(POSTINGS.AMOUNT_PESEWAS, 1L)
                    .where(POSTINGS.TRANSFER_ID.eq(transferId))
                    .execute())
        .hasMessageContaining("append-only");
    assertThatThrownBy(
            () -> d.deleteFrom(POSTINGS).where(POSTINGS.TRANSFER_ID.eq(transferId)).execute())
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> d.truncate(POSTINGS).execute()).hasMessageContaining("append-only");
    assertThatThrownBy(() -> d.deleteFrom(RECEIPTS).execute()).hasMessageContaining("append-only");
    assertThat(d.fetchCount(POSTINGS, POSTINGS.TRANSFER_ID.eq(transferId))).isEqualTo(2);
  }

  @Test
  void unbalancedTransferIsRejectedAtCommit() {
    DSLContext d = a.dsl();
    long account =
        d.select(ACCOUNTS.ID)
            .from(ACCOUNTS)
            .where(ACCOUNTS.CODE.eq("SUSPENSE"))
            .fetchSingle()
            .value1();
    String key = "test:" + UUID.randomUUID();
    assertThatThrownBy(
            () ->
                d.transaction(
                    cfg -> {
                      long id = insertTransfer(cfg.dsl(), key);
                      cfg.dsl()
                          .insertInto(POSTINGS)
                          .set(POSTINGS.TRANSFER_ID, id)
                          .set(POSTINGS.ACCOUNT_ID, account)
                          .set(POSTINGS.AMOUNT_PESEWAS, 100L)
                          .execute();
                    }))
        .rootCause()
        .hasMessageContaining("unbalanced");
    assertThat(d.fetchCount(TRANSFERS, TRANSFERS.IDEMPOTENCY_KEY.eq(key))).isZero();
    // A transfer without postings is unbalanced too.
    assertThatThrownBy(() -> d.transaction(cfg -> insertTransfer(cfg.dsl(), key)))
        .rootCause()
        .hasMessageContaining("0 postings");
  }

  @Test
  void postingsCannotBeAddedToAnEarlierTransfer() {
    DSLContext d = a.dsl();
    long account =
        d.select(ACCOUNTS.ID)
            .from(ACCOUNTS)
            .where(ACCOUNTS.CODE.eq("SUSPENSE"))
            .fetchSingle()
            .value1();
    assertThatThrownBy(
            () ->
                d.insertInto(
                        POSTINGS,
                        POSTINGS.TRANSFER_ID,
                        POSTINGS.ACCOUNT_ID,
                        POSTINGS.AMOUNT_PESEWAS)
                    .values(transferId, account, 50L)
                    .values(transferId, account, -50L)
                    .execute())
        .hasMessageContaining("outside the transaction");
  }

  @Test
  void onePostingToAnEarlierTransferRefusesTheWholeStatement() {
    // The same-transaction rule is checked once per statement (D180): a statement that mixes good
    // legs with legs on an earlier transfer is refused as a whole and moves no balance.
    DSLContext d = a.dsl();
    long suspense = account(d, "SUSPENSE");
    long shard = account(d, "COLLECTION:0");
    long before = balance(d, suspense);
    assertThatThrownBy(
            () ->
                d.transaction(
                    cfg -> {
                      long id = insertTransfer(cfg.dsl(), "test:" + UUID.randomUUID());
                      cfg.dsl()
                          .insertInto(
                              POSTINGS,
                              POSTINGS.TRANSFER_ID,
                              POSTINGS.ACCOUNT_ID,
                              POSTINGS.AMOUNT_PESEWAS)
                          .values(id, suspense, 100L)
                          .values(id, shard, -100L)
                          .values(transferId, suspense, 7L)
                          .values(transferId, shard, -7L)
                          .execute();
                    }))
        .rootCause()
        .hasMessageContaining("outside the transaction");
    assertThat(balance(d, suspense)).isEqualTo(before);
  }

  @Test
  void aLargePostingStatementIsCheckedToo() {
    // More than 64 legs take the trigger's set-based branch (accrual's); the rule holds there too.
    DSLContext d = a.dsl();
    long suspense = account(d, "SUSPENSE");
    long shard = account(d, "COLLECTION:1");
    var insert =
        d.insertInto(POSTINGS, POSTINGS.TRANSFER_ID, POSTINGS.ACCOUNT_ID, POSTINGS.AMOUNT_PESEWAS);
    for (int i = 0; i < 40; i++) {
      insert = insert.values(transferId, suspense, 1L).values(transferId, shard, -1L);
    }
    var statement = insert;
    assertThatThrownBy(statement::execute).hasMessageContaining("outside the transaction");
  }

  @Test
  void postingsInTheirOwnTransactionMoveBalancesByExactlyTheirSum() {
    DSLContext d = a.dsl();
    long suspense = account(d, "SUSPENSE");
    long shard = account(d, "COLLECTION:2");
    long suspenseBefore = balance(d, suspense);
    long shardBefore = balance(d, shard);
    // A small statement (a payment's legs) and a large one (accrual's branch), each balanced.
    d.transaction(
        cfg -> {
          long id = insertTransfer(cfg.dsl(), "test:" + UUID.randomUUID());
          cfg.dsl()
              .insertInto(
                  POSTINGS, POSTINGS.TRANSFER_ID, POSTINGS.ACCOUNT_ID, POSTINGS.AMOUNT_PESEWAS)
              .values(id, suspense, 100L)
              .values(id, shard, -100L)
              .execute();
        });
    d.transaction(
        cfg -> {
          long id = insertTransfer(cfg.dsl(), "test:" + UUID.randomUUID());
          var insert =
              cfg.dsl()
                  .insertInto(
                      POSTINGS, POSTINGS.TRANSFER_ID, POSTINGS.ACCOUNT_ID, POSTINGS.AMOUNT_PESEWAS);
          for (int i = 0; i < 40; i++) {
            insert = insert.values(id, suspense, 2L).values(id, shard, -2L);
          }
          insert.execute();
        });
    assertThat(balance(d, suspense)).isEqualTo(suspenseBefore + 180);
    assertThat(balance(d, shard)).isEqualTo(shardBefore - 180);
    for (long acc : new long[] {suspense, shard}) {
      long sum =
          d.select(DSL.coalesce(DSL.sum(POSTINGS.AMOUNT_PESEWAS), BigDecimal.ZERO))
              .from(POSTINGS)
              .where(POSTINGS.ACCOUNT_ID.eq(acc))
              .fetchSingle()
              .value1()
              .longValueExact();
      assertThat(balance(d, acc)).isEqualTo(sum);
    }
  }

  @Test
  void balancesChangeOnlyThroughPostings() {
    DSLContext d = a.dsl();
    assertThatThrownBy(
            () ->
                d.update(ACCOUNTS)
                    .set(ACCOUNTS.BALANCE_PESEWAS, 1_000_000L)
                    .where(ACCOUNTS.CODE.eq("SUSPENSE"))
                    .execute())
        .hasMessageContaining("only through postings");
  }

  @Test
  void duplicateIdempotencyKeyIsRefusedByTheDatabase() {
    DSLContext d = a.dsl();
    String key =
        d.select(TRANSFERS.IDEMPOTENCY_KEY)
            .from(TRANSFERS)
            .where(TRANSFERS.ID.eq(transferId))
            .fetchSingle()
            .value1();
    assertThatThrownBy(() -> d.transaction(cfg -> insertTransfer(cfg.dsl(), key)))
        .hasMessageContaining("transfers_idempotency_key_uk");
  }

  @Test
  void paymentStatusCannotMoveBackwards() {
    DSLContext d = a.dsl();
    assertThatThrownBy(
            () ->
                d.update(PAYMENTS)
                    .set(PAYMENTS.STATUS, "PENDING")
                    .where(PAYMENTS.TRANSFER_ID.eq(transferId))
                    .execute())
        .hasMessageContaining("cannot move from SUCCESSFUL to PENDING");
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 300);
    a.markFailed(p.reference(), "declined", Fixture.NOTIFIER);
    assertThatThrownBy(
            () ->
                d.update(PAYMENTS)
                    .set(PAYMENTS.STATUS, "SUCCESSFUL")
                    .where(PAYMENTS.REFERENCE.eq(p.reference()))
                    .execute())
        .hasMessageContaining("cannot move from FAILED to SUCCESSFUL");
    assertThatThrownBy(
            () ->
                d.update(PAYMENTS)
                    .set(PAYMENTS.AMOUNT_PESEWAS, 1L)
                    .where(PAYMENTS.REFERENCE.eq(p.reference()))
                    .execute())
        .hasMessageContaining("immutable");
    assertThatThrownBy(
            () -> d.deleteFrom(PAYMENTS).where(PAYMENTS.REFERENCE.eq(p.reference())).execute())
        .hasMessageContaining("append-only");
  }

  @Test
  void negativeAmountsAreRefusedByTheDatabase() {
    DSLContext d = a.dsl();
    Trader t = Fixture.trader(a, "MKT");
    assertThatThrownBy(
            () ->
                d.insertInto(PAYMENTS)
                    .set(PAYMENTS.REFERENCE, UUID.randomUUID())
                    .set(PAYMENTS.PROVIDER, "mtn")
                    .set(PAYMENTS.TRADER_ID, t.id())
                    .set(PAYMENTS.PAYER_MSISDN, "233244000001")
                    .set(PAYMENTS.AMOUNT_PESEWAS, -1L)
                    .set(PAYMENTS.PURPOSE, "AMOUNT")
                    .set(PAYMENTS.PAYER_LANGUAGE, "en")
                    .execute())
        .hasMessageContaining("payments_amount_ck");
  }

  private static long account(DSLContext d, String code) {
    return d.select(ACCOUNTS.ID)
        .from(ACCOUNTS)
        .where(ACCOUNTS.CODE.eq(code))
        .fetchSingle()
        .value1();
  }

  private static long balance(DSLContext d, long account) {
    return d.select(ACCOUNTS.BALANCE_PESEWAS)
        .from(ACCOUNTS)
        .where(ACCOUNTS.ID.eq(account))
        .fetchSingle()
        .value1();
  }

  private static long insertTransfer(DSLContext tx, String key) {
    return tx.insertInto(TRANSFERS)
        .set(TRANSFERS.IDEMPOTENCY_KEY, key)
        .set(TRANSFERS.KIND, "CASH_PAYMENT")
        .set(TRANSFERS.CONTENT_HASH, "x")
        .set(TRANSFERS.AMOUNT_PESEWAS, 100L)
        .set(TRANSFERS.BUSINESS_DATE, LocalDate.now())
        .returningResult(TRANSFERS.ID)
        .fetchSingle()
        .value1();
  }
}
