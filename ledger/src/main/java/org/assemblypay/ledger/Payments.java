package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.PAYMENTS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assemblypay.ledger.jooq.tables.records.PaymentsRecord;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** Mobile-money payment intents and their lifecycle up to (not including) settlement. */
final class Payments {
  /**
   * Provider and network names as stored; compiled once, since every payment intent checks them.
   */
  private static final java.util.regex.Pattern PROVIDER_NAME =
      java.util.regex.Pattern.compile("[a-z0-9_-]{1,32}");

  private static final java.util.regex.Pattern NETWORK_NAME =
      java.util.regex.Pattern.compile("[A-Z_]{1,16}");

  /**
   * The generated column the payment indexes read instead of status (V15, D215): {@code OPEN} for
   * INITIATED and PENDING, else the status. Hidden from jOOQ's code generation, so named here.
   */
  static final Field<String> PHASE = DSL.field(DSL.name("phase"), String.class);

  /** The phase a status is indexed under. */
  static String phaseOf(PaymentStatus status) {
    return switch (status) {
      case INITIATED, PENDING -> "OPEN";
      default -> status.name();
    };
  }

  private final DSLContext dsl;
  private final Journal journal;
  private final LedgerSettings settings;
  private final PaymentStatements statements;

  Payments(DSLContext dsl, Journal journal, LedgerSettings settings) {
    this.dsl = dsl;
    this.journal = journal;
    this.settings = settings;
    this.statements = new PaymentStatements(dsl);
  }

  Payment create(NewPayment n, Instant now) {
    if (n.reference() == null || n.reference().version() != 4) {
      throw new InvalidInputException("payment reference must be a UUID v4");
    }
    if (n.provider() == null || !PROVIDER_NAME.matcher(n.provider()).matches()) {
      throw new InvalidInputException("provider name must be 1-32 lower-case letters or digits");
    }
    if (n.purpose() == null || n.payerLanguage() == null) {
      throw new InvalidInputException("purpose and payer language are required");
    }
    Assembly a = journal.assembly();
    if (n.amountPesewas() < a.minPaymentPesewas() || n.amountPesewas() > a.maxPaymentPesewas()) {
      throw new InvalidAmountException(
          "amount must be between "
              + a.minPaymentPesewas()
              + " and "
              + a.maxPaymentPesewas()
              + " pesewas");
    }
    if (n.network() != null && !NETWORK_NAME.matcher(n.network()).matches()) {
      throw new InvalidInputException("network must be 1-16 upper-case letters");
    }
    String payer = Msisdn.normalize(n.payerMsisdn());
    // Stored through the group-commit settler: the intent is durable (committed) before this
    // returns and the provider is called; the trader must exist.
    PaymentsRecord row =
        new PaymentsRecord()
            .with(PAYMENTS.REFERENCE, n.reference())
            .with(PAYMENTS.PROVIDER, n.provider())
            .with(PAYMENTS.TRADER_ID, n.traderId())
            .with(PAYMENTS.PAYER_MSISDN, payer)
            .with(PAYMENTS.AMOUNT_PESEWAS, n.amountPesewas())
            .with(PAYMENTS.PURPOSE, n.purpose().name())
            .with(PAYMENTS.PAYER_LANGUAGE, n.payerLanguage().code())
            .with(PAYMENTS.NETWORK, n.network())
            .with(PAYMENTS.CORRELATION_ID, correlationIdOf(n))
            .with(PAYMENTS.CREATED_AT, utc(now))
            .with(PAYMENTS.UPDATED_AT, utc(now))
            .with(PAYMENTS.NEXT_POLL_AT, utc(now.plusSeconds(settings.firstPollDelaySeconds())));
    return (Payment) journal.settler().submit(new Settler.Intent(row, now));
  }

  static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  static PaymentsRecord byReference(DSLContext tx, UUID reference, boolean lock) {
    var select = tx.selectFrom(PAYMENTS).where(PAYMENTS.REFERENCE.eq(reference));
    PaymentsRecord r = lock ? select.forUpdate().fetchOne() : select.fetchOne();
    if (r == null) {
      throw new UnknownEntityException("PAYMENT", reference);
    }
    return r;
  }

  Optional<Payment> find(UUID reference) {
    return statements.find(reference);
  }

  /** INITIATED → PENDING in one prepared statement; any other status is left as it is. */
  Payment markPending(UUID reference, Instant now) {
    return statements.markPending(reference, now);
  }

  Payment markExpired(UUID reference, Instant now) {
    return markExpired(reference, Notifier.silent(), now);
  }

  Payment markExpired(UUID reference, Notifier notifier, Instant now) {
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          PaymentsRecord p = byReference(tx, reference, true);
          switch (p.getStatus()) {
            case "INITIATED", "PENDING" -> {
              p.setStatus("EXPIRED");
              // Still asked now and then: a late success must post (see claimExpiredForRecheck).
              p.setNextPollAt(nextRecheck(p.getCreatedAt().toInstant(), now));
              p.setUpdatedAt(utc(now));
              p.update();
              queueExpiryMessages(tx, p, notifier, now);
            }
            case "EXPIRED" -> {}
            default ->
                throw new IllegalTransitionException(
                    "payment " + reference + " is " + p.getStatus() + "; cannot expire");
          }
          return toPayment(p);
        });
  }

  Payment markFailed(UUID reference, String reason, Notifier notifier, Instant now) {
    String why = reason == null || reason.isBlank() ? "unknown" : reason.strip();
    String stored = why.length() > 300 ? why.substring(0, 300) : why;
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          PaymentsRecord p = byReference(tx, reference, true);
          switch (p.getStatus()) {
            case "INITIATED", "PENDING", "EXPIRED" -> {
              if (p.getStatus().equals("EXPIRED")) {
                // An expired payment that the provider later reports failed stays expired; the
                // provider's failure is final, so it is not re-checked any more.
                if (p.getNextPollAt() != null) {
                  p.setNextPollAt(null);
                  p.update();
                }
                return toPayment(p);
              }
              p.setStatus("FAILED");
              p.setFailureReason(stored);
              p.setNextPollAt(null);
              p.setUpdatedAt(utc(now));
              p.update();
              Journal.TraderRow t = journal.trader(tx, p.getTraderId()).orElseThrow();
              journal.queue(
                  tx,
                  notifier.failureMessagesFor(
                      new FailedPaymentFacts(
                          reference,
                          p.getAmountPesewas(),
                          t.name(),
                          t.customerNumber(),
                          p.getPayerMsisdn(),
                          Language.ofCode(p.getPayerLanguage()),
                          stored)),
                  null,
                  now);
            }
            case "FAILED" -> {}
            default ->
                throw new IllegalTransitionException(
                    "payment " + reference + " is " + p.getStatus() + "; cannot fail");
          }
          return toPayment(p);
        });
  }

  /** The expiry SMS, queued in the transaction that moved the payment to EXPIRED. */
  private void queueExpiryMessages(
      DSLContext tx, PaymentsRecord p, Notifier notifier, Instant now) {
    Journal.TraderRow t = journal.trader(tx, p.getTraderId()).orElseThrow();
    journal.queue(
        tx,
        notifier.expiryMessagesFor(
            new FailedPaymentFacts(
                p.getReference(),
                p.getAmountPesewas(),
                t.name(),
                t.customerNumber(),
                p.getPayerMsisdn(),
                Language.ofCode(p.getPayerLanguage()),
                "EXPIRED")),
        null,
        now);
  }

  Payment reschedulePoll(UUID reference, Instant at) {
    return dsl.transactionResult(
        cfg -> {
          PaymentsRecord p = byReference(cfg.dsl(), reference, true);
          p.setNextPollAt(utc(at));
          p.update();
          return toPayment(p);
        });
  }

  /**
   * Claims up to {@code max} payments whose next poll is due, leasing them for the configured time;
   * rows another node holds are skipped, so several nodes can poll at once.
   */
  List<Payment> claimDue(int max, Instant now) {
    if (max < 1 || max > 1000) {
      throw new InvalidInputException("max must be 1..1000");
    }
    return dsl
        .update(PAYMENTS)
        .set(PAYMENTS.ATTEMPTS, PAYMENTS.ATTEMPTS.plus(1))
        .set(PAYMENTS.NEXT_POLL_AT, utc(now.plusSeconds(settings.claimLeaseSeconds())))
        .where(
            PAYMENTS.ID.in(
                DSL.select(PAYMENTS.ID)
                    .from(PAYMENTS)
                    .where(PHASE.eq("OPEN"))
                    .and(PAYMENTS.STATUS.in("INITIATED", "PENDING"))
                    .and(PAYMENTS.NEXT_POLL_AT.le(utc(now)))
                    .orderBy(PAYMENTS.NEXT_POLL_AT)
                    .limit(max)
                    .forUpdate()
                    .skipLocked()))
        .returning()
        .fetch()
        .stream()
        .map(Payments::toPayment)
        .sorted(Comparator.comparing(p -> p.nextPollAt().orElse(Instant.MAX)))
        .toList();
  }

  /**
   * When an expired payment is next asked about: one re-check pause from {@code now}, or never
   * (null) once that falls past the re-check window after creation.
   */
  private OffsetDateTime nextRecheck(Instant createdAt, Instant now) {
    Instant next = now.plusSeconds(settings.expiredRecheckSeconds());
    Instant end = createdAt.plusSeconds(settings.expiredRecheckWindowSeconds());
    return next.isAfter(end) ? null : utc(next);
  }

  /**
   * Claims up to {@code max} EXPIRED payments whose slow re-check is due and schedules each one's
   * next re-check (which doubles as the claim's lease); rows another node holds are skipped. The
   * last re-check inside the window schedules none after it; a row whose window has closed is left
   * EXPIRED with no poll time and is not returned.
   */
  List<Payment> claimExpiredForRecheck(int max, Instant now) {
    if (max < 1 || max > 1000) {
      throw new InvalidInputException("max must be 1..1000");
    }
    Instant next = now.plusSeconds(settings.expiredRecheckSeconds());
    long window = settings.expiredRecheckWindowSeconds();
    // The next re-check only if it still falls inside the window (created_at + window >= next).
    OffsetDateTime createdNoEarlierThan = utc(next.minusSeconds(window));
    return dsl
        .update(PAYMENTS)
        .set(
            PAYMENTS.NEXT_POLL_AT,
            DSL.when(PAYMENTS.CREATED_AT.ge(createdNoEarlierThan), DSL.val(utc(next)))
                .otherwise(DSL.castNull(PAYMENTS.NEXT_POLL_AT)))
        .where(
            PAYMENTS.ID.in(
                DSL.select(PAYMENTS.ID)
                    .from(PAYMENTS)
                    .where(PHASE.eq("EXPIRED"))
                    .and(PAYMENTS.STATUS.eq("EXPIRED"))
                    .and(PAYMENTS.NEXT_POLL_AT.le(utc(now)))
                    .orderBy(PAYMENTS.NEXT_POLL_AT)
                    .limit(max)
                    .forUpdate()
                    .skipLocked()))
        .returning()
        .fetch()
        .stream()
        .map(Payments::toPayment)
        .filter(p -> p.createdAt().plusSeconds(window).isAfter(now))
        .sorted(Comparator.comparing(Payment::createdAt))
        .toList();
  }

  static Payment toPayment(PaymentsRecord r) {
    return new Payment(
        r.getId(),
        r.getReference(),
        r.getProvider(),
        r.getTraderId(),
        r.getPayerMsisdn(),
        r.getAmountPesewas(),
        PaymentPurpose.valueOf(r.getPurpose()),
        Language.ofCode(r.getPayerLanguage()),
        PaymentStatus.valueOf(r.getStatus()),
        Optional.ofNullable(r.getProviderTxnId()),
        Optional.ofNullable(r.getFailureReason()),
        r.getSuspense(),
        Optional.ofNullable(r.getTransferId()),
        r.getAttempts(),
        Optional.ofNullable(r.getNextPollAt()).map(OffsetDateTime::toInstant),
        r.getCreatedAt().toInstant(),
        Optional.ofNullable(r.getNetwork()),
        Optional.ofNullable(r.getCorrelationId()));
  }

  /** The intent's own id if it is safe to store, else the current thread's, else none. */
  private static String correlationIdOf(NewPayment n) {
    return Correlation.storable(n.correlationId())
        .or(() -> Correlation.current().flatMap(Correlation::storable))
        .orElse(null);
  }
}
