package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.ALLOCATIONS;
import static org.assemblypay.ledger.jooq.Tables.CHARGES;
import static org.assemblypay.ledger.jooq.Tables.MARKETS;
import static org.assemblypay.ledger.jooq.Tables.RECEIPTS;
import static org.assemblypay.ledger.jooq.Tables.RECEIPT_SEQUENCES;
import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;
import static org.assemblypay.ledger.jooq.Tables.TRADERS;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assemblypay.ledger.jooq.tables.records.ChargesRecord;
import org.assemblypay.ledger.jooq.tables.records.TransfersRecord;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** The journal's building blocks, always called inside a caller's transaction. */
final class Journal {
  static final int COLLECTION_SHARDS = 8;
  private static final String CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

  private final Assembly assembly;
  private final Map<String, Long> systemAccounts;
  private final SecureRandom random = new SecureRandom();

  Journal(Assembly assembly, DSLContext dsl) {
    this.assembly = assembly;
    this.systemAccounts =
        Map.copyOf(
            dsl.select(ACCOUNTS.CODE, ACCOUNTS.ID)
                .from(ACCOUNTS)
                .where(ACCOUNTS.KIND.in("COLLECTION", "SUSPENSE", "REVENUE"))
                .fetchMap(ACCOUNTS.CODE, ACCOUNTS.ID));
  }

  Assembly assembly() {
    return assembly;
  }

  long collectionShard(int hash) {
    return systemAccounts.get("COLLECTION:" + Math.floorMod(hash, COLLECTION_SHARDS));
  }

  long suspense() {
    return systemAccounts.get("SUSPENSE");
  }

  long revenue(ChargeItem item) {
    return systemAccounts.get("REVENUE:" + item.name());
  }

  LocalDate today(Instant now) {
    return now.atZone(assembly.timeZone()).toLocalDate();
  }

  static String hash(Object... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Object p : parts) {
        sha.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x1f);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A transfer header to write. */
  record Draft(
      String key,
      String kind,
      String contentHash,
      long amountPesewas,
      Long reversesTransferId,
      Long traderId,
      Long collectorId,
      LocalDate businessDate,
      String reason,
      String requestedBy,
      String approvedBy) {}

  /** One leg of a transfer: debit positive, credit negative. */
  record Leg(long accountId, long amountPesewas) {}

  /**
   * Inserts the transfer header; returns empty when the key already exists with the same content (a
   * replay), throws {@link IdempotencyConflictException} when it exists with other content.
   */
  Optional<Long> insertTransfer(DSLContext tx, Draft d) {
    Optional<Long> id =
        tx.insertInto(TRANSFERS)
            .set(TRANSFERS.IDEMPOTENCY_KEY, d.key())
            .set(TRANSFERS.KIND, d.kind())
            .set(TRANSFERS.CONTENT_HASH, d.contentHash())
            .set(TRANSFERS.AMOUNT_PESEWAS, d.amountPesewas())
            .set(TRANSFERS.REVERSES_TRANSFER_ID, d.reversesTransferId())
            .set(TRANSFERS.TRADER_ID, d.traderId())
            .set(TRANSFERS.COLLECTOR_ID, d.collectorId())
            .set(TRANSFERS.BUSINESS_DATE, d.businessDate())
            .set(TRANSFERS.REASON, d.reason())
            .set(TRANSFERS.REQUESTED_BY, d.requestedBy())
            .set(TRANSFERS.APPROVED_BY, d.approvedBy())
            .onConflict(TRANSFERS.IDEMPOTENCY_KEY)
            .doNothing()
            .returningResult(TRANSFERS.ID)
            .fetchOptional()
            .map(r -> r.value1());
    if (id.isEmpty()) {
      existing(tx, d.key(), d.contentHash());
    }
    return id;
  }

  /** The transfer already stored under {@code key}, if its content matches. */
  TransfersRecord existing(DSLContext tx, String key, String contentHash) {
    TransfersRecord t =
        tx.selectFrom(TRANSFERS).where(TRANSFERS.IDEMPOTENCY_KEY.eq(key)).fetchSingle();
    if (!t.getContentHash().equals(contentHash)) {
      throw new IdempotencyConflictException(key);
    }
    return t;
  }

  Optional<TransfersRecord> findByKey(DSLContext tx, String key) {
    return tx.selectFrom(TRANSFERS).where(TRANSFERS.IDEMPOTENCY_KEY.eq(key)).fetchOptional();
  }

  /** Writes all legs in one statement; the database updates balances and checks the sum. */
  void post(DSLContext tx, long transferId, List<Leg> legs) {
    var insert =
        tx.insertInto(
            org.assemblypay.ledger.jooq.Tables.POSTINGS,
            org.assemblypay.ledger.jooq.Tables.POSTINGS.TRANSFER_ID,
            org.assemblypay.ledger.jooq.Tables.POSTINGS.ACCOUNT_ID,
            org.assemblypay.ledger.jooq.Tables.POSTINGS.AMOUNT_PESEWAS);
    for (Leg leg : legs) {
      insert = insert.values(transferId, leg.accountId(), leg.amountPesewas());
    }
    insert.execute();
  }

  long createAccount(DSLContext tx, String code, String kind, long ownerId) {
    return tx.insertInto(ACCOUNTS)
        .set(ACCOUNTS.CODE, code)
        .set(ACCOUNTS.KIND, kind)
        .set(ACCOUNTS.OWNER_ID, ownerId)
        .returningResult(ACCOUNTS.ID)
        .fetchSingle()
        .value1();
  }

  long collectorAccount(DSLContext tx, long collectorId) {
    return tx.select(ACCOUNTS.ID)
        .from(ACCOUNTS)
        .where(ACCOUNTS.KIND.eq("COLLECTOR_CASH"), ACCOUNTS.OWNER_ID.eq(collectorId))
        .fetchSingle()
        .value1();
  }

  /** Sum of an account's postings on transfers of one business date. */
  long accountTotalOn(DSLContext tx, long accountId, LocalDate day) {
    Long total =
        tx.select(
                DSL.sum(org.assemblypay.ledger.jooq.Tables.POSTINGS.AMOUNT_PESEWAS)
                    .cast(Long.class))
            .from(org.assemblypay.ledger.jooq.Tables.POSTINGS)
            .join(TRANSFERS)
            .on(TRANSFERS.ID.eq(org.assemblypay.ledger.jooq.Tables.POSTINGS.TRANSFER_ID))
            .where(org.assemblypay.ledger.jooq.Tables.POSTINGS.ACCOUNT_ID.eq(accountId))
            .and(TRANSFERS.BUSINESS_DATE.eq(day))
            .fetchSingle()
            .value1();
    return total == null ? 0 : total;
  }

  /** What a receipt and its SMS need to know about a trader. */
  record TraderRow(
      long id,
      String name,
      String phone,
      Language language,
      String customerNumber,
      long marketId,
      String marketName,
      long accountId) {}

  Optional<TraderRow> trader(DSLContext tx, long traderId) {
    return tx.select(
            TRADERS.ID,
            TRADERS.NAME,
            TRADERS.PHONE,
            TRADERS.LANGUAGE,
            TRADERS.CUSTOMER_NUMBER,
            TRADERS.MARKET_ID,
            MARKETS.NAME,
            ACCOUNTS.ID)
        .from(TRADERS)
        .join(MARKETS)
        .on(MARKETS.ID.eq(TRADERS.MARKET_ID))
        .join(ACCOUNTS)
        .on(ACCOUNTS.KIND.eq("TRADER"), ACCOUNTS.OWNER_ID.eq(TRADERS.ID))
        .where(TRADERS.ID.eq(traderId))
        .fetchOptional()
        .map(
            r ->
                new TraderRow(
                    r.value1(),
                    r.value2(),
                    r.value3(),
                    Language.ofCode(r.value4()),
                    r.value5(),
                    r.value6(),
                    r.value7(),
                    r.value8()));
  }

  /** The outcome of matching a trader's money to their charges. */
  record Rebalance(
      long allocatedPesewas,
      List<ChargeItem> itemsPaid,
      long openAfterPesewas,
      long creditAfterPesewas) {}

  /**
   * Makes the trader's charges agree with their account: credit (money in but not yet allocated)
   * pays the oldest open charges; a negative credit (after a reversal) reopens the newest paid
   * charges. The trader's account row must already be locked by this transaction.
   */
  Rebalance rebalance(DSLContext tx, long traderId, long accountId, long transferId) {
    long balance =
        tx.select(ACCOUNTS.BALANCE_PESEWAS)
            .from(ACCOUNTS)
            .where(ACCOUNTS.ID.eq(accountId))
            .fetchSingle()
            .value1();
    List<ChargesRecord> open =
        tx.selectFrom(CHARGES)
            .where(CHARGES.TRADER_ID.eq(traderId), CHARGES.STATUS.eq("OPEN"))
            .orderBy(CHARGES.DUE_DATE, CHARGES.ID)
            .forUpdate()
            .fetch();
    long openSum = 0;
    for (ChargesRecord c : open) {
      openSum += c.getAmountPesewas() - c.getPaidPesewas();
    }
    long credit = openSum - balance;
    List<Query> writes = new ArrayList<>();
    Set<ChargeItem> items = new LinkedHashSet<>();
    long allocated = 0;
    if (credit > 0 && openSum > 0) {
      long left = Math.min(credit, openSum);
      for (ChargesRecord c : open) {
        if (left == 0) {
          break;
        }
        long take = Math.min(left, c.getAmountPesewas() - c.getPaidPesewas());
        left -= take;
        allocated += take;
        items.add(ChargeItem.valueOf(c.getItem()));
        writes.add(chargePaid(tx, c, c.getPaidPesewas() + take));
        writes.add(allocation(tx, c.getId(), transferId, take));
      }
    } else if (credit < 0) {
      long need = -credit;
      List<ChargesRecord> paid =
          tx.selectFrom(CHARGES)
              .where(CHARGES.TRADER_ID.eq(traderId), CHARGES.PAID_PESEWAS.gt(0L))
              .orderBy(CHARGES.DUE_DATE.desc(), CHARGES.ID.desc())
              .forUpdate()
              .fetch();
      for (ChargesRecord c : paid) {
        if (need == 0) {
          break;
        }
        long take = Math.min(need, c.getPaidPesewas());
        need -= take;
        allocated -= take;
        writes.add(chargePaid(tx, c, c.getPaidPesewas() - take));
        writes.add(allocation(tx, c.getId(), transferId, -take));
      }
    }
    if (!writes.isEmpty()) {
      tx.batch(writes).execute();
    }
    long openAfter = openSum - allocated;
    return new Rebalance(
        allocated, List.copyOf(items), openAfter, Math.max(0, openAfter - balance));
  }

  /** Takes back what {@code transferId} allocated (used when it is reversed). */
  void undoAllocations(DSLContext tx, long originalTransferId, long reversalTransferId) {
    Map<Long, Long> byCharge =
        tx.select(ALLOCATIONS.CHARGE_ID, DSL.sum(ALLOCATIONS.AMOUNT_PESEWAS).cast(Long.class))
            .from(ALLOCATIONS)
            .where(ALLOCATIONS.TRANSFER_ID.eq(originalTransferId))
            .groupBy(ALLOCATIONS.CHARGE_ID)
            .fetchMap(r -> r.value1(), r -> r.value2());
    if (byCharge.isEmpty()) {
      return;
    }
    List<ChargesRecord> charges =
        tx.selectFrom(CHARGES)
            .where(CHARGES.ID.in(byCharge.keySet()))
            .orderBy(CHARGES.ID)
            .forUpdate()
            .fetch();
    List<Query> writes = new ArrayList<>();
    for (ChargesRecord c : charges) {
      long take = Math.min(byCharge.get(c.getId()), c.getPaidPesewas());
      if (take > 0) {
        writes.add(chargePaid(tx, c, c.getPaidPesewas() - take));
        writes.add(allocation(tx, c.getId(), reversalTransferId, -take));
      }
    }
    if (!writes.isEmpty()) {
      tx.batch(writes).execute();
    }
  }

  private static Query chargePaid(DSLContext tx, ChargesRecord c, long paidPesewas) {
    return tx.update(CHARGES)
        .set(CHARGES.PAID_PESEWAS, paidPesewas)
        .set(CHARGES.STATUS, paidPesewas == c.getAmountPesewas() ? "PAID" : "OPEN")
        .where(CHARGES.ID.eq(c.getId()));
  }

  private static Query allocation(DSLContext tx, long chargeId, long transferId, long amount) {
    return tx.insertInto(ALLOCATIONS)
        .set(ALLOCATIONS.CHARGE_ID, chargeId)
        .set(ALLOCATIONS.TRANSFER_ID, transferId)
        .set(ALLOCATIONS.AMOUNT_PESEWAS, amount);
  }

  /**
   * Issues the next receipt number of the year. The sequence row stays locked until commit, so
   * numbers are gapless: a rolled-back transaction gives its number back.
   */
  Receipt issueReceipt(
      DSLContext tx,
      long transferId,
      long amountPesewas,
      long traderId,
      Long collectorId,
      Rebalance rebalance,
      Instant now) {
    int year = now.atZone(assembly.timeZone()).getYear();
    long seq =
        tx.insertInto(RECEIPT_SEQUENCES)
            .set(RECEIPT_SEQUENCES.YEAR, year)
            .set(RECEIPT_SEQUENCES.LAST_SEQ, 1L)
            .onConflict(RECEIPT_SEQUENCES.YEAR)
            .doUpdate()
            .set(RECEIPT_SEQUENCES.LAST_SEQ, RECEIPT_SEQUENCES.LAST_SEQ.plus(1L))
            .returningResult(RECEIPT_SEQUENCES.LAST_SEQ)
            .fetchSingle()
            .value1();
    String number = String.format("%s-%d-%06d", assembly.code(), year, seq);
    for (int attempt = 0; attempt < 8; attempt++) {
      String code = verificationCode();
      Optional<Record> inserted =
          tx.insertInto(RECEIPTS)
              .set(RECEIPTS.NUMBER, number)
              .set(RECEIPTS.YEAR, year)
              .set(RECEIPTS.SEQ, seq)
              .set(RECEIPTS.VERIFICATION_CODE, code)
              .set(RECEIPTS.TRANSFER_ID, transferId)
              .set(RECEIPTS.AMOUNT_PESEWAS, amountPesewas)
              .set(RECEIPTS.TRADER_ID, traderId)
              .set(RECEIPTS.COLLECTOR_ID, collectorId)
              .set(RECEIPTS.ALLOCATED_PESEWAS, rebalance.allocatedPesewas())
              .set(RECEIPTS.ARREARS_AFTER_PESEWAS, rebalance.openAfterPesewas())
              .set(RECEIPTS.CREDIT_AFTER_PESEWAS, rebalance.creditAfterPesewas())
              .set(RECEIPTS.ISSUED_AT, now.atOffset(ZoneOffset.UTC))
              .onConflictOnConstraint(DSL.name("receipts_code_uk"))
              .doNothing()
              .returningResult(RECEIPTS.ID)
              .fetchOptional()
              .map(r -> (Record) r);
      if (inserted.isPresent()) {
        return new Receipt(
            number,
            code,
            transferId,
            amountPesewas,
            traderId,
            Optional.ofNullable(collectorId),
            now);
      }
    }
    throw new IllegalStateException("could not find a free verification code");
  }

  /** Six characters from a 31-letter alphabet (about 8.9e8 codes), shown as {@code 7KQ2-9D}. */
  private String verificationCode() {
    StringBuilder sb = new StringBuilder(7);
    for (int i = 0; i < 6; i++) {
      if (i == 4) {
        sb.append('-');
      }
      sb.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
    }
    return sb.toString();
  }

  /** Normalises what a person typed into the stored code form, or null if it cannot be one. */
  static String normalizeCode(String typed) {
    String s = typed.replaceAll("[^0-9A-Za-z]", "").toUpperCase(java.util.Locale.ROOT);
    if (s.length() != 6) {
      return null;
    }
    return s.substring(0, 4) + "-" + s.substring(4);
  }

  void queue(DSLContext tx, List<OutboundSmsDraft> drafts, Long transferId, Instant now) {
    if (drafts.isEmpty()) {
      return;
    }
    var insert =
        tx.insertInto(
            SMS_OUTBOX,
            SMS_OUTBOX.RECIPIENT_MSISDN,
            SMS_OUTBOX.TEXT,
            SMS_OUTBOX.LANGUAGE,
            SMS_OUTBOX.CORRELATION_ID,
            SMS_OUTBOX.TRANSFER_ID,
            SMS_OUTBOX.NEXT_ATTEMPT_AT);
    for (OutboundSmsDraft d : drafts) {
      checkDraft(d);
      insert =
          insert.values(
              Msisdn.normalize(d.recipientMsisdn()),
              d.text(),
              d.language().code(),
              outboxCorrelationId(d),
              transferId,
              now.atOffset(ZoneOffset.UTC));
    }
    insert.execute();
  }

  /**
   * The correlation id an outbox row records: the id of the action queuing it (the current
   * thread's, e.g. the payment being settled or the SMS command being run), else the draft's own
   * key.
   */
  static String outboxCorrelationId(OutboundSmsDraft d) {
    return Correlation.current().flatMap(Correlation::storable).orElse(d.correlationId());
  }

  static void checkDraft(OutboundSmsDraft d) {
    if (d.text() == null || d.text().isEmpty() || d.text().length() > 1600) {
      throw new InvalidInputException("SMS text must be 1..1600 characters");
    }
    if (d.language() == null) {
      throw new InvalidInputException("SMS language missing");
    }
  }
}
