package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.CASH_CONFIRMATIONS;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;

/** Short-lived confirmation codes for cash reports that look like repeats. */
final class CashConfirmations {
  private final DSLContext dsl;
  private final SecureRandom random = new SecureRandom();

  CashConfirmations(DSLContext dsl) {
    this.dsl = dsl;
  }

  String request(
      long collectorId, long traderId, long amountPesewas, Instant expiresAt, Instant now) {
    if (amountPesewas <= 0) {
      throw new InvalidAmountException("amount must be positive");
    }
    if (!expiresAt.isAfter(now)) {
      throw new InvalidInputException("expiry must be in the future");
    }
    try {
      return dsl.transactionResult(
          cfg -> {
            DSLContext tx = cfg.dsl();
            tx.update(CASH_CONFIRMATIONS)
                .set(CASH_CONFIRMATIONS.CLOSED_AT, Payments.utc(now))
                .where(CASH_CONFIRMATIONS.COLLECTOR_ID.eq(collectorId))
                .and(CASH_CONFIRMATIONS.CLOSED_AT.isNull())
                .and(CASH_CONFIRMATIONS.EXPIRES_AT.le(Payments.utc(now)))
                .execute();
            for (int attempt = 0; attempt < 20; attempt++) {
              String code = String.format("%04d", random.nextInt(10_000));
              int inserted =
                  tx.insertInto(CASH_CONFIRMATIONS)
                      .set(CASH_CONFIRMATIONS.CODE, code)
                      .set(CASH_CONFIRMATIONS.COLLECTOR_ID, collectorId)
                      .set(CASH_CONFIRMATIONS.TRADER_ID, traderId)
                      .set(CASH_CONFIRMATIONS.AMOUNT_PESEWAS, amountPesewas)
                      .set(CASH_CONFIRMATIONS.EXPIRES_AT, Payments.utc(expiresAt))
                      .onConflictDoNothing()
                      .execute();
              if (inserted == 1) {
                return code;
              }
            }
            throw new IllegalStateException("no free confirmation code for collector");
          });
    } catch (IntegrityConstraintViolationException e) {
      throw new UnknownEntityException("COLLECTOR_OR_TRADER", collectorId + "/" + traderId);
    }
  }

  /** Consumes the code once; empty if unknown, used or expired. */
  Optional<PendingCash> take(long collectorId, String code, Instant now) {
    if (code == null) {
      return Optional.empty();
    }
    return dsl.update(CASH_CONFIRMATIONS)
        .set(CASH_CONFIRMATIONS.CLOSED_AT, Payments.utc(now))
        .where(CASH_CONFIRMATIONS.COLLECTOR_ID.eq(collectorId))
        .and(CASH_CONFIRMATIONS.CODE.eq(code.strip()))
        .and(CASH_CONFIRMATIONS.CLOSED_AT.isNull())
        .and(CASH_CONFIRMATIONS.EXPIRES_AT.gt(Payments.utc(now)))
        .returning()
        .fetchOptional()
        .map(
            r ->
                new PendingCash(
                    r.getCode(),
                    r.getCollectorId(),
                    r.getTraderId(),
                    r.getAmountPesewas(),
                    r.getExpiresAt().toInstant()));
  }
}
