package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The prepared payment statements (D190): lookups read every column back, and INITIATED → PENDING
 * moves a payment once and never backwards, however often it is repeated.
 */
class PaymentStatementsTest extends OneAssemblyTest {

  @Test
  void findReadsBackWhatTheIntentStored() {
    Trader t = Fixture.trader(a, "MKT");
    Payment created =
        a.createPaymentIntent(
            new NewPayment(
                UUID.randomUUID(),
                "mtn",
                t.id(),
                "0244000001",
                750,
                PaymentPurpose.TODAY,
                Language.TW,
                "MTN",
                "hop-abc"));
    Payment found = a.payment(created.reference()).orElseThrow();
    assertThat(found).isEqualTo(created);
    assertThat(found.transferId()).isEmpty();
    assertThat(found.nextPollAt()).isPresent();
    assertThat(a.payment(UUID.randomUUID())).isEmpty();
  }

  @Test
  void markPendingMovesAnInitiatedPaymentOnceAndLeavesOthersAlone() {
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 500);
    assertThat(p.status()).isEqualTo(PaymentStatus.INITIATED);

    Payment pending = a.markPending(p.reference());
    assertThat(pending.status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(pending.id()).isEqualTo(p.id());
    assertThat(pending.amountPesewas()).isEqualTo(500);
    // Replayed: still PENDING, same row.
    assertThat(a.markPending(p.reference())).isEqualTo(a.payment(p.reference()).orElseThrow());
    assertThat(a.markPending(p.reference()).status()).isEqualTo(PaymentStatus.PENDING);

    Payment f = Fixture.intent(a, t.id(), 500);
    a.markFailed(f.reference(), "declined", Fixture.NOTIFIER);
    assertThat(a.markPending(f.reference()).status()).isEqualTo(PaymentStatus.FAILED);

    Payment s = Fixture.intent(a, t.id(), 500);
    a.markPending(s.reference());
    a.settleSuccessful(s.reference(), 500, "TX-PS-1", Fixture.NOTIFIER);
    Payment settled = a.markPending(s.reference());
    assertThat(settled.status()).isEqualTo(PaymentStatus.SUCCESSFUL);
    assertThat(settled.transferId()).isPresent();
    Fixture.assertInvariants(a);
  }

  @Test
  void markPendingOfAnUnknownReferenceIsRefused() {
    assertThatThrownBy(() -> a.markPending(UUID.randomUUID()))
        .isInstanceOf(UnknownEntityException.class);
  }

  @Test
  void theReferenceIndexRecordsOnceAndRefusesAnotherOrUnknownAssembly() {
    PaymentReferences index = fx.ledger.paymentReferences();
    String code = a.assembly().code();
    UUID reference = UUID.randomUUID();
    assertThat(index.record(reference, code)).isTrue();
    assertThat(index.record(reference, code.toLowerCase(java.util.Locale.ROOT))).isFalse();
    assertThat(index.assemblyOf(reference)).contains(code);
    AssemblyLedger other = fx.newAssembly();
    assertThatThrownBy(() -> index.record(reference, other.assembly().code()))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThatThrownBy(() -> index.record(UUID.randomUUID(), "NO" + code))
        .isInstanceOf(UnknownAssemblyException.class);
  }
}
