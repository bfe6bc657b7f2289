package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assemblypay.gateway.admin.AdminApi.Response;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.Collector;
import org.assemblypay.ledger.DeliveryState;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.Trader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The finance officer's lists and reports over HTTP against real PostgreSQL: payments, timelines,
 * the audit log, rates, collectors, arrears by market, collection totals and the SMS outbox, with
 * their filters, paging and bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminReportsApiTest {
  private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Africa/Accra"));
  private static final String RANGE = "from=" + TODAY.minusDays(7) + "&to=" + TODAY;

  private AdminApi api;
  private String base;
  private Trader ama;
  private Trader kojo;
  private Collector collector;
  private UUID settled;
  private UUID pending;

  @BeforeAll
  void start() throws Exception {
    api = new AdminApi(AdminSettings.defaults());
    base = "/api/v1/assemblies/" + api.a;
    api.market(api.a, "RMKT");
    api.market(api.a, "RLP");
    AssemblyLedger a = api.ledgerOf(api.a);
    ama = trader("R-1", "Ama Owusu", "0244000701", "RMKT");
    kojo = trader("R-2", "Kojo Mensah", "0244000702", "RLP");
    collector =
        a.registerCollector(
            new NewCollector("S-R1", "Esi Collector", "0244000703", "5931", Set.of("RMKT")));
    a.postCashPayment(
        new CashPayment("reports-" + UUID.randomUUID(), collector.id(), ama.id(), 1_200),
        Notifier.silent());
    settled = intent(a, kojo.id(), "mtn", 800);
    a.settleSuccessful(settled, 800, "MTN-R1", silentReceipt(kojo));
    pending = intent(a, ama.id(), "hubtel", 500);
    a.markPending(pending);
    var sms =
        a.claimOutbox(100, Instant.now().plusSeconds(1)).stream()
            .filter(m -> m.recipientMsisdn().equals(kojo.phone()))
            .findFirst()
            .orElseThrow();
    String messageId = "api-" + UUID.randomUUID();
    a.markSubmitted(sms.id(), List.of(new org.assemblypay.ledger.SmscMessageId("sim", messageId)));
    a.recordDeliveryReport("sim", messageId, DeliveryState.DELIVERED, null);
    Response rate =
        api.post(
            "a-finance",
            base + "/rates",
            "{\"item\":\"DAILY_TOLL\",\"marketCode\":\"RMKT\",\"amountPesewas\":2000,"
                + "\"period\":\"DAY\",\"validFrom\":\"2026-01-01\"}");
    assertThat(rate.status()).as(rate.body()).isEqualTo(201);
  }

  private Trader trader(String number, String name, String phone, String market) throws Exception {
    Response r =
        api.post(
            "a-finance",
            base + "/traders",
            new JsonObject()
                .put("customerNumber", number)
                .put("name", name)
                .put("phone", phone)
                .put("marketCode", market)
                .encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return api.ledgerOf(api.a).trader(r.json().getLong("id")).orElseThrow();
  }

  private static UUID intent(AssemblyLedger a, long traderId, String provider, long pesewas) {
    UUID reference = UUID.randomUUID();
    a.createPaymentIntent(
        new NewPayment(
            reference,
            provider,
            traderId,
            "0244000799",
            pesewas,
            PaymentPurpose.AMOUNT,
            Language.EN));
    return reference;
  }

  /** One receipt SMS to the trader, so the timeline has a delivery to show. */
  private static Notifier silentReceipt(Trader t) {
    return facts ->
        List.of(
            new OutboundSmsDraft(t.phone(), "Receipt " + facts.receiptNumber(), Language.EN, null));
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
  }

  @Test
  void paymentsAreListedByStatusProviderAndTraderWithPaging() throws Exception {
    Response open = api.get("a-auditor", base + "/payments?" + RANGE + "&status=INITIATED,PENDING");
    assertThat(open.status()).as(open.body()).isEqualTo(200);
    assertThat(open.json().getLong("total")).isEqualTo(1);
    JsonObject only = open.json().getJsonArray("items").getJsonObject(0);
    assertThat(only.getString("reference")).isEqualTo(pending.toString());
    assertThat(only.getString("status")).isEqualTo("PENDING");

    assertThat(
            api.get("a-auditor", base + "/payments?" + RANGE + "&provider=mtn")
                .json()
                .getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getString("reference"))
        .containsExactly(settled.toString());
    assertThat(
            api.get("a-auditor", base + "/payments?" + RANGE + "&traderId=" + kojo.id())
                .json()
                .getLong("total"))
        .isEqualTo(1);

    Response first = api.get("a-auditor", base + "/payments?" + RANGE + "&limit=1");
    assertThat(first.json().getLong("total")).isEqualTo(2);
    assertThat(first.json().getInteger("nextOffset")).isEqualTo(1);
    Response second = api.get("a-auditor", base + "/payments?" + RANGE + "&limit=1&offset=1");
    assertThat(second.json().getValue("nextOffset")).isNull();
    assertThat(second.json().getJsonArray("items").getJsonObject(0).getString("reference"))
        .isNotEqualTo(first.json().getJsonArray("items").getJsonObject(0).getString("reference"));

    Response bad = api.get("a-auditor", base + "/payments?" + RANGE + "&status=PAID");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorCode()).isEqualTo("validation_failed");
    assertThat(api.get("a-auditor", base + "/payments?status=PENDING").status())
        .as("a date range is required")
        .isEqualTo(400);
    Response backwards =
        api.get("a-auditor", base + "/payments?from=" + TODAY + "&to=" + TODAY.minusDays(1));
    assertThat(backwards.status()).isEqualTo(400);
    assertThat(backwards.json().getString("message")).contains("from <= to");
    Response tooLong =
        api.get("a-auditor", base + "/payments?from=" + TODAY.minusDays(400) + "&to=" + TODAY);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().getString("message")).contains("366 days");
    assertThat(api.get("a-auditor", base + "/payments?" + RANGE + "&limit=500").status())
        .isEqualTo(400);
  }

  @Test
  void aPaymentsTimelineShowsItsSettlementReceiptAndSms() throws Exception {
    Response r = api.get("a-auditor", base + "/payments/" + settled + "/timeline");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getJsonObject("payment").getString("status")).isEqualTo("SUCCESSFUL");
    assertThat(r.json().getString("receiptNumber")).startsWith(api.a + "-");
    assertThat(r.json().getJsonArray("events"))
        .extracting(o -> ((JsonObject) o).getString("kind"))
        .containsExactly(
            "INITIATED",
            "SETTLED",
            "RECEIPT_ISSUED",
            "SMS_QUEUED",
            "SMS_SUBMITTED",
            "SMS_DELIVERED");
    assertThat(r.body()).doesNotContain(kojo.phone());

    Response unknown = api.get("a-auditor", base + "/payments/" + UUID.randomUUID() + "/timeline");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("unknown_payment");
  }

  @Test
  void theAuditLogShowsWhoChangedWhatWithBeforeAndAfter() throws Exception {
    Response r =
        api.get("a-auditor", base + "/audit-log?" + RANGE + "&action=trader.&actor=a-finance");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonArray items = r.json().getJsonArray("items");
    assertThat(items).hasSize(2);
    JsonObject newest = items.getJsonObject(0);
    assertThat(newest.getString("action")).isEqualTo("trader.register");
    assertThat(newest.getString("entity")).isEqualTo("trader:" + kojo.id());
    assertThat(newest.getValue("before")).isNull();
    assertThat(newest.getJsonObject("after").getString("name")).isEqualTo("Kojo Mensah");
    assertThat(Instant.parse(newest.getString("at"))).isBefore(Instant.now().plusSeconds(1));

    Response rates = api.get("a-auditor", base + "/audit-log?" + RANGE + "&entity=rate:1");
    assertThat(rates.status()).isEqualTo(200);
    assertThat(api.get("a-auditor", base + "/audit-log?" + RANGE + "&action=DROP%20TABLE").status())
        .isEqualTo(400);
  }

  @Test
  void ratesAndCollectorsAreListed() throws Exception {
    Response rates = api.get("a-auditor", base + "/rates");
    assertThat(rates.status()).isEqualTo(200);
    assertThat(rates.jsonArray())
        .extracting(o -> ((JsonObject) o).getString("marketCode"))
        .contains("RMKT");
    Response collectors = api.get("a-auditor", base + "/collectors?limit=10");
    assertThat(collectors.status()).isEqualTo(200);
    JsonObject c = collectors.json().getJsonArray("items").getJsonObject(0);
    assertThat(c.getLong("id")).isEqualTo(collector.id());
    assertThat(c.getJsonArray("marketIds")).hasSize(1);
    assertThat(c.containsKey("pinHash")).isFalse();
    assertThat(collectors.body()).doesNotContain("5931");
  }

  @Test
  void arrearsByMarketAreSortedAndPaged() throws Exception {
    AssemblyLedger a = api.ledgerOf(api.a);
    a.accrueCharges(LocalDate.of(2026, 3, 2));
    Response r = api.get("a-auditor", base + "/arrears/markets?sort=name&limit=1");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getLong("total")).isEqualTo(2);
    assertThat(r.json().getJsonArray("items").getJsonObject(0).getString("marketCode"))
        .isEqualTo("RLP");
    Response byArrears = api.get("a-auditor", base + "/arrears/markets");
    long owed = 0;
    for (Object o : byArrears.json().getJsonArray("items")) {
      owed += ((JsonObject) o).getLong("arrearsPesewas");
    }
    assertThat(owed)
        .isEqualTo(a.arrears(ama.id()).totalPesewas() + a.arrears(kojo.id()).totalPesewas())
        .isPositive();
    assertThat(api.get("a-auditor", base + "/arrears/markets?sort=size").status()).isEqualTo(400);
  }

  @Test
  void collectionsAreTotalledByChannelCollectorMarketAndDay() throws Exception {
    Response channel = api.get("a-auditor", base + "/collections/totals?" + RANGE + "&by=channel");
    assertThat(channel.status()).as(channel.body()).isEqualTo(200);
    assertThat(channel.jsonArray())
        .extracting(
            o ->
                ((JsonObject) o).getString("label")
                    + "="
                    + ((JsonObject) o).getLong("totalPesewas"))
        .containsExactlyInAnyOrder("Cash=1200", "Mobile money=800");
    Response collectors =
        api.get("a-auditor", base + "/collections/totals?" + RANGE + "&by=collector");
    assertThat(collectors.jsonArray())
        .extracting(o -> ((JsonObject) o).getString("label"))
        .containsExactly("Esi Collector", "Mobile money (no collector)");
    Response days = api.get("a-auditor", base + "/collections/totals?" + RANGE);
    assertThat(days.jsonArray()).hasSize(1);
    assertThat(days.jsonArray().getJsonObject(0).getString("key")).isEqualTo(TODAY.toString());
    assertThat(days.jsonArray().getJsonObject(0).getLong("totalPesewas")).isEqualTo(2_000);
    Response markets = api.get("a-auditor", base + "/collections/totals?" + RANGE + "&by=market");
    assertThat(markets.jsonArray()).hasSize(2);
    assertThat(api.get("a-auditor", base + "/collections/totals?" + RANGE + "&by=week").status())
        .isEqualTo(400);
  }

  @Test
  void smsDeliveryIsSummarisedAndListedWithoutTextOrFullNumbers() throws Exception {
    AssemblyLedger a = api.ledgerOf(api.a);
    long id =
        a.enqueueSms(new OutboundSmsDraft("0244000704", "Your PIN is 9911.", Language.EN, null));
    a.claimOutbox(100, Instant.now().plusSeconds(1));
    a.markSmsFailed(id, "no route");

    Response summary = api.get("a-auditor", base + "/sms/summary?" + RANGE);
    assertThat(summary.status()).as(summary.body()).isEqualTo(200);
    JsonObject s = summary.json();
    assertThat(s.getLong("total"))
        .isEqualTo(s.getLong("delivered") + s.getLong("failed") + s.getLong("pending"));
    assertThat(s.getLong("failed")).isGreaterThanOrEqualTo(1);
    assertThat(s.getJsonObject("byStatus").getLong("FAILED")).isGreaterThanOrEqualTo(1);

    Response failed = api.get("a-auditor", base + "/sms?" + RANGE + "&status=FAILED");
    assertThat(failed.status()).isEqualTo(200);
    JsonObject row = failed.json().getJsonArray("items").getJsonObject(0);
    assertThat(row.getLong("id")).isEqualTo(id);
    assertThat(row.getString("recipient")).matches("\\*{6,}704");
    assertThat(row.getString("lastError")).isEqualTo("no route");
    assertThat(row.containsKey("text")).isFalse();
    assertThat(failed.body()).doesNotContain("9911", "244000704");
    assertThat(api.get("a-auditor", base + "/sms?" + RANGE + "&status=failed;").status())
        .isEqualTo(400);
  }
}
