package org.assemblypay.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.assemblypay.ledger.jooq.tables.records.PaymentsRecord;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * Group commit for money in (D100): concurrent payment intents, mobile-money settlements and cash
 * payments of one assembly queue here; a writer (one of the waiting callers) posts up to {@link
 * #MAX_BATCH} of them in one transaction through the database's {@code ledger_post_batch}, and
 * every caller returns only once its own item is committed. An item that cannot post gets its typed
 * error and writes nothing; a batch that fails as a whole is re-run item by item, so one bad item
 * never fails its neighbours.
 */
final class Settler {
  static final int MAX_BATCH = 64;

  /**
   * Concurrent batches per assembly and node; the JVM property {@code assemblypay.ledger.writers}
   * overrides it (for benchmarking).
   */
  static final int MAX_WRITERS = Math.max(1, Integer.getInteger("assemblypay.ledger.writers", 2));

  private static final int TRANSIENT_RETRIES = 3;

  /** No writer ever lingers longer than this, whatever is configured. */
  static final long MAX_LINGER_NANOS = 5_000_000;

  /**
   * How long a writer that finds the queue thin waits for a fuller batch while another batch is in
   * flight (D183); the JVM property {@code assemblypay.ledger.lingerMicros} sets it. 300 µs by
   * default (D243): once the posting core stopped scanning payments (D242), 8 posters posted about
   * a quarter more per second with it than without.
   */
  static final long DEFAULT_LINGER_NANOS =
      1_000L * Long.getLong("assemblypay.ledger.lingerMicros", 300L);

  private final DSLContext dsl;
  private final Journal journal;
  private final String postSql;
  private final String outboxSql;
  private final IntentWriter intents;
  private final Object lock = new Object();
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private int writers;

  /** Items in batches being written now. */
  private int inFlight;

  /** The writer waiting for a fuller batch, if any; nobody else takes from the queue meanwhile. */
  private Thread lingerer;

  private int lingerTarget;
  private long lingers;
  private final long lingerNanos;

  Settler(DSLContext dsl, Journal journal) {
    this(dsl, journal, DEFAULT_LINGER_NANOS);
  }

  Settler(DSLContext dsl, Journal journal, long lingerNanos) {
    this.lingerNanos = Math.max(0, Math.min(lingerNanos, MAX_LINGER_NANOS));
    this.dsl = dsl;
    this.journal = journal;
    String schema = "\"" + journal.assembly().schemaName().replace("\"", "\"\"") + "\"";
    this.postSql =
        "select * from "
            + schema
            + ".ledger_post_batch(?::text[], ?::uuid[], ?::bigint[], ?::text[], ?::text[],"
            + " ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::timestamptz, ?::date,"
            + " ?::integer, ?::text)";
    this.outboxSql =
        "insert into "
            + schema
            + ".sms_outbox (recipient_msisdn, text, language, correlation_id, transfer_id,"
            + " next_attempt_at) select u.r, u.t, u.l, u.c, u.tr, ?::timestamptz from"
            + " unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])"
            + " as u(r, t, l, c, tr)";
    this.intents = new IntentWriter(schema);
  }

  /** One posting waiting for its batch. */
  abstract static class Item {
    final Notifier notifier;
    final Instant requestedAt;

    /**
     * The caller's correlation id, captured when it queued: the batch runs on whichever caller
     * leads it, so the thread's id there is not this item's.
     */
    final String correlationId = Correlation.current().flatMap(Correlation::storable).orElse(null);

    private Object result;
    private RuntimeException error;
    private volatile boolean done;
    private Thread waiter;

    Item(Notifier notifier, Instant requestedAt) {
      this.notifier = notifier;
      this.requestedAt = requestedAt;
    }

    /** Items with the same identity never share a batch: the later one is a replay. */
    abstract String identity();
  }

  /** A successful mobile-money payment to settle. */
  static final class Momo extends Item {
    final UUID reference;
    final long amountPesewas;
    final String providerTxnId;
    final long shardAccount;

    Momo(
        UUID reference,
        long amountPesewas,
        String providerTxnId,
        long shardAccount,
        Notifier notifier,
        Instant requestedAt) {
      super(notifier, requestedAt);
      this.reference = reference;
      this.amountPesewas = amountPesewas;
      this.providerTxnId = providerTxnId;
      this.shardAccount = shardAccount;
    }

    @Override
    String identity() {
      return "M:" + reference;
    }
  }

  /** A payment intent to store before the provider is called. */
  static final class Intent extends Item {
    final PaymentsRecord row;

    Intent(PaymentsRecord row, Instant requestedAt) {
      super(Notifier.silent(), requestedAt);
      this.row = row;
    }

    @Override
    String identity() {
      return "I:" + row.getReference();
    }
  }

  /** Cash a collector took. */
  static final class Cash extends Item {
    final String key;
    final String contentHash;
    final long traderId;
    final long collectorId;
    final long amountPesewas;

    Cash(
        String key,
        String contentHash,
        long traderId,
        long collectorId,
        long amountPesewas,
        Notifier notifier,
        Instant requestedAt) {
      super(notifier, requestedAt);
      this.key = key;
      this.contentHash = contentHash;
      this.traderId = traderId;
      this.collectorId = collectorId;
      this.amountPesewas = amountPesewas;
    }

    @Override
    String identity() {
      return "C:" + key;
    }
  }

  /** Queues the item and returns once it is committed (or failed); may write others' batches. */
  Object submit(Item item) {
    item.waiter = Thread.currentThread();
    synchronized (lock) {
      queue.add(item);
      arrived();
    }
    return await(item);
  }

  /**
   * Queues all items at once, then waits for each; the batches they form are predictable (up to
   * MAX_BATCH, a repeated identity in the next batch), which tests rely on.
   */
  List<Outcome> submitAll(List<? extends Item> items) {
    Thread me = Thread.currentThread();
    for (Item item : items) {
      item.waiter = me;
    }
    synchronized (lock) {
      queue.addAll(items);
      arrived();
    }
    List<Outcome> outcomes = new ArrayList<>(items.size());
    for (Item item : items) {
      try {
        outcomes.add(new Outcome(await(item), null));
      } catch (RuntimeException e) {
        outcomes.add(new Outcome(null, e));
      }
    }
    return outcomes;
  }

  /**
   * How many writers chose to linger for a fuller batch (D183); tests read it to check that a lone
   * caller is never held.
   */
  long lingers() {
    synchronized (lock) {
      return lingers;
    }
  }

  /** Called holding the lock after items were queued: wakes a lingering writer once it is full. */
  private void arrived() {
    if (lingerer != null && queue.size() >= lingerTarget) {
      LockSupport.unpark(lingerer);
    }
  }

  /**
   * Waits until the item is committed or failed, writing batches (its own or others') whenever a
   * writer slot is free. Each caller parks on its own: a completion wakes only its batch's callers,
   * and a freed slot wakes only the caller at the head of the queue (D184).
   */
  private Object await(Item item) {
    boolean interrupted = false;
    try {
      for (; ; ) {
        List<Item> batch = null;
        long deadline = 0;
        synchronized (lock) {
          if (item.done) {
            break;
          }
          if (writers < MAX_WRITERS && !queue.isEmpty() && lingerer == null) {
            writers++;
            // Linger only while another batch is being written: its callers are about to come
            // back with their next items, so a thin queue will fill. A lone caller never waits.
            if (lingerNanos > 0 && inFlight > 0 && queue.size() < MAX_BATCH) {
              lingerer = Thread.currentThread();
              lingerTarget = Math.min(MAX_BATCH, queue.size() + inFlight);
              lingers++;
              deadline = System.nanoTime() + lingerNanos;
            } else {
              batch = take();
            }
          }
        }
        if (batch == null && deadline == 0) {
          LockSupport.park(this);
          interrupted |= Thread.interrupted();
          continue;
        }
        try {
          if (batch == null) {
            batch = linger(deadline);
          }
          write(batch);
        } finally {
          synchronized (lock) {
            writers--;
            if (batch != null) {
              inFlight -= batch.size();
            }
            wakeNext();
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (item.error != null) {
      throw item.error;
    }
    return item.result;
  }

  /** Waits (bounded) for the queue to reach the linger target, then takes the batch. */
  private List<Item> linger(long deadline) {
    boolean interrupted = false;
    try {
      for (; ; ) {
        long left = deadline - System.nanoTime();
        synchronized (lock) {
          if (left <= 0 || queue.size() >= lingerTarget) {
            lingerer = null;
            List<Item> batch = take();
            wakeNext();
            return batch;
          }
        }
        LockSupport.parkNanos(this, left);
        interrupted |= Thread.interrupted();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Called holding the lock: if a writer slot is free and items wait, wakes one to write them. */
  private void wakeNext() {
    if (lingerer == null && writers < MAX_WRITERS && !queue.isEmpty()) {
      LockSupport.unpark(queue.peekFirst().waiter);
    }
  }

  /** Up to MAX_BATCH queued items, at most one per identity. Called holding the lock. */
  private List<Item> take() {
    List<Item> batch = new ArrayList<>(Math.min(MAX_BATCH, queue.size()));
    Set<String> seen = new HashSet<>();
    for (Iterator<Item> i = queue.iterator(); i.hasNext() && batch.size() < MAX_BATCH; ) {
      Item item = i.next();
      if (seen.add(item.identity())) {
        batch.add(item);
        i.remove();
      }
    }
    inFlight += batch.size();
    return batch;
  }

  /** Posts a batch and completes its items; after a failure of the whole batch, item by item. */
  private void write(List<Item> batch) {
    for (int attempt = 0; ; attempt++) {
      try {
        List<Outcome> outcomes = post(batch, postingTime(batch));
        complete(batch, outcomes);
        return;
      } catch (RuntimeException e) {
        if (batch.size() > 1) {
          for (Item item : batch) {
            write(List.of(item));
          }
          return;
        }
        if (attempt < TRANSIENT_RETRIES && transientFailure(e)) {
          continue;
        }
        complete(batch, List.of(new Outcome(null, e)));
        return;
      }
    }
  }

  private void complete(List<Item> batch, List<Outcome> outcomes) {
    synchronized (lock) {
      for (int i = 0; i < batch.size(); i++) {
        Item item = batch.get(i);
        item.result = outcomes.get(i).result();
        item.error = outcomes.get(i).error();
        item.done = true;
      }
    }
    for (Item item : batch) {
      LockSupport.unpark(item.waiter);
    }
  }

  private static boolean transientFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ("40P01".equals(state) || "40001".equals(state)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The batch's business time: the latest time any of its callers asked to post at. */
  private static Instant postingTime(List<Item> batch) {
    Instant at = batch.get(0).requestedAt;
    for (Item item : batch) {
      if (item.requestedAt.isAfter(at)) {
        at = item.requestedAt;
      }
    }
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  /** What one item came to: a result or a typed error. */
  record Outcome(Object result, RuntimeException error) {}

  /** One transaction for the whole batch; throws if anything in it fails (nothing is written). */
  private List<Outcome> post(List<Item> batch, Instant now) {
    ConnectionProvider provider = dsl.configuration().connectionProvider();
    Connection c = provider.acquire();
    try {
      c.setAutoCommit(false);
      try {
        List<Outcome> outcomes = postIn(c, batch, now);
        c.commit();
        return outcomes;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DataAccessException("posting batch failed: " + e.getMessage(), e);
    } finally {
      provider.release(c);
    }
  }

  private List<Outcome> postIn(Connection c, List<Item> batch, Instant now) throws SQLException {
    Outcome[] outcomes = new Outcome[batch.size()];
    List<Integer> intents = new ArrayList<>();
    List<Integer> postings = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      (batch.get(i) instanceof Intent ? intents : postings).add(i);
    }
    if (!intents.isEmpty()) {
      storeIntents(c, batch, intents, outcomes);
    }
    if (!postings.isEmpty()) {
      postMoney(c, batch, postings, outcomes, now);
    }
    return List.of(outcomes);
  }

  /**
   * Stores the intents in one statement, in reference order (so that two nodes inserting the same
   * references wait for each other instead of deadlocking); an unknown trader or a reused reference
   * with other content is that intent's error.
   */
  private void storeIntents(
      Connection c, List<Item> batch, List<Integer> indexes, Outcome[] outcomes)
      throws SQLException {
    List<PaymentsRecord> rows = new ArrayList<>(indexes.size());
    for (int i : indexes) {
      rows.add(((Intent) batch.get(i)).row);
    }
    List<Outcome> stored = intents.store(c, rows);
    for (int k = 0; k < indexes.size(); k++) {
      outcomes[indexes.get(k)] = stored.get(k);
    }
  }

  private void postMoney(
      Connection c, List<Item> all, List<Integer> indexes, Outcome[] outcomes, Instant now)
      throws SQLException {
    List<Item> batch = new ArrayList<>(indexes.size());
    for (int i : indexes) {
      batch.add(all.get(i));
    }
    int n = batch.size();
    String[] kind = new String[n];
    UUID[] ref = new UUID[n];
    Long[] amount = new Long[n];
    String[] txn = new String[n];
    String[] key = new String[n];
    String[] hash = new String[n];
    Long[] trader = new Long[n];
    Long[] collector = new Long[n];
    Long[] shard = new Long[n];
    for (int i = 0; i < n; i++) {
      Item item = batch.get(i);
      if (item instanceof Momo m) {
        kind[i] = "MOMO";
        ref[i] = m.reference;
        amount[i] = m.amountPesewas;
        txn[i] = m.providerTxnId;
        shard[i] = m.shardAccount;
      } else {
        Cash k = (Cash) item;
        kind[i] = "CASH";
        amount[i] = k.amountPesewas;
        key[i] = k.key;
        hash[i] = k.contentHash;
        trader[i] = k.traderId;
        collector[i] = k.collectorId;
      }
    }
    LocalDate day = journal.today(now);
    int year = now.atZone(journal.assembly().timeZone()).getYear();
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    Row[] rows = new Row[n];
    try (PreparedStatement ps = c.prepareStatement(postSql)) {
      ps.setArray(1, c.createArrayOf("text", kind));
      ps.setArray(2, c.createArrayOf("uuid", ref));
      ps.setArray(3, c.createArrayOf("bigint", amount));
      ps.setArray(4, c.createArrayOf("text", txn));
      ps.setArray(5, c.createArrayOf("text", key));
      ps.setArray(6, c.createArrayOf("text", hash));
      ps.setArray(7, c.createArrayOf("bigint", trader));
      ps.setArray(8, c.createArrayOf("bigint", collector));
      ps.setArray(9, c.createArrayOf("bigint", shard));
      ps.setObject(10, at);
      ps.setObject(11, day);
      ps.setInt(12, year);
      ps.setString(13, journal.assembly().code());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Row row = Row.of(rs);
          rows[row.idx - 1] = row;
        }
      }
    }
    List<OutboundSmsDraft> drafts = new ArrayList<>();
    List<Long> draftTransfers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Item item = batch.get(i);
      Row row = rows[i];
      outcomes[indexes.get(i)] = item instanceof Momo m ? momo(m, row) : cash((Cash) item, row);
      if (row.outcome.equals("POSTED") && !row.suspense) {
        // A notifier that throws, or a bad draft, fails the batch; it is then re-run item by item.
        for (OutboundSmsDraft d : item.notifier.messagesFor(facts(item, row, day))) {
          Journal.checkDraft(d);
          drafts.add(
              new OutboundSmsDraft(
                  Msisdn.normalize(d.recipientMsisdn()),
                  d.text(),
                  d.language(),
                  item.correlationId != null ? item.correlationId : d.correlationId()));
          draftTransfers.add(row.transferId);
        }
      }
    }
    if (!drafts.isEmpty()) {
      queue(c, drafts, draftTransfers, at);
    }
  }

  private void queue(
      Connection c, List<OutboundSmsDraft> drafts, List<Long> transfers, OffsetDateTime at)
      throws SQLException {
    int n = drafts.size();
    String[] to = new String[n];
    String[] text = new String[n];
    String[] language = new String[n];
    String[] correlation = new String[n];
    for (int i = 0; i < n; i++) {
      OutboundSmsDraft d = drafts.get(i);
      to[i] = d.recipientMsisdn();
      text[i] = d.text();
      language[i] = d.language().code();
      correlation[i] = d.correlationId();
    }
    try (PreparedStatement ps = c.prepareStatement(outboxSql)) {
      ps.setObject(1, at);
      ps.setArray(2, c.createArrayOf("text", to));
      ps.setArray(3, c.createArrayOf("text", text));
      ps.setArray(4, c.createArrayOf("text", language));
      ps.setArray(5, c.createArrayOf("text", correlation));
      ps.setArray(6, c.createArrayOf("bigint", transfers.toArray(new Long[0])));
      ps.executeUpdate();
    }
  }

  private static Outcome momo(Momo m, Row row) {
    switch (row.outcome) {
      case "POSTED", "REPLAY":
        return new Outcome(
            new Settlement(
                m.reference,
                row.transferId,
                row.receipt(),
                row.allocated,
                row.creditAfter,
                row.suspense),
            null);
      case "UNKNOWN_PAYMENT":
        return new Outcome(null, new UnknownEntityException("PAYMENT", m.reference));
      case "PAYMENT_FAILED":
        return new Outcome(
            null, new IllegalTransitionException("payment " + m.reference + " already FAILED"));
      case "CONFLICT":
        return new Outcome(null, new IdempotencyConflictException("payment " + m.reference));
      default:
        throw new IllegalStateException("unexpected posting outcome " + row.outcome);
    }
  }

  private static Outcome cash(Cash k, Row row) {
    switch (row.outcome) {
      case "POSTED", "REPLAY":
        return new Outcome(
            new CashPosting(
                row.transferId, row.receipt().orElseThrow(), row.allocated, row.creditAfter),
            null);
      case "UNKNOWN_TRADER":
        return new Outcome(null, new UnknownEntityException("TRADER", k.traderId));
      case "UNKNOWN_COLLECTOR":
        return new Outcome(null, new UnknownEntityException("COLLECTOR", k.collectorId));
      case "NOT_ASSIGNED":
        return new Outcome(
            null, new InvalidInputException("collector is not assigned to the trader's market"));
      case "CONFLICT":
        return new Outcome(null, new IdempotencyConflictException(k.key));
      default:
        throw new IllegalStateException("unexpected posting outcome " + row.outcome);
    }
  }

  private static PostingFacts facts(Item item, Row row, LocalDate day) {
    boolean cash = item instanceof Cash;
    return new PostingFacts(
        cash ? PostingFacts.Channel.CASH : PostingFacts.Channel.MOBILE_MONEY,
        row.receiptNumber,
        row.verificationCode,
        row.receiptAmount,
        row.traderName,
        row.traderPhone,
        Language.ofCode(row.traderLanguage),
        row.customerNumber,
        row.marketName,
        row.items,
        row.openAfter,
        row.creditAfter,
        day,
        cash ? Optional.empty() : Optional.of(row.payerMsisdn),
        cash ? Optional.empty() : Optional.of(Language.ofCode(row.payerLanguage)),
        cash
            ? Optional.of(
                new PostingFacts.CollectorRef(
                    row.collectorId,
                    row.collectorName,
                    row.collectorPhone,
                    row.collectorStaff,
                    row.collectorDayTotal))
            : Optional.empty());
  }

  /** One row of {@code ledger_post_batch}. */
  private static final class Row {
    int idx;
    String outcome;
    long transferId;
    boolean suspense;
    String receiptNumber;
    String verificationCode;
    long receiptAmount;
    OffsetDateTime issuedAt;
    long allocated;
    List<ChargeItem> items;
    long openAfter;
    long creditAfter;
    long traderId;
    String traderName;
    String traderPhone;
    String traderLanguage;
    String customerNumber;
    String marketName;
    String payerMsisdn;
    String payerLanguage;
    Long collectorId;
    String collectorName;
    String collectorPhone;
    String collectorStaff;
    long collectorDayTotal;

    static Row of(ResultSet rs) throws SQLException {
      Row r = new Row();
      r.idx = rs.getInt("idx");
      r.outcome = rs.getString("outcome");
      r.transferId = rs.getLong("transfer_id");
      r.suspense = rs.getBoolean("suspense");
      r.receiptNumber = rs.getString("receipt_number");
      r.verificationCode = rs.getString("verification_code");
      r.receiptAmount = rs.getLong("receipt_amount");
      r.issuedAt = rs.getObject("issued_at", OffsetDateTime.class);
      r.allocated = rs.getLong("allocated");
      Array items = rs.getArray("items");
      List<ChargeItem> paid = new ArrayList<>();
      if (items != null) {
        for (Object o : (Object[]) items.getArray()) {
          paid.add(ChargeItem.valueOf((String) o));
        }
      }
      r.items = List.copyOf(paid);
      r.openAfter = rs.getLong("open_after");
      r.creditAfter = rs.getLong("credit_after");
      r.traderId = rs.getLong("trader_id");
      r.traderName = rs.getString("trader_name");
      r.traderPhone = rs.getString("trader_phone");
      r.traderLanguage = rs.getString("trader_language");
      r.customerNumber = rs.getString("customer_number");
      r.marketName = rs.getString("market_name");
      r.payerMsisdn = rs.getString("payer_msisdn");
      r.payerLanguage = rs.getString("payer_language");
      long collector = rs.getLong("collector_id");
      r.collectorId = rs.wasNull() ? null : collector;
      r.collectorName = rs.getString("collector_name");
      r.collectorPhone = rs.getString("collector_phone");
      r.collectorStaff = rs.getString("collector_staff");
      r.collectorDayTotal = rs.getLong("collector_day_total");
      return r;
    }

    Optional<Receipt> receipt() {
      if (receiptNumber == null) {
        return Optional.empty();
      }
      return Optional.of(
          new Receipt(
              receiptNumber,
              verificationCode,
              transferId,
              receiptAmount,
              traderId,
              Optional.ofNullable(collectorId),
              issuedAt.toInstant()));
    }
  }
}
