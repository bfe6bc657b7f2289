package org.assemblypay.ledger;

import java.io.Reader;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * One assembly's data and money. Every method touches only this assembly's schema (or database);
 * every money method is one database transaction.
 */
public final class AssemblyLedger {
  private final Assembly assembly;
  private final Journal journal;
  private final Directory directory;
  private final Accrual accrual;
  private final Payments payments;
  private final Settlements settlements;
  private final Reports reports;
  private final Outbox outbox;
  private final TraderImport traderImport;
  private final CashConfirmations confirmations;
  private final DSLContext dsl;

  AssemblyLedger(Assembly assembly, DSLContext dsl, LedgerSettings settings) {
    this.assembly = assembly;
    this.dsl = dsl;
    this.journal = new Journal(assembly, dsl);
    this.directory = new Directory(dsl, journal);
    this.accrual = new Accrual(dsl, journal);
    this.payments = new Payments(dsl, journal, settings);
    this.settlements = new Settlements(dsl, journal);
    this.reports = new Reports(dsl, journal);
    this.outbox = new Outbox(dsl, journal, settings);
    this.traderImport = new TraderImport(directory);
    this.confirmations = new CashConfirmations(dsl);
  }

  /** The assembly this ledger belongs to. */
  public Assembly assembly() {
    return assembly;
  }

  DSLContext dsl() {
    return dsl;
  }

  /** The database stores microseconds; values handed back must equal what is read later. */
  private static Instant now() {
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  // --- markets, traders, collectors, rates

  /** Registers a market or lorry park. */
  public Market registerMarket(NewMarket market) {
    return directory.registerMarket(market);
  }

  /** All markets and lorry parks, by code. */
  public List<Market> markets() {
    return directory.markets();
  }

  /** Registers a trader and opens their account. */
  public Trader registerTrader(NewTrader trader) {
    return directory.registerTrader(trader);
  }

  /** Registers up to 5,000 traders in one transaction, all or none (bulk loads, demo seeding). */
  public List<Trader> registerTraders(List<NewTrader> traders) {
    return directory.registerTraders(traders);
  }

  /** Replaces a trader's details. */
  public Trader updateTrader(long traderId, TraderUpdate update) {
    return directory.updateTrader(traderId, update);
  }

  /** Sets the language a trader reads menus and receipts in. */
  public Trader setTraderLanguage(long traderId, Language language) {
    return directory.setTraderLanguage(traderId, language);
  }

  /** Stops accruing charges for a trader; their arrears stay payable. */
  public Trader suspendTrader(long traderId) {
    return directory.suspendTrader(traderId);
  }

  /** Registers a collector; the PIN is stored only as a PBKDF2 hash. */
  public Collector registerCollector(NewCollector collector) {
    return directory.registerCollector(collector);
  }

  /** Replaces the markets a collector may collect in. */
  public Collector assignCollectorMarkets(long collectorId, Set<String> marketCodes) {
    return directory.assignCollectorMarkets(collectorId, marketCodes);
  }

  /** A collector by id. */
  public Optional<Collector> collector(long collectorId) {
    return directory.collector(dsl, collectorId);
  }

  /** A collector by phone number. */
  public Optional<Collector> collectorByPhone(String msisdn) {
    return directory.collectorByPhone(msisdn);
  }

  /** Checks a collector's PIN; five wrong PINs lock the collector for 30 minutes. */
  public PinCheck checkCollectorPin(String phone, String pin) {
    return directory.checkCollectorPin(phone, pin, now());
  }

  /** Sets a new PIN and clears any lock. */
  public void resetCollectorPin(long collectorId, String newPin) {
    directory.resetCollectorPin(collectorId, newPin);
  }

  /** Adds a tariff line; returns its id. */
  public long registerRate(NewRate rate) {
    return directory.registerRate(rate);
  }

  /** Imports traders from the web ticketing customer export. */
  public ImportReport importTraders(Reader csv) {
    return traderImport.run(csv);
  }

  /** A trader by the ticketing system's customer number. */
  public Optional<Trader> traderByCustomerNumber(String customerNumber) {
    return directory.traderByCustomerNumber(customerNumber);
  }

  /** Traders registered with this phone number (a phone may pay for several stalls). */
  public List<Trader> tradersByPhone(String msisdn) {
    return directory.tradersByPhone(msisdn);
  }

  /** A trader by id. */
  public Optional<Trader> trader(long traderId) {
    return directory.trader(dsl, traderId);
  }

  /** Traders whose name, customer number or phone contains {@code q}. */
  public List<Trader> searchTraders(String q, int offset, int limit) {
    return directory.searchTraders(q, offset, limit);
  }

  // --- charges

  /** Accrues one day's charges for every active trader; re-running the day adds nothing. */
  public AccrualResult accrueCharges(LocalDate day) {
    return accrual.accrue(day);
  }

  /** What a trader owes. */
  public Arrears arrears(long traderId) {
    return reports.arrears(traderId);
  }

  /** The unpaid part of a trader's charges due on {@code day}. */
  public long amountDueToday(long traderId, LocalDate day) {
    return reports.amountDueToday(traderId, day);
  }

  // --- mobile money

  /**
   * Stores a payment intent before the provider is called; same reference and content is a no-op.
   */
  public Payment createPaymentIntent(NewPayment payment) {
    return payments.create(payment, now());
  }

  /** A payment by its reference. */
  public Optional<Payment> payment(UUID reference) {
    return payments.find(reference);
  }

  /** The provider accepted the request; the payer has a prompt. */
  public Payment markPending(UUID reference) {
    return payments.markPending(reference, now());
  }

  /** The provider reports failure; the notifier's failure messages are queued. */
  public Payment markFailed(UUID reference, String reason, Notifier notifier) {
    return payments.markFailed(reference, reason, notifier, now());
  }

  /** No answer in time; a later success may still settle (the payment stays due for re-checks). */
  public Payment markExpired(UUID reference) {
    return payments.markExpired(reference, now());
  }

  /**
   * Marks a payment EXPIRED and, in the same transaction, queues the notifier's expiry SMS; a
   * payment already EXPIRED changes nothing and queues nothing.
   */
  public Payment markExpired(UUID reference, Notifier notifier) {
    return payments.markExpired(reference, notifier, now());
  }

  /** Sets when the poller should next ask the provider about this payment. */
  public Payment reschedulePoll(UUID reference, Instant at) {
    return payments.reschedulePoll(reference, at);
  }

  /**
   * Posts a successful payment in one transaction (status, transfer, allocation, receipt, SMS). A
   * replay returns the original settlement and writes nothing.
   */
  public Settlement settleSuccessful(
      UUID reference, long providerAmountPesewas, String providerTxnId, Notifier notifier) {
    return settlements.settleSuccessful(
        reference, providerAmountPesewas, providerTxnId, notifier, now());
  }

  /** Claims payments due for a status poll (SKIP LOCKED; safe with several nodes). */
  public List<Payment> claimDuePayments(int max, Instant now) {
    return payments.claimDue(max, now);
  }

  /**
   * Claims EXPIRED payments whose slow re-check is due (SKIP LOCKED), scheduling the next one;
   * after the re-check window an expired payment is no longer claimed.
   */
  public List<Payment> claimExpiredForRecheck(int max, Instant now) {
    return payments.claimExpiredForRecheck(max, now);
  }

  // --- cash, reversal, receipts

  /** Posts cash a collector took; a repeated idempotency key counts once. */
  public CashPosting postCashPayment(CashPayment payment, Notifier notifier) {
    return settlements.postCash(payment, notifier, now());
  }

  /**
   * Holds a cash report that looks like a repeat until the collector confirms it; returns the
   * 4-digit code to quote.
   */
  public String requestCashConfirmation(
      long collectorId, long traderId, long amountPesewas, Instant expiresAt) {
    return confirmations.request(collectorId, traderId, amountPesewas, expiresAt, now());
  }

  /** Takes (once) a pending cash report by its code; empty if unknown, used or expired. */
  public Optional<PendingCash> takeCashConfirmation(long collectorId, String code, Instant now) {
    return confirmations.take(collectorId, code, now);
  }

  /** Reverses a payment transfer; the approver must not be the requester. */
  public Transfer reverse(long transferId, String reason, String requestedBy, String approvedBy) {
    return settlements.reverse(transferId, reason, requestedBy, approvedBy, now());
  }

  /** A transfer with its postings. */
  public Optional<Transfer> transfer(long transferId) {
    return Settlements.transfer(dsl, transferId);
  }

  /** Finds a receipt by number ({@code AMA-2026-000123}) or verification code ({@code 7KQ2-9D}). */
  public Optional<ReceiptVerification> verifyReceipt(String numberOrCode) {
    return reports.verifyReceipt(numberOrCode);
  }

  /** A trader's latest receipts, newest first. */
  public List<Receipt> recentReceipts(long traderId, int limit) {
    return reports.recentReceipts(traderId, limit);
  }

  /** A trader's account between two business dates. */
  public Statement statement(long traderId, LocalDate from, LocalDate to) {
    return reports.statement(traderId, from, to);
  }

  /** A collector's cash on a day. */
  public CollectorDay collectorDay(long collectorId, LocalDate day) {
    return reports.collectorDay(collectorId, day);
  }

  /** Money received per market on a day. */
  public List<MarketCollections> collectionsByMarket(LocalDate day) {
    return reports.collectionsByMarket(day);
  }

  // --- SMS and audit

  /** Queues an SMS outside a money transaction (replies, notices); returns its id. */
  public long enqueueSms(OutboundSmsDraft draft) {
    return outbox.enqueue(draft, now());
  }

  /** Claims queued SMS due now, leasing them; rows another node holds are skipped. */
  public List<OutboxMessage> claimOutbox(int max, Instant now) {
    return outbox.claim(max, now);
  }

  /**
   * The SMSC accepted the message; its parts' message ids, each under its SMSC, correlate delivery
   * receipts.
   */
  public void markSubmitted(long outboxId, List<SmscMessageId> parts) {
    outbox.markSubmitted(outboxId, parts, now());
  }

  /**
   * Marks many messages submitted (outbox id to its parts' message ids) in one transaction; returns
   * the ids written (a row no longer queued, its lease taken by another node, is left out).
   */
  public Set<Long> markSubmittedAll(java.util.Map<Long, List<SmscMessageId>> messageIdsByOutboxId) {
    return outbox.markSubmittedAll(messageIdsByOutboxId, now());
  }

  /** Try again at {@code at}. */
  public void markSmsRetry(long outboxId, Instant at, String reason) {
    outbox.markRetry(outboxId, at, reason, now());
  }

  /** Give up on a message. */
  public void markSmsFailed(long outboxId, String reason) {
    outbox.markFailed(outboxId, reason, now());
  }

  /**
   * Applies a delivery receipt from the SMSC {@code smsc}; false if no message submitted through
   * that SMSC has that id.
   */
  public boolean recordDeliveryReport(
      String smsc, String normalizedMessageId, DeliveryState state, String errorCode) {
    return outbox.recordDeliveryReport(smsc, normalizedMessageId, state, errorCode, now());
  }

  /**
   * Applies many delivery receipts in one transaction (a part never overwrites a worse state);
   * returns the (SMSC, message id) pairs, as the reports named them, that matched a submitted
   * message.
   */
  public Set<SmscMessageId> recordDeliveryReports(List<DeliveryUpdate> reports) {
    return outbox.recordDeliveryReports(reports, now());
  }

  /** Stores an inbound SMS; false if the SMSC message id was seen before. */
  public boolean storeInbound(InboundSms sms) {
    return outbox.storeInbound(sms);
  }

  // --- SMS: outcomes, attempts, unknown outcomes, inbound recovery (D110–D114)

  /**
   * Marks many claimed messages submitted in one statement, adding each one's submit_sm rounds to
   * its row; returns the ids written (a row no longer queued is left out).
   */
  public Set<Long> markSubmittedBatch(List<SubmittedSms> rows) {
    return outbox.markSubmittedBatch(rows, now());
  }

  /** Try again at {@code at}; {@code submitAttempts} submit_sm rounds were spent this time. */
  public void markSmsRetry(long outboxId, Instant at, String reason, int submitAttempts) {
    outbox.markRetry(outboxId, at, reason, submitAttempts, now());
  }

  /** Give up on a message after {@code submitAttempts} submit_sm rounds this time. */
  public void markSmsFailed(long outboxId, String reason, int submitAttempts) {
    outbox.markFailed(outboxId, reason, submitAttempts, now());
  }

  /**
   * The SMSC may or may not have the message (no submit_sm_resp, connection lost after the write):
   * the row becomes UNKNOWN, neither re-sent at once nor counted as sent.
   */
  public void markSmsOutcomeUnknown(
      long outboxId, List<SmscMessageId> knownParts, int submitAttempts, String reason) {
    outbox.markUnknown(outboxId, knownParts, submitAttempts, reason, now());
  }

  /**
   * Re-queues (same content) UNKNOWN messages that heard no report for {@code quietSeconds}, at
   * most {@code maxResends} times each, recording every re-send; returns the ids re-queued.
   */
  public List<Long> resendUnknownSms(int quietSeconds, int maxResends, int max, Instant now) {
    return outbox.resendUnknown(quietSeconds, maxResends, max, now);
  }

  /** One outbox row as operations see it: status, claims, submit attempts, re-sends, errors. */
  public Optional<SmsOutboxRow> smsOutboxRow(long outboxId) {
    return outbox.outboxEntry(outboxId);
  }

  /** The newest outbox rows, of one status or (null) all. */
  public List<SmsOutboxRow> smsOutboxRows(String status, int limit) {
    return outbox.outboxEntries(status, limit);
  }

  /** Stores an inbound SMS leased for handling for {@code leaseSeconds}; false if seen before. */
  public boolean storeInbound(InboundSms sms, int leaseSeconds) {
    return outbox.storeInbound(sms, leaseSeconds, now());
  }

  /**
   * Renews the handling lease of a stored message for its {@code handlingAttempt}-th handling;
   * false if it was handled already or a later handling (the recovery sweep's) has taken it.
   */
  public boolean renewInboundLease(String inboundKey, int handlingAttempt, int leaseSeconds) {
    return outbox.renewInboundLease(inboundKey, handlingAttempt, leaseSeconds, now());
  }

  /** The stored message's command has been handled. */
  public void markInboundHandled(String inboundKey) {
    outbox.markInboundHandled(inboundKey, now());
  }

  /** Handling the stored message failed; offer it again from {@code retryAt}. */
  public void markInboundFailed(String inboundKey, String error, Instant retryAt) {
    outbox.markInboundFailed(inboundKey, error, retryAt);
  }

  /** Stored messages whose handling never finished and whose lease ran out, leased again. */
  public List<UnhandledInbound> claimUnhandledInbound(
      int max, int leaseSeconds, int maxAttempts, Instant now) {
    return outbox.claimUnhandledInbound(max, leaseSeconds, maxAttempts, now);
  }

  /** Whether handling the stored message already posted cash or queued a reply. */
  public boolean inboundLeftTrace(String inboundKey) {
    return outbox.inboundLeftTrace(inboundKey);
  }

  /** Appends to the audit log; before/after are JSON documents or null. */
  public void audit(
      String actor, String action, String entity, String beforeJson, String afterJson) {
    outbox.audit(actor, action, entity, beforeJson, afterJson);
  }

  // --- admin reports (issue #6): appended here so parallel changes above merge cleanly

  /** The audit log, newest first, filtered by date range, actor, action prefix and entity. */
  public Page<AuditEntry> auditLog(AuditFilter filter, int offset, int limit) {
    return new AuditReader(dsl, assembly.timeZone()).read(filter, offset, limit);
  }

  /** Payments created in a date range, newest first, by status, provider and trader. */
  public Page<Payment> payments(PaymentFilter filter, int offset, int limit) {
    return new PaymentHistory(dsl, assembly.timeZone()).list(filter, offset, limit);
  }

  /** One payment with what happened to it, oldest first; empty if unknown here. */
  public Optional<PaymentTimeline> paymentTimeline(UUID reference) {
    return new PaymentHistory(dsl, assembly.timeZone()).timeline(reference);
  }

  /** Every tariff line (at most 1,000), by item and market. */
  public List<RateLine> rates() {
    return new DirectoryLists(dsl).rates();
  }

  /** Collectors by name, one page. */
  public Page<Collector> collectors(int offset, int limit) {
    return new DirectoryLists(dsl).collectors(offset, limit);
  }

  /** What each market's traders owe now, sorted and paged. */
  public Page<MarketArrears> arrearsByMarket(ArrearsOrder order, int offset, int limit) {
    return reports.arrearsByMarket(order, offset, limit);
  }

  /** Money received over a date range, grouped by day, channel, collector or market. */
  public List<CollectionTotals> collectionTotals(DateRange range, CollectionGrouping grouping) {
    return reports.collectionTotals(range, grouping);
  }

  /** The SMS outbox's messages created in a date range, counted by status. */
  public SmsDeliverySummary smsSummary(DateRange range) {
    return new SmsReports(dsl, assembly.timeZone()).summary(range);
  }

  /** The SMS outbox's messages created in a date range (optionally one status), newest first. */
  public Page<SmsOutboxEntry> smsOutbox(DateRange range, String status, int offset, int limit) {
    return new SmsReports(dsl, assembly.timeZone()).list(range, status, offset, limit);
  }

  /** Adds a gateway node's USSD screen counts for one day (UTC). */
  public void addUssdScreenCounts(LocalDate day, List<UssdScreenCount> counts) {
    new UssdScreenStats(dsl).add(day, counts);
  }

  /** USSD screen counts summed over a date range, most drop-offs first. */
  public List<UssdScreenCount> ussdScreenCounts(DateRange range) {
    return new UssdScreenStats(dsl).read(range);
  }
}
