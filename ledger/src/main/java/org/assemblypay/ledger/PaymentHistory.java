package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.AUDIT_LOG;
import static org.assemblypay.ledger.jooq.Tables.PAYMENTS;
import static org.assemblypay.ledger.jooq.Tables.RECEIPTS;
import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;
import static org.assemblypay.ledger.jooq.Tables.TRANSFERS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assemblypay.ledger.jooq.tables.records.PaymentsRecord;
import org.assemblypay.ledger.jooq.tables.records.ReceiptsRecord;
import org.assemblypay.ledger.jooq.tables.records.TransfersRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Lists payments by status, provider, creation date and trader, and rebuilds one payment's timeline
 * from the rows it touched (payment, transfer, receipt, SMS outbox, reversal, audit log).
 */
final class PaymentHistory {
  static final int MAX_PAGE = 200;

  private final DSLContext dsl;
  private final ZoneId zone;

  PaymentHistory(DSLContext dsl, ZoneId zone) {
    this.dsl = dsl;
    this.zone = zone;
  }

  Page<Payment> list(PaymentFilter filter, int offset, int limit) {
    Page.check(offset, limit, MAX_PAGE);
    List<Condition> where = new ArrayList<>();
    where.add(PAYMENTS.CREATED_AT.ge(filter.range().start(zone)));
    where.add(PAYMENTS.CREATED_AT.lt(filter.range().end(zone)));
    if (!filter.statuses().isEmpty()) {
      // The phase is what payments_phase_created_ix reads (V15); status tells INITIATED from
      // PENDING within OPEN.
      where.add(
          Payments.PHASE.in(filter.statuses().stream().map(Payments::phaseOf).distinct().toList()));
      where.add(PAYMENTS.STATUS.in(filter.statuses().stream().map(Enum::name).toList()));
    }
    if (filter.provider() != null && !filter.provider().isBlank()) {
      where.add(PAYMENTS.PROVIDER.eq(filter.provider().strip()));
    }
    if (filter.traderId() != null) {
      where.add(PAYMENTS.TRADER_ID.eq(filter.traderId()));
    }
    long total = dsl.fetchCount(PAYMENTS, DSL.and(where));
    List<Payment> items =
        dsl.selectFrom(PAYMENTS)
            .where(where)
            .orderBy(PAYMENTS.CREATED_AT.desc(), PAYMENTS.ID.desc())
            .offset(offset)
            .limit(limit)
            .fetch(Payments::toPayment);
    return new Page<>(items, offset, limit, total);
  }

  Optional<PaymentTimeline> timeline(UUID reference) {
    Optional<PaymentsRecord> row =
        dsl.selectFrom(PAYMENTS).where(PAYMENTS.REFERENCE.eq(reference)).fetchOptional();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    PaymentsRecord p = row.get();
    Payment payment = Payments.toPayment(p);
    List<PaymentTimeline.Event> events = new ArrayList<>();
    events.add(
        event(
            p.getCreatedAt(),
            "INITIATED",
            "intent recorded for "
                + p.getAmountPesewas()
                + " pesewas via "
                + p.getProvider()
                + (p.getNetwork() == null ? "" : " (" + p.getNetwork() + ")")));
    String status = p.getStatus();
    if (!status.equals("INITIATED") && !status.equals("SUCCESSFUL")) {
      String detail =
          status.equals("PENDING")
              ? "provider accepted the request; "
                  + p.getAttempts()
                  + " status checks so far"
                  + (p.getNextPollAt() == null ? "" : ", next at " + p.getNextPollAt().toInstant())
              : p.getFailureReason() == null ? "" : p.getFailureReason();
      events.add(event(p.getUpdatedAt(), status, detail));
    }
    Optional<String> receiptNumber = Optional.empty();
    if (p.getTransferId() != null) {
      TransfersRecord t =
          dsl.selectFrom(TRANSFERS).where(TRANSFERS.ID.eq(p.getTransferId())).fetchSingle();
      // The settlement, its receipt and its receipt SMS are one transaction whose rows carry
      // either the caller's clock or the transaction's start: shown at no earlier than the
      // settlement, in that order (the sort below is stable).
      OffsetDateTime settledAt = p.getSettledAt() == null ? t.getCreatedAt() : p.getSettledAt();
      events.add(
          event(
              settledAt,
              "SETTLED",
              "transfer "
                  + t.getId()
                  + " posted for "
                  + t.getAmountPesewas()
                  + " pesewas"
                  + (p.getProviderTxnId() == null
                      ? ""
                      : ", provider transaction " + p.getProviderTxnId())
                  + (Boolean.TRUE.equals(p.getSuspense()) ? ", held in suspense" : "")));
      Optional<ReceiptsRecord> receipt =
          dsl.selectFrom(RECEIPTS).where(RECEIPTS.TRANSFER_ID.eq(t.getId())).fetchOptional();
      if (receipt.isPresent()) {
        receiptNumber = Optional.of(receipt.get().getNumber());
        events.add(
            event(
                latest(receipt.get().getIssuedAt(), settledAt),
                "RECEIPT_ISSUED",
                "receipt " + receipt.get().getNumber()));
      }
      dsl.selectFrom(SMS_OUTBOX)
          .where(SMS_OUTBOX.TRANSFER_ID.eq(t.getId()))
          .orderBy(SMS_OUTBOX.ID)
          .forEach(
              sms -> {
                String to = Msisdn.mask(sms.getRecipientMsisdn());
                events.add(
                    event(
                        latest(sms.getCreatedAt(), settledAt),
                        "SMS_QUEUED",
                        "receipt SMS to " + to));
                if (sms.getSubmittedAt() != null) {
                  events.add(event(sms.getSubmittedAt(), "SMS_SUBMITTED", "to the SMSC"));
                }
                if (sms.getDeliveredAt() != null) {
                  events.add(event(sms.getDeliveredAt(), "SMS_DELIVERED", "to " + to));
                } else if (!List.of("QUEUED", "SUBMITTED").contains(sms.getStatus())) {
                  events.add(
                      event(
                          sms.getUpdatedAt(),
                          "SMS_" + sms.getStatus(),
                          sms.getLastError() == null ? "" : sms.getLastError()));
                }
              });
      dsl.selectFrom(TRANSFERS)
          .where(TRANSFERS.REVERSES_TRANSFER_ID.eq(t.getId()))
          .forEach(
              r ->
                  events.add(
                      event(
                          r.getCreatedAt(),
                          "REVERSED",
                          "transfer "
                              + r.getId()
                              + " requested by "
                              + r.getRequestedBy()
                              + ", approved by "
                              + r.getApprovedBy()
                              + ": "
                              + r.getReason())));
    }
    // Admin actions on the payment or its transfer (a reversal's request, withdrawal, approval).
    List<String> entities = new ArrayList<>(List.of("payment:" + reference));
    if (p.getTransferId() != null) {
      entities.add("transfer:" + p.getTransferId());
    }
    dsl.selectFrom(AUDIT_LOG)
        .where(AUDIT_LOG.ENTITY.in(entities))
        .orderBy(AUDIT_LOG.ID)
        .forEach(a -> events.add(event(a.getAt(), "AUDIT", a.getAction() + " by " + a.getActor())));
    events.sort(Comparator.comparing(PaymentTimeline.Event::at));
    return Optional.of(new PaymentTimeline(payment, receiptNumber, events));
  }

  private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
    return a == null || (b != null && b.isAfter(a)) ? b : a;
  }

  private static PaymentTimeline.Event event(OffsetDateTime at, String kind, String detail) {
    Instant when = at == null ? Instant.EPOCH : at.toInstant();
    return new PaymentTimeline.Event(when, kind, detail);
  }
}
