package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.COLLECTORS;
import static org.assemblypay.ledger.jooq.Tables.COLLECTOR_MARKETS;
import static org.assemblypay.ledger.jooq.Tables.MARKETS;
import static org.assemblypay.ledger.jooq.Tables.PAYMENTS;
import static org.assemblypay.ledger.jooq.Tables.POSTINGS;
import static org.assemblypay.ledger.jooq.Tables.RECEIPTS;
import static org.assemblypay.ledger.jooq.Tables.TRADERS;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assemblypay.ledger.jooq.tables.records.CollectorsRecord;
import org.assemblypay.ledger.jooq.tables.records.PaymentsRecord;
import org.assemblypay.ledger.jooq.tables.records.ReceiptsRecord;
import org.assemblypay.ledger.jooq.tables.records.TransfersRecord;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Money in (mobile money, cash) and reversals: each one database transaction. */
final class Settlements {
  private final DSLContext dsl;
  private final Journal journal;

  Settlements(DSLContext dsl, Journal journal) {
    this.dsl = dsl;
    this.journal = journal;
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
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          // The payment row (locked) and what the receipt needs about the trader, in one query.
          Record row =
              tx.select(
                      PAYMENTS.asterisk(),
                      TRADERS.NAME,
                      TRADERS.PHONE,
                      TRADERS.LANGUAGE,
                      TRADERS.CUSTOMER_NUMBER,
                      TRADERS.MARKET_ID,
                      MARKETS.NAME,
                      ACCOUNTS.ID)
                  .from(PAYMENTS)
                  .join(TRADERS)
                  .on(TRADERS.ID.eq(PAYMENTS.TRADER_ID))
                  .join(MARKETS)
                  .on(MARKETS.ID.eq(TRADERS.MARKET_ID))
                  .join(ACCOUNTS)
                  .on(ACCOUNTS.KIND.eq("TRADER"), ACCOUNTS.OWNER_ID.eq(TRADERS.ID))
                  .where(PAYMENTS.REFERENCE.eq(reference))
                  .forUpdate()
                  .of(PAYMENTS)
                  .fetchOne();
          if (row == null) {
            throw new UnknownEntityException("PAYMENT", reference);
          }
          PaymentsRecord p = row.into(PAYMENTS);
          String key = p.getProvider() + ":" + reference;
          String hash = Journal.hash("MOMO", reference, p.getTraderId(), providerAmountPesewas);
          if (p.getStatus().equals("SUCCESSFUL")) {
            if (p.getProviderAmountPesewas() != providerAmountPesewas) {
              throw new IdempotencyConflictException(key);
            }
            return replay(tx, p);
          }
          if (p.getStatus().equals("FAILED")) {
            throw new IllegalTransitionException("payment " + reference + " already FAILED");
          }
          boolean suspense = providerAmountPesewas != p.getAmountPesewas();
          Journal.TraderRow trader =
              new Journal.TraderRow(
                  p.getTraderId(),
                  row.get(TRADERS.NAME),
                  row.get(TRADERS.PHONE),
                  Language.ofCode(row.get(TRADERS.LANGUAGE)),
                  row.get(TRADERS.CUSTOMER_NUMBER),
                  row.get(TRADERS.MARKET_ID),
                  row.get(MARKETS.NAME),
                  row.get(ACCOUNTS.ID));
          java.time.LocalDate day = journal.today(now);
          long transferId =
              journal
                  .insertTransfer(
                      tx,
                      new Journal.Draft(
                          key,
                          suspense ? "SUSPENSE" : "MOMO_PAYMENT",
                          hash,
                          providerAmountPesewas,
                          null,
                          trader.id(),
                          null,
                          day,
                          suspense ? "provider amount differs from requested" : null,
                          null,
                          null))
                  .orElseThrow(() -> new IdempotencyConflictException(key));
          long collection = journal.collectionShard(reference.hashCode());
          Journal.Rebalance rebalance = null;
          if (suspense) {
            journal.post(
                tx,
                transferId,
                List.of(
                    new Journal.Leg(collection, providerAmountPesewas),
                    new Journal.Leg(journal.suspense(), -providerAmountPesewas)));
          } else {
            journal.post(
                tx,
                transferId,
                List.of(
                    new Journal.Leg(trader.accountId(), -providerAmountPesewas),
                    new Journal.Leg(collection, providerAmountPesewas)));
            rebalance = journal.rebalance(tx, trader.id(), trader.accountId(), transferId);
          }
          tx.update(PAYMENTS)
              .set(PAYMENTS.STATUS, "SUCCESSFUL")
              .set(PAYMENTS.PROVIDER_AMOUNT_PESEWAS, providerAmountPesewas)
              .set(PAYMENTS.PROVIDER_TXN_ID, providerTxnId)
              .set(PAYMENTS.SUSPENSE, suspense)
              .set(PAYMENTS.TRANSFER_ID, transferId)
              .setNull(PAYMENTS.NEXT_POLL_AT)
              .set(PAYMENTS.SETTLED_AT, Payments.utc(now))
              .set(PAYMENTS.UPDATED_AT, Payments.utc(now))
              .where(PAYMENTS.ID.eq(p.getId()))
              .execute();
          if (suspense) {
            return new Settlement(reference, transferId, Optional.empty(), 0, 0, true);
          }
          // The receipt sequence row is the one lock every payment shares: take it last.
          Receipt receipt =
              journal.issueReceipt(
                  tx, transferId, providerAmountPesewas, trader.id(), null, rebalance, now);
          PostingFacts facts =
              facts(
                  PostingFacts.Channel.MOBILE_MONEY,
                  receipt,
                  trader,
                  rebalance,
                  day,
                  Optional.of(p.getPayerMsisdn()),
                  Optional.of(Language.ofCode(p.getPayerLanguage())),
                  Optional.empty());
          journal.queue(tx, notifier.messagesFor(facts), transferId, now);
          return new Settlement(
              reference,
              transferId,
              Optional.of(receipt),
              rebalance.allocatedPesewas(),
              rebalance.creditAfterPesewas(),
              false);
        });
  }

  /** The settlement as it was first returned, rebuilt from what was stored with it. */
  private Settlement replay(DSLContext tx, PaymentsRecord p) {
    long transferId = p.getTransferId();
    Optional<ReceiptsRecord> receipt =
        tx.selectFrom(RECEIPTS).where(RECEIPTS.TRANSFER_ID.eq(transferId)).fetchOptional();
    return new Settlement(
        p.getReference(),
        transferId,
        receipt.map(Settlements::toReceipt),
        receipt.map(ReceiptsRecord::getAllocatedPesewas).orElse(0L),
        receipt.map(ReceiptsRecord::getCreditAfterPesewas).orElse(0L),
        p.getSuspense());
  }

  static Optional<Receipt> receiptOf(DSLContext tx, long transferId) {
    return tx.selectFrom(RECEIPTS)
        .where(RECEIPTS.TRANSFER_ID.eq(transferId))
        .fetchOptional()
        .map(Settlements::toReceipt);
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

  private PostingFacts facts(
      PostingFacts.Channel channel,
      Receipt receipt,
      Journal.TraderRow trader,
      Journal.Rebalance rebalance,
      java.time.LocalDate day,
      Optional<String> payer,
      Optional<Language> payerLanguage,
      Optional<PostingFacts.CollectorRef> collector) {
    return new PostingFacts(
        channel,
        receipt.number(),
        receipt.verificationCode(),
        receipt.amountPesewas(),
        trader.name(),
        trader.phone(),
        trader.language(),
        trader.customerNumber(),
        trader.marketName(),
        rebalance.itemsPaid(),
        rebalance.openAfterPesewas(),
        rebalance.creditAfterPesewas(),
        day,
        payer,
        payerLanguage,
        collector);
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
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          Optional<TransfersRecord> seen = journal.findByKey(tx, key);
          if (seen.isPresent()) {
            return cashReplay(tx, journal.existing(tx, key, hash));
          }
          Journal.TraderRow trader =
              journal
                  .trader(tx, c.traderId())
                  .orElseThrow(() -> new UnknownEntityException("TRADER", c.traderId()));
          CollectorsRecord collector =
              tx.selectFrom(COLLECTORS).where(COLLECTORS.ID.eq(c.collectorId())).fetchOne();
          if (collector == null || !collector.getStatus().equals("ACTIVE")) {
            throw new UnknownEntityException("COLLECTOR", c.collectorId());
          }
          if (!tx.fetchExists(
              COLLECTOR_MARKETS,
              COLLECTOR_MARKETS.COLLECTOR_ID.eq(collector.getId()),
              COLLECTOR_MARKETS.MARKET_ID.eq(trader.marketId()))) {
            throw new InvalidInputException("collector is not assigned to the trader's market");
          }
          java.time.LocalDate day = journal.today(now);
          Optional<Long> inserted =
              journal.insertTransfer(
                  tx,
                  new Journal.Draft(
                      key,
                      "CASH_PAYMENT",
                      hash,
                      c.amountPesewas(),
                      null,
                      trader.id(),
                      collector.getId(),
                      day,
                      null,
                      null,
                      null));
          if (inserted.isEmpty()) {
            // Another node posted the same key a moment ago.
            return cashReplay(tx, journal.existing(tx, key, hash));
          }
          long transferId = inserted.get();
          long cashAccount = journal.collectorAccount(tx, collector.getId());
          journal.post(
              tx,
              transferId,
              List.of(
                  new Journal.Leg(trader.accountId(), -c.amountPesewas()),
                  new Journal.Leg(cashAccount, c.amountPesewas())));
          Journal.Rebalance rebalance =
              journal.rebalance(tx, trader.id(), trader.accountId(), transferId);
          Receipt receipt =
              journal.issueReceipt(
                  tx,
                  transferId,
                  c.amountPesewas(),
                  trader.id(),
                  collector.getId(),
                  rebalance,
                  now);
          PostingFacts facts =
              facts(
                  PostingFacts.Channel.CASH,
                  receipt,
                  trader,
                  rebalance,
                  day,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(
                      new PostingFacts.CollectorRef(
                          collector.getId(),
                          collector.getName(),
                          collector.getPhone(),
                          collector.getStaffNumber(),
                          journal.accountTotalOn(tx, cashAccount, day))));
          journal.queue(tx, notifier.messagesFor(facts), transferId, now);
          return new CashPosting(
              transferId, receipt, rebalance.allocatedPesewas(), rebalance.creditAfterPesewas());
        });
  }

  private CashPosting cashReplay(DSLContext tx, TransfersRecord t) {
    ReceiptsRecord r =
        tx.selectFrom(RECEIPTS).where(RECEIPTS.TRANSFER_ID.eq(t.getId())).fetchSingle();
    return new CashPosting(
        t.getId(), toReceipt(r), r.getAllocatedPesewas(), r.getCreditAfterPesewas());
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
