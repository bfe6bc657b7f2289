package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin's lists and reports, each against rows written through the ledger's own calls. */
class AdminReportsTest {

  /** The SMSC identity the tests submit under and report from, unless they name another. */
  private static final String SMSC = "smsc-a";

  static Fixture fx;
  static final LocalDate TODAY = LocalDate.now(ZoneId.of("Africa/Accra"));
  static final DateRange THIS_WEEK = new DateRange(TODAY.minusDays(3), TODAY.plusDays(1));
  static final DateRange LONG_AGO = DateRange.day(TODAY.minusDays(30));

  @BeforeAll
  static void setUp() {
    fx = new Fixture();
  }

  @AfterAll
  static void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void paymentsAreFilteredByStatusProviderAndTraderAndPagedNewestFirst() {
    AssemblyLedger a = fx.newAssembly();
    Trader t1 = Fixture.trader(a, "MKT");
    Trader t2 = Fixture.trader(a, "KAN");
    Payment settled = Fixture.intent(a, t1.id(), 500);
    a.settleSuccessful(settled.reference(), 500, "T1", Fixture.NOTIFIER);
    Payment failed = Fixture.intent(a, t1.id(), 600);
    a.markFailed(failed.reference(), "payer declined", Notifier.silent());
    Payment pending = Fixture.intent(a, t1.id(), 700);
    a.markPending(pending.reference());
    Payment hubtel =
        a.createPaymentIntent(
            new NewPayment(
                UUID.randomUUID(),
                "hubtel",
                t2.id(),
                "0204000001",
                800,
                PaymentPurpose.TODAY,
                Language.EN));

    Page<Payment> all = a.payments(new PaymentFilter(THIS_WEEK, Set.of(), null, null), 0, 50);
    assertThat(all.total()).isEqualTo(4);
    assertThat(all.items())
        .extracting(Payment::reference)
        .containsExactly(
            hubtel.reference(), pending.reference(), failed.reference(), settled.reference());
    assertThat(all.nextOffset()).isEqualTo(-1);

    Set<PaymentStatus> open = Set.of(PaymentStatus.INITIATED, PaymentStatus.PENDING);
    assertThat(a.payments(new PaymentFilter(THIS_WEEK, open, null, null), 0, 50).items())
        .extracting(Payment::reference)
        .containsExactly(hubtel.reference(), pending.reference());
    assertThat(a.payments(new PaymentFilter(THIS_WEEK, Set.of(), "hubtel", null), 0, 50).items())
        .extracting(Payment::reference)
        .containsExactly(hubtel.reference());
    Page<Payment> ofT1 = a.payments(new PaymentFilter(THIS_WEEK, Set.of(), null, t1.id()), 0, 2);
    assertThat(ofT1.total()).isEqualTo(3);
    assertThat(ofT1.items())
        .extracting(Payment::reference)
        .containsExactly(pending.reference(), failed.reference());
    assertThat(ofT1.nextOffset()).isEqualTo(2);
    Page<Payment> last = a.payments(new PaymentFilter(THIS_WEEK, Set.of(), null, t1.id()), 2, 2);
    assertThat(last.items()).extracting(Payment::reference).containsExactly(settled.reference());
    assertThat(last.nextOffset()).isEqualTo(-1);
    assertThat(a.payments(new PaymentFilter(LONG_AGO, Set.of(), null, null), 0, 50).total())
        .isZero();

    assertThatThrownBy(() -> a.payments(new PaymentFilter(THIS_WEEK, open, null, null), 0, 201))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> a.payments(new PaymentFilter(THIS_WEEK, open, null, null), -1, 10))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new DateRange(TODAY, TODAY.minusDays(1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new DateRange(TODAY.minusDays(366), TODAY))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aPaymentsTimelineFollowsItFromIntentToDeliveredReceiptAndReversal() {
    AssemblyLedger a = fx.newAssembly();
    Trader t = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, t.id(), 900);
    a.markPending(p.reference());
    Settlement s = a.settleSuccessful(p.reference(), 900, "MTN-77", Fixture.NOTIFIER);
    String receipt = s.receipt().orElseThrow().number();
    OutboxMessage sms =
        a.claimOutbox(100, Instant.now().plusSeconds(1)).stream()
            .filter(m -> m.text().contains(receipt))
            .findFirst()
            .orElseThrow();
    String messageId = "tl-" + UUID.randomUUID();
    a.markSubmitted(sms.id(), SmscMessageId.all(SMSC, List.of(messageId)));
    assertThat(a.recordDeliveryReport(SMSC, messageId, DeliveryState.DELIVERED, null)).isTrue();
    a.audit("alice", "reversal.request", "transfer:" + s.transferId(), null, "{}");
    a.reverse(s.transferId(), "paid twice by mistake", "alice", "bob");

    PaymentTimeline timeline = a.paymentTimeline(p.reference()).orElseThrow();
    assertThat(timeline.payment().status()).isEqualTo(PaymentStatus.SUCCESSFUL);
    assertThat(timeline.receiptNumber()).contains(receipt);
    List<String> kinds = timeline.events().stream().map(PaymentTimeline.Event::kind).toList();
    assertThat(kinds)
        .containsExactly(
            "INITIATED",
            "SETTLED",
            "RECEIPT_ISSUED",
            "SMS_QUEUED",
            "SMS_SUBMITTED",
            "SMS_DELIVERED",
            "AUDIT",
            "REVERSED");
    assertThat(timeline.events())
        .isSortedAccordingTo(java.util.Comparator.comparing(PaymentTimeline.Event::at));
    assertThat(timeline.events().get(1).detail()).contains("MTN-77");
    assertThat(timeline.events().get(6).detail()).isEqualTo("reversal.request by alice");
    assertThat(timeline.events().get(7).detail()).contains("alice", "bob", "paid twice by mistake");
    // The receipt SMS's recipient is masked in the timeline.
    assertThat(timeline.events().get(3).detail()).doesNotContain(t.phone()).contains("***");

    Payment failed = Fixture.intent(a, t.id(), 300);
    a.markFailed(failed.reference(), "insufficient funds", Notifier.silent());
    PaymentTimeline f = a.paymentTimeline(failed.reference()).orElseThrow();
    assertThat(f.events())
        .extracting(PaymentTimeline.Event::kind)
        .containsExactly("INITIATED", "FAILED");
    assertThat(f.events().get(1).detail()).isEqualTo("insufficient funds");
    assertThat(f.receiptNumber()).isEmpty();
    assertThat(a.paymentTimeline(UUID.randomUUID())).isEmpty();
  }

  @Test
  void theAuditLogIsReadNewestFirstByActorActionPrefixEntityAndRange() {
    AssemblyLedger a = fx.newAssembly();
    a.audit("alice", "trader.update", "trader:1", "{\"name\":\"A\"}", "{\"name\":\"B\"}");
    a.audit("bob", "market.register", "market:1", null, "{\"code\":\"MKT\"}");
    a.audit("alice", "trader.suspend", "trader:2", "{}", "{}");

    Page<AuditEntry> all = a.auditLog(new AuditFilter(THIS_WEEK, null, null, null), 0, 50);
    assertThat(all.items())
        .extracting(AuditEntry::action)
        .containsExactly("trader.suspend", "market.register", "trader.update");
    AuditEntry update = all.items().get(2);
    assertThat(update.actor()).isEqualTo("alice");
    assertThat(update.beforeJson().orElseThrow()).contains("\"A\"");
    assertThat(update.afterJson().orElseThrow()).contains("\"B\"");
    assertThat(all.items().get(1).beforeJson()).isEmpty();

    assertThat(a.auditLog(new AuditFilter(THIS_WEEK, "alice", null, null), 0, 50).total())
        .isEqualTo(2);
    assertThat(a.auditLog(new AuditFilter(THIS_WEEK, null, "trader.", null), 0, 50).total())
        .isEqualTo(2);
    assertThat(a.auditLog(new AuditFilter(THIS_WEEK, null, "tr%", null), 0, 50).total())
        .as("a wildcard in the prefix is taken literally")
        .isZero();
    assertThat(a.auditLog(new AuditFilter(THIS_WEEK, null, null, "trader:2"), 0, 50).items())
        .extracting(AuditEntry::action)
        .containsExactly("trader.suspend");
    Page<AuditEntry> first = a.auditLog(new AuditFilter(THIS_WEEK, null, null, null), 0, 1);
    assertThat(first.total()).isEqualTo(3);
    assertThat(first.nextOffset()).isEqualTo(1);
    assertThat(a.auditLog(new AuditFilter(LONG_AGO, null, null, null), 0, 50).total()).isZero();
  }

  @Test
  void ratesAndCollectorsAreListed() {
    AssemblyLedger a = fx.newAssembly();
    List<RateLine> rates = a.rates();
    assertThat(rates).hasSize(3);
    RateLine lorry =
        rates.stream().filter(r -> r.rate().item() == ChargeItem.LORRY_TICKET).findFirst().get();
    assertThat(lorry.rate().marketCode()).isEqualTo("LP");
    assertThat(lorry.rate().amountPesewas()).isEqualTo(Fixture.LORRY_PESEWAS);
    assertThat(rates.stream().filter(r -> r.rate().item() == ChargeItem.DAILY_TOLL).findFirst())
        .hasValueSatisfying(r -> assertThat(r.rate().marketCode()).isNull());

    Collector c1 = Fixture.collector(a, "MKT", "KAN");
    Collector c2 = Fixture.collector(a, "LP");
    Collector c3 = Fixture.collector(a);
    Page<Collector> page = a.collectors(0, 2);
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.nextOffset()).isEqualTo(2);
    List<Collector> all = new ArrayList<>(page.items());
    all.addAll(a.collectors(2, 2).items());
    Map<Long, Collector> byId =
        all.stream().collect(Collectors.toMap(Collector::id, Function.identity()));
    assertThat(byId.keySet()).containsExactlyInAnyOrder(c1.id(), c2.id(), c3.id());
    assertThat(byId.get(c1.id()).marketIds()).isEqualTo(c1.marketIds()).hasSize(2);
    assertThat(byId.get(c3.id()).marketIds()).isEmpty();
    assertThat(byId.get(c2.id())).isEqualTo(a.collector(c2.id()).orElseThrow());
  }

  @Test
  void arrearsByMarketAddUpTheTradersArrearsSortedAndPaged() {
    AssemblyLedger a = fx.newAssembly();
    LocalDate monday = LocalDate.of(2026, 3, 2);
    List<Trader> makola = List.of(Fixture.trader(a, "MKT"), Fixture.trader(a, "MKT"));
    Trader lorry = Fixture.trader(a, "LP");
    a.accrueCharges(monday);
    a.accrueCharges(monday.plusDays(1));
    // One Makola trader pays everything: Makola has two traders, one owing.
    Payment p = Fixture.intent(a, makola.get(0).id(), a.arrears(makola.get(0).id()).totalPesewas());
    a.settleSuccessful(p.reference(), p.amountPesewas(), "ALL", Fixture.NOTIFIER);

    Page<MarketArrears> page = a.arrearsByMarket(ArrearsOrder.ARREARS_DESC, 0, 50);
    assertThat(page.total()).isEqualTo(3);
    Map<String, MarketArrears> byCode =
        page.items().stream().collect(Collectors.toMap(MarketArrears::marketCode, m -> m));
    long makolaOwed = makola.stream().mapToLong(t -> a.arrears(t.id()).totalPesewas()).sum();
    assertThat(byCode.get("MKT").arrearsPesewas()).isEqualTo(makolaOwed).isPositive();
    assertThat(byCode.get("MKT").tradersOwing()).isEqualTo(1);
    assertThat(byCode.get("MKT").traderCount()).isEqualTo(2);
    assertThat(byCode.get("MKT").oldestUnpaidDate()).isPresent();
    assertThat(byCode.get("LP").arrearsPesewas()).isEqualTo(a.arrears(lorry.id()).totalPesewas());
    assertThat(byCode.get("KAN").arrearsPesewas()).isZero();
    assertThat(byCode.get("KAN").traderCount()).isZero();
    assertThat(byCode.get("KAN").oldestUnpaidDate()).isEmpty();
    assertThat(page.items())
        .extracting(MarketArrears::arrearsPesewas)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());

    assertThat(a.arrearsByMarket(ArrearsOrder.NAME, 0, 50).items())
        .extracting(MarketArrears::marketName)
        .containsExactly("Kaneshie", "Makola", "Tema Station");
    Page<MarketArrears> second = a.arrearsByMarket(ArrearsOrder.NAME, 1, 1);
    assertThat(second.items()).extracting(MarketArrears::marketName).containsExactly("Makola");
    assertThat(second.nextOffset()).isEqualTo(2);
    assertThat(
            a.arrearsByMarket(ArrearsOrder.TRADERS_OWING_DESC, 0, 1).items().get(0).tradersOwing())
        .isEqualTo(1);
  }

  @Test
  void collectionTotalsByDayChannelCollectorAndMarketAgreeWithTheMarketReport() {
    AssemblyLedger a = fx.newAssembly();
    Trader makola = Fixture.trader(a, "MKT");
    Trader lorry = Fixture.trader(a, "LP");
    Collector kofi = Fixture.collector(a, "MKT", "LP");
    a.postCashPayment(
        new CashPayment("ct-" + UUID.randomUUID(), kofi.id(), makola.id(), 1_000),
        Fixture.NOTIFIER);
    CashPosting reversed =
        a.postCashPayment(
            new CashPayment("ct-" + UUID.randomUUID(), kofi.id(), lorry.id(), 400),
            Fixture.NOTIFIER);
    a.reverse(reversed.transferId(), "wrong trader", "alice", "bob");
    Payment p = Fixture.intent(a, lorry.id(), 700);
    a.settleSuccessful(p.reference(), 700, "CT", Fixture.NOTIFIER);
    DateRange today = DateRange.day(TODAY);

    List<CollectionTotals> byChannel = a.collectionTotals(today, CollectionGrouping.CHANNEL);
    assertThat(byChannel)
        .extracting(
            CollectionTotals::key,
            CollectionTotals::mobileMoneyPesewas,
            CollectionTotals::cashPesewas)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("CASH_PAYMENT", 0L, 1_000L),
            org.assertj.core.groups.Tuple.tuple("MOMO_PAYMENT", 700L, 0L));
    List<CollectionTotals> byCollector = a.collectionTotals(today, CollectionGrouping.COLLECTOR);
    assertThat(byCollector)
        .extracting(CollectionTotals::key, CollectionTotals::label, CollectionTotals::totalPesewas)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(String.valueOf(kofi.id()), kofi.name(), 1_000L),
            org.assertj.core.groups.Tuple.tuple("", "Mobile money (no collector)", 700L));
    List<CollectionTotals> byDay =
        a.collectionTotals(new DateRange(TODAY.minusDays(2), TODAY), CollectionGrouping.DAY);
    assertThat(byDay)
        .extracting(
            CollectionTotals::key, CollectionTotals::totalPesewas, CollectionTotals::paymentCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(TODAY.toString(), 1_700L, 3));

    List<CollectionTotals> byMarket = a.collectionTotals(today, CollectionGrouping.MARKET);
    List<MarketCollections> report = a.collectionsByMarket(TODAY);
    assertThat(byMarket).hasSameSizeAs(report);
    for (MarketCollections m : report) {
      CollectionTotals row =
          byMarket.stream()
              .filter(r -> r.key().equals(String.valueOf(m.marketId())))
              .findFirst()
              .get();
      assertThat(row.label()).isEqualTo(m.marketName());
      assertThat(row.mobileMoneyPesewas()).isEqualTo(m.mobileMoneyPesewas());
      assertThat(row.cashPesewas()).isEqualTo(m.cashPesewas());
      assertThat(row.paymentCount()).isEqualTo(m.paymentCount());
    }
    assertThat(a.collectionTotals(LONG_AGO, CollectionGrouping.MARKET)).isEmpty();
  }

  @Test
  void smsDeliveryIsCountedByStatusAndListedMaskedAndPaged() {
    AssemblyLedger a = fx.newAssembly();
    String phone = "233244555123";
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(a.enqueueSms(new OutboundSmsDraft(phone, "Your PIN is 4821.", Language.EN, null)));
    }
    List<OutboxMessage> claimed = a.claimOutbox(100, Instant.now().plusSeconds(1));
    assertThat(claimed).hasSize(5);
    String prefix = "sms-" + UUID.randomUUID();
    a.markSubmitted(ids.get(0), SmscMessageId.all(SMSC, List.of(prefix + "-0")));
    a.markSubmitted(ids.get(1), SmscMessageId.all(SMSC, List.of(prefix + "-1a", prefix + "-1b")));
    a.markSubmitted(ids.get(2), SmscMessageId.all(SMSC, List.of(prefix + "-2")));
    a.recordDeliveryReport(SMSC, prefix + "-0", DeliveryState.DELIVERED, null);
    a.recordDeliveryReport(SMSC, prefix + "-1a", DeliveryState.DELIVERED, null);
    a.recordDeliveryReport(SMSC, prefix + "-1b", DeliveryState.DELIVERED, null);
    a.recordDeliveryReport(SMSC, prefix + "-2", DeliveryState.UNDELIVERABLE, "0x0b");
    a.markSmsFailed(ids.get(3), "rejected by the SMSC");

    SmsDeliverySummary summary = a.smsSummary(THIS_WEEK);
    assertThat(summary.total()).isEqualTo(5);
    assertThat(summary.delivered()).isEqualTo(2);
    assertThat(summary.failed()).isEqualTo(2);
    assertThat(summary.pending()).isEqualTo(1);
    assertThat(a.smsSummary(LONG_AGO).total()).isZero();

    Page<SmsOutboxEntry> page = a.smsOutbox(THIS_WEEK, null, 0, 3);
    assertThat(page.total()).isEqualTo(5);
    assertThat(page.items()).hasSize(3);
    assertThat(page.items())
        .allSatisfy(e -> assertThat(e.recipientMasked()).isEqualTo("*********123"));
    SmsOutboxEntry twoParts =
        a.smsOutbox(THIS_WEEK, "DELIVERED", 0, 10).items().stream()
            .filter(e -> e.id() == ids.get(1))
            .findFirst()
            .orElseThrow();
    assertThat(twoParts.parts()).isEqualTo(2);
    assertThat(twoParts.deliveredAt()).isPresent();
    assertThat(twoParts.submittedAt()).isPresent();
    SmsOutboxEntry failed = a.smsOutbox(THIS_WEEK, "FAILED", 0, 10).items().get(0);
    assertThat(failed.id()).isEqualTo(ids.get(3));
    assertThat(failed.lastError()).contains("rejected by the SMSC");
    assertThat(a.smsOutbox(THIS_WEEK, "UNDELIVERABLE", 0, 10).items())
        .extracting(SmsOutboxEntry::id)
        .containsExactly(ids.get(2));
  }

  @Test
  void ussdScreenCountsFromSeveralNodesAddUp() throws Exception {
    AssemblyLedger a = fx.newAssembly();
    List<UssdScreenCount> batch =
        List.of(
            new UssdScreenCount("home", 10, 10, 8, 0),
            new UssdScreenCount("pay_confirm", 0, 6, 4, 0),
            new UssdScreenCount("paid", 0, 0, 0, 4));
    List<CompletableFuture<Void>> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(CompletableFuture.runAsync(() -> a.addUssdScreenCounts(TODAY, batch)));
    }
    CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new)).get();
    a.addUssdScreenCounts(TODAY.minusDays(1), List.of(new UssdScreenCount("home", 1, 1, 0, 0)));
    a.addUssdScreenCounts(TODAY.minusDays(40), List.of(new UssdScreenCount("home", 5, 5, 0, 0)));

    List<UssdScreenCount> read = a.ussdScreenCounts(new DateRange(TODAY.minusDays(1), TODAY));
    assertThat(read)
        .extracting(UssdScreenCount::screen)
        .containsExactly("home", "pay_confirm", "paid");
    UssdScreenCount home = read.get(0);
    assertThat(home.started()).isEqualTo(41);
    assertThat(home.shown()).isEqualTo(41);
    assertThat(home.answered()).isEqualTo(32);
    assertThat(home.droppedOff()).isEqualTo(9);
    assertThat(read.get(1).droppedOff()).isEqualTo(8);
    assertThat(read.get(2).ended()).isEqualTo(16);
    assertThat(a.ussdScreenCounts(LONG_AGO)).isEmpty();

    assertThatThrownBy(() -> new UssdScreenCount("home", -1, 0, 0, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new UssdScreenCount("", 0, 0, 0, 0))
        .isInstanceOf(InvalidInputException.class);
  }
}
