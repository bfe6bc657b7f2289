package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.ACCOUNTS;
import static org.assemblypay.ledger.jooq.Tables.MARKETS;
import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;
import static org.assemblypay.ledger.jooq.Tables.TRADERS;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assemblypay.ledger.jooq.tables.records.TransfersRecord;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** The journal's building blocks, always called inside a caller's transaction. */
final class Journal {
  static final int COLLECTION_SHARDS = 8;

  private final Assembly assembly;
  private final Map<String, Long> systemAccounts;
  private final Settler settler;

  Journal(Assembly assembly, DSLContext dsl) {
    this.assembly = assembly;
    this.systemAccounts =
        Map.copyOf(
            dsl.select(ACCOUNTS.CODE, ACCOUNTS.ID)
                .from(ACCOUNTS)
                .where(ACCOUNTS.KIND.in("COLLECTION", "SUSPENSE", "REVENUE"))
                .fetchMap(ACCOUNTS.CODE, ACCOUNTS.ID));
    this.settler = new Settler(dsl, this);
  }

  /** The assembly's group-commit writer for intents and money in. */
  Settler settler() {
    return settler;
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
   * Makes the trader's charges agree with their account (the database's {@code ledger_rebalance},
   * the one implementation of allocation): credit pays the oldest open charges; a negative credit
   * (after a reversal) reopens the newest paid charges. The trader's account row must already be
   * locked by this transaction.
   */
  Rebalance rebalance(DSLContext tx, long traderId, long accountId, long transferId) {
    Record r =
        tx.fetchSingle(
            "select * from {0}.ledger_rebalance({1}, {2}, {3})",
            DSL.name(assembly.schemaName()),
            DSL.val(traderId),
            DSL.val(accountId),
            DSL.val(transferId));
    List<ChargeItem> items = new ArrayList<>();
    for (String item : r.get("items", String[].class)) {
      items.add(ChargeItem.valueOf(item));
    }
    return new Rebalance(
        r.get("allocated", Long.class),
        List.copyOf(items),
        r.get("open_after", Long.class),
        r.get("credit_after", Long.class));
  }

  /** Takes back what {@code transferId} allocated (used when it is reversed). */
  void undoAllocations(DSLContext tx, long originalTransferId, long reversalTransferId) {
    tx.fetch(
        "select {0}.ledger_undo_allocations({1}, {2})",
        DSL.name(assembly.schemaName()), DSL.val(originalTransferId), DSL.val(reversalTransferId));
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
