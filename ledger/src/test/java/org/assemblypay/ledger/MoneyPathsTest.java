package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MoneyPathsTest extends OneAssemblyTest {
  static final LocalDate MONDAY = LocalDate.of(2026, 3, 2);

  @AfterAll
  static void invariantsHold() {
    Fixture.assertInvariants(a);
  }

  @Test
  void mobileMoneyPaysOldestChargesFirstIssuesReceiptAndQueuesSms() {
    Trader t = Fixture.trader(a, "MKT");
    a.accrueCharges(MONDAY);
    a.accrueCharges(MONDAY.plusDays(1));
    a.accrueCharges(MONDAY.plusDays(2));
    assertThat(a.arrears(t.id()).totalPesewas()).isEqualTo(3 * Fixture.TOLL_PESEWAS);

    Payment p = Fixture.intent(a, t.id(), 400);
    Settlement s = a.settleSuccessful(p.reference(), 400, "MTN123", Fixture.NOTIFIER);

    assertThat(s.suspense()).isFalse();
    assertThat(s.allocatedPesewas()).isEqualTo(400);
    assertThat(s.receipt()).isPresent();
    assertThat(s.receipt().get().number()).matches(a.assembly().code() + "-\\d{4}-\\d{6}");
    assertThat(s.receipt().get().verificationCode()).matches("[2-9A-Z]{4}-[2-9A-Z]{2}");
    Arrears arrears = a.arrears(t.id());
    assertThat(arrears.totalPesewas()).isEqualTo(350);
    // Monday fully paid, Tuesday partly: the oldest unpaid day is Tuesday.
    assertThat(arrears.oldestUnpaidDate()).contains(MONDAY.plusDays(1));
    assertThat(arrears.daysOwed()).isEqualTo(2);
    assertThat(arrears.creditPesewas()).isZero();
    assertThat(a.payment(p.reference()).orElseThrow().status()).isEqualTo(PaymentStatus.SUCCESSFUL);
    List<OutboxMessage> sms = a.claimOutbox(100, java.time.Instant.now().plusSeconds(1));
    assertThat(sms).anySatisfy(m -> assertThat(m.text()).contains(s.receipt().get().number()));
    Fixture.assertInvariants(a);
  }

  @Test
  void overpaymentBecomesCreditThatPaysTheNextCharges() {
    Trader t = Fixture.trader(a, "MKT");
    LocalDate day = LocalDate.of(2026, 4, 6);
    a.accrueCharges(day);
    Payment p = Fixture.intent(a, t.id(), 1_000);
    Settlement s = a.settleSuccessful(p.reference(), 1_000, "X1", Fixture.NOTIFIER);
    assertThat(s.allocatedPesewas()).isEqualTo(Fixture.TOLL_PESEWAS);
    assertThat(s.creditAfterPesewas()).isEqualTo(1_000 - Fixture.TOLL_PESEWAS);

    AccrualResult next = a.accrueCharges(day.plusDays(1));
    assertThat(next.paidFromCreditPesewas()).isGreaterThanOrEqualTo(Fixture.TOLL_PESEWAS);
    Arrears arrears = a.arrears(t.id());
    assertThat(arrears.totalPesewas()).isZero();
    assertThat(arrears.creditPesewas()).isEqualTo(1_000 - 2 * Fixture.TOLL_PESEWAS);
    Fixture.assertInvariants(a);
  }

  @Test
  void amountDifferentFromRequestedGoesToSuspenseWithoutAllocation() {
    Trader t = Fixture.trader(a, "MKT");
    a.accrueCharges(LocalDate.of(2026, 5, 4));
    Payment p = Fixture.intent(a, t.id(), 500);
    Settlement s = a.settleSuccessful(p.reference(), 450, "X2", Fixture.NOTIFIER);
    assertThat(s.suspense()).isTrue();
    assertThat(s.receipt()).isEmpty();
    assertThat(s.allocatedPesewas()).isZero();
    assertThat(a.payment(p.reference()).orElseThrow().suspense()).isTrue();
    assertThat(a.arrears(t.id()).totalPesewas()).isEqualTo(Fixture.TOLL_PESEWAS);
    Fixture.assertInvariants(a);
  }

  @Test
  void everyMoneyPathReplayedCountsOnce() {
    Trader t = Fixture.trader(a, "MKT");
    Collector c = Fixture.collector(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 700);
    Settlement first = a.settleSuccessful(p.reference(), 700, "R1", Fixture.NOTIFIER);
    List<Integer> before = Fixture.moneyRowCounts(a);
    Settlement again = a.settleSuccessful(p.reference(), 700, "R1", Fixture.NOTIFIER);
    assertThat(again).isEqualTo(first);
    assertThat(Fixture.moneyRowCounts(a)).isEqualTo(before);

    CashPayment cash = new CashPayment("sms-" + UUID.randomUUID(), c.id(), t.id(), 300);
    CashPosting posted = a.postCashPayment(cash, Fixture.NOTIFIER);
    before = Fixture.moneyRowCounts(a);
    assertThat(a.postCashPayment(cash, Fixture.NOTIFIER).transferId())
        .isEqualTo(posted.transferId());
    assertThat(Fixture.moneyRowCounts(a)).isEqualTo(before);

    Transfer reversal = a.reverse(posted.transferId(), "keyed twice", "officer1", "officer2");
    before = Fixture.moneyRowCounts(a);
    assertThat(a.reverse(posted.transferId(), "keyed twice", "officer1", "officer2").id())
        .isEqualTo(reversal.id());
    assertThat(Fixture.moneyRowCounts(a)).isEqualTo(before);

    Payment again2 =
        a.createPaymentIntent(
            new NewPayment(
                p.reference(),
                "mtn",
                t.id(),
                "0244000001",
                700,
                PaymentPurpose.AMOUNT,
                Language.EN));
    assertThat(again2.id()).isEqualTo(p.id());
    Fixture.assertInvariants(a);
  }

  @Test
  void reusedKeyWithDifferentContentIsRejectedAndWritesNothing() {
    Trader t = Fixture.trader(a, "MKT");
    Collector c = Fixture.collector(a, "MKT");
    String key = "sms-" + UUID.randomUUID();
    a.postCashPayment(new CashPayment(key, c.id(), t.id(), 300), Fixture.NOTIFIER);
    List<Integer> before = Fixture.moneyRowCounts(a);
    assertThatThrownBy(
            () -> a.postCashPayment(new CashPayment(key, c.id(), t.id(), 301), Fixture.NOTIFIER))
        .isInstanceOf(IdempotencyConflictException.class)
        .extracting(e -> ((LedgerException) e).code())
        .isEqualTo("IDEMPOTENCY_CONFLICT");
    Payment p = Fixture.intent(a, t.id(), 500);
    a.settleSuccessful(p.reference(), 500, "Z", Fixture.NOTIFIER);
    List<Integer> afterSettle = Fixture.moneyRowCounts(a);
    assertThatThrownBy(() -> a.settleSuccessful(p.reference(), 600, "Z", Fixture.NOTIFIER))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThatThrownBy(
            () ->
                a.createPaymentIntent(
                    new NewPayment(
                        p.reference(),
                        "mtn",
                        t.id(),
                        "0244000001",
                        501,
                        PaymentPurpose.AMOUNT,
                        Language.EN)))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(Fixture.moneyRowCounts(a)).isEqualTo(afterSettle);
    assertThat(before.get(0)).isLessThan(afterSettle.get(0));
  }

  @Test
  void badInputsAreTypedErrorsAndWriteNothing() {
    Trader t = Fixture.trader(a, "MKT");
    Collector c = Fixture.collector(a, "MKT");
    List<Integer> before = Fixture.moneyRowCounts(a);
    Map<String, Runnable> bad =
        Map.of(
            "zero cash",
            () -> a.postCashPayment(new CashPayment("k0", c.id(), t.id(), 0), Fixture.NOTIFIER),
            "negative cash",
            () -> a.postCashPayment(new CashPayment("k1", c.id(), t.id(), -5), Fixture.NOTIFIER),
            "unknown trader cash",
            () ->
                a.postCashPayment(new CashPayment("k2", c.id(), 99_999_999, 100), Fixture.NOTIFIER),
            "unknown collector",
            () ->
                a.postCashPayment(new CashPayment("k3", 99_999_999, t.id(), 100), Fixture.NOTIFIER),
            "zero intent",
            () -> Fixture.intent(a, t.id(), 0),
            "negative intent",
            () -> Fixture.intent(a, t.id(), -100),
            "unknown trader intent",
            () -> Fixture.intent(a, 99_999_999, 100),
            "unknown payment",
            () -> a.settleSuccessful(UUID.randomUUID(), 100, "x", Fixture.NOTIFIER),
            "not a phone",
            () ->
                a.createPaymentIntent(
                    new NewPayment(
                        UUID.randomUUID(),
                        "mtn",
                        t.id(),
                        "12345",
                        100,
                        PaymentPurpose.AMOUNT,
                        Language.EN)),
            "unknown transfer",
            () -> a.reverse(99_999_999, "x", "a", "b"));
    bad.forEach(
        (name, call) -> assertThatThrownBy(call::run).as(name).isInstanceOf(LedgerException.class));
    assertThatThrownBy(
            () -> fx.ledger.assembly("NOPE" + UUID.randomUUID().toString().substring(0, 4)))
        .isInstanceOf(UnknownAssemblyException.class);
    assertThat(Fixture.moneyRowCounts(a)).isEqualTo(before);
  }

  @Test
  void reversalNeedsTwoPeopleAndReopensTheCharges() {
    Trader t = Fixture.trader(a, "MKT");
    LocalDate day = LocalDate.of(2026, 6, 1);
    a.accrueCharges(day);
    Payment p = Fixture.intent(a, t.id(), Fixture.TOLL_PESEWAS);
    Settlement s = a.settleSuccessful(p.reference(), Fixture.TOLL_PESEWAS, "RV", Fixture.NOTIFIER);
    assertThat(a.arrears(t.id()).totalPesewas()).isZero();
    assertThatThrownBy(() -> a.reverse(s.transferId(), "wrong", "ama", "AMA"))
        .isInstanceOf(InvalidInputException.class);
    Transfer r = a.reverse(s.transferId(), "provider refunded", "ama", "kofi");
    assertThat(r.reversesTransferId()).contains(s.transferId());
    assertThat(r.postings().stream().mapToLong(Transfer.Posting::amountPesewas).sum()).isZero();
    assertThat(a.arrears(t.id()).totalPesewas()).isEqualTo(Fixture.TOLL_PESEWAS);
    assertThat(a.verifyReceipt(s.receipt().orElseThrow().number()).orElseThrow().reversed())
        .isTrue();
    Fixture.assertInvariants(a);
  }

  @Test
  void receiptsVerifyByNumberOrCodeAndReportsAddUp() {
    Trader t = Fixture.trader(a, "KAN");
    Collector c = Fixture.collector(a, "KAN");
    CashPosting cash =
        a.postCashPayment(
            new CashPayment("rc-" + UUID.randomUUID(), c.id(), t.id(), 800), Fixture.NOTIFIER);
    Receipt r = cash.receipt();
    assertThat(a.verifyReceipt(r.number()).orElseThrow().customerNumber())
        .isEqualTo(t.customerNumber());
    String typed = r.verificationCode().toLowerCase(java.util.Locale.ROOT).replace("-", "");
    assertThat(a.verifyReceipt(typed).orElseThrow().receipt()).isEqualTo(r);
    assertThat(a.verifyReceipt("ZZZZ-ZZ")).isEmpty();
    assertThat(a.recentReceipts(t.id(), 5)).extracting(Receipt::number).contains(r.number());

    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    assertThat(a.collectorDay(c.id(), today).totalPesewas()).isEqualTo(800);
    assertThat(a.collectorDay(c.id(), today).paymentCount()).isEqualTo(1);
    assertThat(a.collectionsByMarket(today))
        .anySatisfy(
            m -> {
              assertThat(m.marketName()).isEqualTo("Kaneshie");
              assertThat(m.cashPesewas()).isGreaterThanOrEqualTo(800);
            });
    Statement st = a.statement(t.id(), today.minusDays(1), today);
    assertThat(st.lines()).extracting(Statement.Line::amountPesewas).contains(-800L);
    assertThat(st.closingBalancePesewas()).isEqualTo(st.openingBalancePesewas() - 800);
  }

  @Test
  void paymentStatusOnlyMovesForwardAndLateSuccessStillPosts() {
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 500);
    assertThat(a.markPending(p.reference()).status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(a.markExpired(p.reference()).status()).isEqualTo(PaymentStatus.EXPIRED);
    Settlement late = a.settleSuccessful(p.reference(), 500, "LATE", Fixture.NOTIFIER);
    assertThat(late.receipt()).isPresent();
    assertThatThrownBy(() -> a.markFailed(p.reference(), "x", Fixture.NOTIFIER))
        .isInstanceOf(IllegalTransitionException.class);

    Payment f = Fixture.intent(a, t.id(), 500);
    assertThat(a.markFailed(f.reference(), "declined", Fixture.NOTIFIER).status())
        .isEqualTo(PaymentStatus.FAILED);
    assertThatThrownBy(() -> a.settleSuccessful(f.reference(), 500, "N", Fixture.NOTIFIER))
        .isInstanceOf(IllegalTransitionException.class);
    Fixture.assertInvariants(a);
  }

  @Test
  void aFailedPaymentQueuesTheNotifiersFailureMessageOnce() {
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 900);
    Notifier failures =
        new Notifier() {
          @Override
          public List<OutboundSmsDraft> messagesFor(PostingFacts facts) {
            return List.of();
          }

          @Override
          public List<OutboundSmsDraft> failureMessagesFor(FailedPaymentFacts facts) {
            return List.of(
                new OutboundSmsDraft(
                    facts.payerMsisdn(),
                    "Payment failed: " + facts.reason(),
                    facts.payerLanguage(),
                    null));
          }
        };
    java.time.Instant later = java.time.Instant.now().plusSeconds(1);
    a.claimOutbox(1000, later);
    a.markFailed(p.reference(), "insufficient funds", failures);
    a.markFailed(p.reference(), "insufficient funds", failures);
    assertThat(a.claimOutbox(1000, later.plusSeconds(1)))
        .filteredOn(m -> m.text().equals("Payment failed: insufficient funds"))
        .hasSize(1);
    assertThat(a.payment(p.reference()).orElseThrow().failureReason())
        .contains("insufficient funds");
  }
}
