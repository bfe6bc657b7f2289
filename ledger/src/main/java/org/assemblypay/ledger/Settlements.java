package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.POSTINGS;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assemblypay.ledger.jooq.tables.records.ReceiptsRecord;
import org.assemblypay.ledger.jooq.tables.records.TransfersRecord;
import org.jooq.DSLContext;

/**
 * Money in (mobile money, cash) through the group-commit {@link Settler}, and reversals, each in
 * one database transaction.
 */
final class Settlements {
  private final DSLContext dsl;
  private final Journal journal;
  private final Settler settler;

  Settlements(DSLContext dsl, Journal journal) {
    this.dsl = dsl;
    this.journal = journal;
    this.settler = journal.settler();
  }

  Settlement settleSuccessful(
      UUID reference,
      long providerAmountPesewas,
      String providerTxnId,
      Notifier notifier,
      Instant now) {
    if (providerAmountPesewas <= 0) {
      throw new InvalidAmountException("provider amount must be positive");
    }
    if (providerTxnId != null && providerTxnId.length() > 100) {
      throw new InvalidInputException("provider transaction id longer than 100");
    }
    if (reference == null) {
      throw new InvalidInputException("payment reference is required");
    }
    return (Settlement)
        settler.submit(
            new Settler.Momo(
                reference,
                providerAmountPesewas,
                providerTxnId,
                journal.collectionShard(reference.hashCode()),
                notifier,
                now));
  }

  static Receipt toReceipt(ReceiptsRecord r) {
    return new Receipt(
        r.getNumber(),
        r.getVerificationCode(),
        r.getTransferId(),
        r.getAmountPesewas(),
        r.getTraderId(),
        Optional.ofNullable(r.getCollectorId()),
        r.getIssuedAt().toInstant());
  }

  CashPosting postCash(CashPayment c, Notifier notifier, Instant now) {
    if (c.idempotencyKey() == null
        || c.idempotencyKey().isBlank()
        || c.idempotencyKey().length() > 150) {
      throw new InvalidInputException("idempotency key must be 1..150 characters");
    }
    if (c.amountPesewas() <= 0) {
      throw new InvalidAmountException("amount must be positive");
    }
    if (c.amountPesewas() > journal.assembly().maxPaymentPesewas()) {
      throw new InvalidAmountException("amount above the assembly's maximum");
    }
    String key = "cash:" + c.idempotencyKey();
    String hash = Journal.hash("CASH", c.collectorId(), c.traderId(), c.amountPesewas());
    return (CashPosting)
        settler.submit(
            new Settler.Cash(
                key, hash, c.traderId(), c.collectorId(), c.amountPesewas(), notifier, now));
  }

  Transfer reverse(
      long transferId, String reason, String requestedBy, String approvedBy, Instant now) {
    if (reason == null || reason.isBlank() || reason.length() > 300) {
      throw new InvalidInputException("a reason (1..300 characters) is required");
    }
    if (requestedBy == null
        || approvedBy == null
        || requestedBy.isBlank()
        || approvedBy.isBlank()) {
      throw new InvalidInputException("requester and approver are required");
    }
    if (requestedBy.strip().equalsIgnoreCase(approvedBy.strip())) {
      throw new InvalidInputException("the approver must be someone other than the requester");
    }
    String key = "reversal:" + transferId;
    String hash = Journal.hash("REVERSAL", transferId);
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          TransfersRecord original =
              tx.selectFrom(TRANSFERS).where(TRANSFERS.ID.eq(transferId)).fetchOne();
          if (original == null) {
            throw new UnknownEntityException("TRANSFER", transferId);
          }
          if (!List.of("MOMO_PAYMENT", "CASH_PAYMENT", "SUSPENSE").contains(original.getKind())) {
            throw new IllegalTransitionException(
                "only payments can be reversed, not " + original.getKind());
          }
          Optional<Long> inserted =
              journal.insertTransfer(
                  tx,
                  new Journal.Draft(
                      key,
                      "REVERSAL",
                      hash,
                      original.getAmountPesewas(),
                      transferId,
                      original.getTraderId(),
                      original.getCollectorId(),
                      journal.today(now),
                      reason.strip(),
                      requestedBy.strip(),
                      approvedBy.strip()));
          if (inserted.isEmpty()) {
            return transfer(tx, journal.existing(tx, key, hash).getId()).orElseThrow();
          }
          long reversalId = inserted.get();
          List<Journal.Leg> legs = new ArrayList<>();
          for (var posting :
              tx.selectFrom(POSTINGS).where(POSTINGS.TRANSFER_ID.eq(transferId)).fetch()) {
            legs.add(new Journal.Leg(posting.getAccountId(), -posting.getAmountPesewas()));
          }
          journal.post(tx, reversalId, legs);
          if (!original.getKind().equals("SUSPENSE") && original.getTraderId() != null) {
            Journal.TraderRow trader = journal.trader(tx, original.getTraderId()).orElseThrow();
            journal.undoAllocations(tx, transferId, reversalId);
            journal.rebalance(tx, trader.id(), trader.accountId(), reversalId);
          }
          return transfer(tx, reversalId).orElseThrow();
        });
  }

  static Optional<Transfer> transfer(DSLContext ctx, long transferId) {
    TransfersRecord t = ctx.selectFrom(TRANSFERS).where(TRANSFERS.ID.eq(transferId)).fetchOne();
    if (t == null) {
      return Optional.empty();
    }
    List<Transfer.Posting> postings =
        ctx.select(POSTINGS.ACCOUNT_ID, ACCOUNTS.CODE, POSTINGS.AMOUNT_PESEWAS)
            .from(POSTINGS)
            .join(ACCOUNTS)
            .on(ACCOUNTS.ID.eq(POSTINGS.ACCOUNT_ID))
            .where(POSTINGS.TRANSFER_ID.eq(transferId))
            .orderBy(POSTINGS.ID)
            .fetch(r -> new Transfer.Posting(r.value1(), r.value2(), r.value3()));
    return Optional.of(
        new Transfer(
            t.getId(),
            t.getIdempotencyKey(),
            t.getKind(),
            t.getAmountPesewas(),
            Optional.ofNullable(t.getReversesTransferId()),
            Optional.ofNullable(t.getCreatedAt()).map(OffsetDateTime::toInstant).orElseThrow(),
            postings));
  }
}
