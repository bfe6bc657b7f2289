package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assemblypay.gateway.admin.AdminApi.Response;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PinCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A finance officer's day through the API, resource by resource, with the audit rows it leaves. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminResourcesTest {
  private static final Pattern PIN_IN_SMS = Pattern.compile("PIN is ([0-9]{4,6})\\.");

  private AdminApi api;
  private String base;

  @BeforeAll
  void start() throws Exception {
    api = new AdminApi(AdminSettings.defaults());
    base = "/api/v1/assemblies/" + api.a;
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
  }

  private List<Map<String, String>> audit(String action) throws Exception {
    return api.auditRows(api.a).stream().filter(r -> r.get("action").equals(action)).toList();
  }

  @Test
  void theContractIsServedAsYaml() throws Exception {
    Response r = api.send("GET", "/api/openapi.yaml", null, null, null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/yaml"));
    assertThat(r.body()).startsWith("openapi: 3.1.0").contains("operationId: createTrader");
  }

  @Test
  void platformAdminListsAndRegistersAssemblies() throws Exception {
    String code =
        "TP" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    api.dropLater(code);
    String body =
        new JsonObject()
            .put("code", code)
            .put("name", "Test Platform Assembly")
            .put(
                "ussdServiceCodes",
                new JsonArray()
                    .add("*713*" + (10_000_000 + new java.util.Random().nextInt(80_000_000)) + "#"))
            .put("minPaymentPesewas", 100)
            .put("maxPaymentPesewas", 200_000)
            .encode();
    Response created = api.post("platform", "/api/v1/assemblies", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getString("code")).isEqualTo(code);
    assertThat(created.json().getString("timeZone")).isEqualTo("Africa/Accra");

    Response again = api.post("platform", "/api/v1/assemblies", body);
    assertThat(again.status()).isEqualTo(200);

    Response list = api.get("platform", "/api/v1/assemblies");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.jsonArray().stream().map(o -> ((JsonObject) o).getString("code")))
        .contains(code, api.a, api.b);

    List<Map<String, String>> rows = api.auditRows(code);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0))
        .containsEntry("actor", "platform")
        .containsEntry("action", "assembly.register");
    assertThat(rows.get(0).get("after")).contains(code);

    assertThat(api.get("a-admin", "/api/v1/assemblies/" + api.a).json().getString("code"))
        .isEqualTo(api.a);
  }

  @Test
  void marketsAreCreatedListedAndAudited() throws Exception {
    Response created =
        api.post(
            "a-admin",
            base + "/markets",
            "{\"code\":\"MKT1\",\"name\":\"Makola\",\"kind\":\"MARKET\",\"marketDays\":[\"MONDAY\",\"THURSDAY\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getString("code")).isEqualTo("MKT1");
    assertThat(created.json().getJsonArray("marketDays")).containsExactly("MONDAY", "THURSDAY");

    Response duplicate =
        api.post(
            "a-admin",
            base + "/markets",
            "{\"code\":\"mkt1\",\"name\":\"Again\",\"kind\":\"MARKET\"}");
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.errorCode()).isEqualTo("market_exists");

    Response list = api.get("a-auditor", base + "/markets");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains("\"code\":\"MKT1\"").contains("Makola");

    List<Map<String, String>> rows = audit("market.register");
    assertThat(rows)
        .anySatisfy(
            r -> {
              assertThat(r.get("actor")).isEqualTo("a-admin");
              assertThat(r.get("entity")).startsWith("market:");
              assertThat(r.get("before")).isNull();
              assertThat(r.get("after")).contains("Makola");
              assertThat(r.get("at")).isNotBlank();
            });
  }

  @Test
  void tradersAreCreatedUpdatedSuspendedAndSearchedByPage() throws Exception {
    api.market(api.a, "TRD");
    Response created =
        api.post(
            "a-finance",
            base + "/traders",
            "{\"customerNumber\":\"C-100\",\"name\":\"Ama Serwaa\",\"phone\":\"0244000101\","
                + "\"marketCode\":\"TRD\",\"stall\":\"B12\",\"language\":\"tw\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long id = created.json().getLong("id");
    assertThat(created.json().getString("phone")).isEqualTo("233244000101");
    assertThat(created.json().getString("language")).isEqualTo("tw");

    Response duplicate =
        api.post(
            "a-finance",
            base + "/traders",
            "{\"customerNumber\":\"C-100\",\"name\":\"Other\",\"marketCode\":\"TRD\"}");
    assertThat(duplicate.status()).isEqualTo(409);

    Response updated =
        api.put(
            "a-finance",
            base + "/traders/" + id,
            "{\"name\":\"Ama Serwaa Mensah\",\"phone\":\"0244000102\",\"marketCode\":\"TRD\",\"stall\":\"B13\",\"language\":\"ee\"}");
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().getString("stall")).isEqualTo("B13");
    assertThat(updated.json().getString("language")).isEqualTo("ee");

    Response suspended = api.put("a-finance", base + "/traders/" + id + "/suspension", null);
    assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
    assertThat(suspended.json().getString("status")).isEqualTo("SUSPENDED");
    assertThat(api.get("a-auditor", base + "/traders/" + id).json().getString("status"))
        .isEqualTo("SUSPENDED");

    for (int i = 0; i < 3; i++) {
      assertThat(
              api.post(
                      "a-finance",
                      base + "/traders",
                      "{\"customerNumber\":\"PG-"
                          + i
                          + "\",\"name\":\"Paging Trader "
                          + i
                          + "\",\"phone\":\"024400020"
                          + i
                          + "\",\"marketCode\":\"TRD\"}")
                  .status())
          .isEqualTo(201);
    }
    Response page1 = api.get("a-auditor", base + "/traders?q=paging&offset=0&limit=2");
    assertThat(page1.status()).as(page1.body()).isEqualTo(200);
    assertThat(page1.json().getJsonArray("items")).hasSize(2);
    assertThat(page1.json().getInteger("nextOffset")).isEqualTo(2);
    Response page2 = api.get("a-auditor", base + "/traders?q=paging&offset=2&limit=2");
    assertThat(page2.json().getJsonArray("items")).hasSize(1);
    assertThat(page2.json().getValue("nextOffset")).isNull();
    assertThat(api.get("a-auditor", base + "/traders?q=PG-1").json().getJsonArray("items"))
        .hasSize(1);
    assertThat(api.get("a-auditor", base + "/traders?q=0244000202").body()).contains("PG-2");

    Map<String, String> update = audit("trader.update").get(0);
    assertThat(update.get("actor")).isEqualTo("a-finance");
    assertThat(update.get("entity")).isEqualTo("trader:" + id);
    assertThat(update.get("before")).contains("B12");
    assertThat(update.get("after")).contains("B13");
    Map<String, String> suspend = audit("trader.suspend").get(0);
    assertThat(suspend.get("before")).contains("ACTIVE");
    assertThat(suspend.get("after")).contains("SUSPENDED");
  }

  @Test
  void csvImportReportsEveryBadRow() throws Exception {
    api.market(api.a, "IMP");
    String csv =
        "Customer Number,Name,Phone,Zone,Stall\n"
            + "IMP-1,Kofi Boateng,0244000301,IMP,A1\n"
            + "IMP-2,,0244000302,IMP,A2\n"
            + "IMP-3,Yaw Asante,0244000303,NOWHERE,A3\n"
            + "IMP-4,Efua Owusu,0244000304,IMP,A4\n";
    Response r = api.send("POST", base + "/trader-imports", "a-finance", csv, "text/plain");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getInteger("importedCount")).isEqualTo(2);
    JsonArray problems = r.json().getJsonArray("problems");
    assertThat(problems).hasSize(2);
    assertThat(problems.getJsonObject(0).getInteger("lineNumber")).isEqualTo(3);
    assertThat(problems.getJsonObject(1).getInteger("lineNumber")).isEqualTo(4);
    assertThat(api.get("a-auditor", base + "/traders?q=IMP-4").body()).contains("Efua Owusu");
    assertThat(audit("traders.import").get(0).get("after"))
        .contains("\"importedCount\": 2")
        .contains("\"problemCount\": 2");
  }

  @Test
  void collectorPinsGoBySmsNeverInResponses() throws Exception {
    api.market(api.a, "COL1");
    api.market(api.a, "COL2");
    Response created =
        api.post(
            "a-admin",
            base + "/collectors",
            "{\"staffNumber\":\"S-77\",\"name\":\"Kwame Collector\",\"phone\":\"0244000777\",\"marketCodes\":[\"COL1\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long id = created.json().getLong("id");
    assertThat(created.json().getJsonArray("marketIds")).hasSize(1);
    assertThat(created.body().toLowerCase()).doesNotContain("pin");

    String firstPin = pinSentTo("233244000777", 1);
    assertThat(api.ledgerOf(api.a).checkCollectorPin("0244000777", firstPin))
        .isInstanceOf(PinCheck.Accepted.class);

    Response assigned =
        api.put(
            "a-admin",
            base + "/collectors/" + id + "/markets",
            "{\"marketCodes\":[\"COL1\",\"COL2\"]}");
    assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
    assertThat(assigned.json().getJsonArray("marketIds")).hasSize(2);

    Response reset = api.post("a-admin", base + "/collectors/" + id + "/pin-resets", null);
    assertThat(reset.status()).as(reset.body()).isEqualTo(202);
    assertThat(reset.json())
        .isEqualTo(new JsonObject().put("collectorId", id).put("smsQueued", true));
    String secondPin = pinSentTo("233244000777", 2);
    if (!secondPin.equals(firstPin)) {
      assertThat(api.ledgerOf(api.a).checkCollectorPin("0244000777", firstPin))
          .isInstanceOf(PinCheck.Wrong.class);
    }
    assertThat(api.ledgerOf(api.a).checkCollectorPin("0244000777", secondPin))
        .isInstanceOf(PinCheck.Accepted.class);

    assertThat(api.get("a-auditor", base + "/collectors/" + id).json().getString("name"))
        .isEqualTo("Kwame Collector");
    List<Map<String, String>> rows = api.auditRows(api.a);
    assertThat(rows.stream().map(r -> r.get("action")))
        .contains("collector.register", "collector.assign_markets", "collector.reset_pin");
    for (Map<String, String> row : rows) {
      assertThat(String.valueOf(row.get("after")))
          .doesNotContain(firstPin + "\"")
          .doesNotContain(secondPin + "\"");
    }
  }

  private String pinSentTo(String msisdn, int expectedMessages) throws Exception {
    List<String> texts = api.outboxTexts(api.a, msisdn);
    assertThat(texts).hasSize(expectedMessages);
    Matcher m = PIN_IN_SMS.matcher(texts.get(expectedMessages - 1));
    assertThat(m.find()).as(texts.toString()).isTrue();
    return m.group(1);
  }

  @Test
  void ratesAccrualAndTheMoneyReports() throws Exception {
    api.market(api.a, "MON");
    LocalDate day = LocalDate.of(2026, 3, 2);
    Response rate =
        api.post(
            "a-finance",
            base + "/rates",
            "{\"item\":\"DAILY_TOLL\",\"marketCode\":\"MON\",\"category\":\"MON-CAT\",\"amountPesewas\":250,\"period\":\"DAY\",\"validFrom\":\"2026-01-01\"}");
    assertThat(rate.status()).as(rate.body()).isEqualTo(201);
    assertThat(rate.json().getLong("amountPesewas")).isEqualTo(250L);

    long trader =
        api.post(
                "a-finance",
                base + "/traders",
                "{\"customerNumber\":\"MON-1\",\"name\":\"Money Trader\",\"phone\":\"0244000401\",\"marketCode\":\"MON\",\"category\":\"MON-CAT\"}")
            .json()
            .getLong("id");
    Response accrual = api.post("a-finance", base + "/accruals", "{\"day\":\"" + day + "\"}");
    assertThat(accrual.status()).as(accrual.body()).isEqualTo(200);
    assertThat(accrual.json().getInteger("chargesCreated")).isGreaterThanOrEqualTo(1);
    Response again = api.post("a-finance", base + "/accruals", "{\"day\":\"" + day + "\"}");
    assertThat(again.json().getInteger("chargesCreated")).isZero();

    Response arrears = api.get("a-auditor", base + "/traders/" + trader + "/arrears");
    assertThat(arrears.status()).as(arrears.body()).isEqualTo(200);
    assertThat(arrears.json().getLong("totalPesewas")).isEqualTo(250L);

    long collector =
        api.post(
                "a-admin",
                base + "/collectors",
                "{\"staffNumber\":\"S-MON\",\"name\":\"Money Collector\",\"phone\":\"0244000402\",\"marketCodes\":[\"MON\"]}")
            .json()
            .getLong("id");
    var cash =
        api.ledgerOf(api.a)
            .postCashPayment(
                new CashPayment("test-cash-" + UUID.randomUUID(), collector, trader, 250),
                Notifier.silent());
    LocalDate today = LocalDate.now(java.time.ZoneId.of("Africa/Accra"));

    Response statement =
        api.get(
            "a-auditor", base + "/traders/" + trader + "/statement?from=2026-01-01&to=" + today);
    assertThat(statement.status()).as(statement.body()).isEqualTo(200);
    assertThat(statement.json().getLong("closingBalancePesewas")).isZero();
    assertThat(statement.json().getJsonArray("lines")).hasSize(2);

    Response collectorDay =
        api.get("a-auditor", base + "/collectors/" + collector + "/days/" + today);
    assertThat(collectorDay.status()).as(collectorDay.body()).isEqualTo(200);
    assertThat(collectorDay.json().getLong("totalPesewas")).isEqualTo(250L);
    assertThat(collectorDay.json().getInteger("paymentCount")).isEqualTo(1);

    Response collections = api.get("a-auditor", base + "/collections?day=" + today);
    assertThat(collections.status()).as(collections.body()).isEqualTo(200);
    assertThat(collections.body()).contains("\"cashPesewas\":250");

    Response receipts = api.get("a-auditor", base + "/traders/" + trader + "/receipts?limit=5");
    assertThat(receipts.status()).as(receipts.body()).isEqualTo(200);
    assertThat(receipts.jsonArray()).hasSize(1);
    assertThat(receipts.jsonArray().getJsonObject(0).getString("number"))
        .isEqualTo(cash.receipt().number());
    Response verified =
        api.get("a-auditor", base + "/receipts/" + cash.receipt().verificationCode());
    assertThat(verified.status()).as(verified.body()).isEqualTo(200);
    assertThat(verified.json().getString("traderName")).isEqualTo("Money Trader");
    assertThat(verified.json().getBoolean("reversed")).isFalse();
    assertThat(api.get("a-auditor", base + "/receipts/NOPE-2026-999999").status()).isEqualTo(404);

    Response transfer = api.get("a-auditor", base + "/transfers/" + cash.transferId());
    assertThat(transfer.status()).isEqualTo(200);
    assertThat(transfer.json().getString("kind")).isEqualTo("CASH_PAYMENT");
    assertThat(
            transfer.json().getJsonArray("postings").stream()
                .mapToLong(p -> ((JsonObject) p).getLong("amountPesewas"))
                .sum())
        .isZero();

    UUID reference = UUID.randomUUID();
    api.ledgerOf(api.a)
        .createPaymentIntent(
            new NewPayment(
                reference, "mtn", trader, "0244000401", 500, PaymentPurpose.AMOUNT, Language.EN));
    Response payment = api.get("a-auditor", base + "/payments/" + reference);
    assertThat(payment.status()).as(payment.body()).isEqualTo(200);
    assertThat(payment.json().getString("status")).isEqualTo("INITIATED");
    assertThat(payment.json().getLong("amountPesewas")).isEqualTo(500L);
    assertThat(api.get("a-auditor", base + "/payments/" + UUID.randomUUID()).status())
        .isEqualTo(404);

    assertThat(audit("rate.register")).hasSize(1);
    assertThat(audit("charges.accrue")).hasSize(2);
    assertThat(audit("charges.accrue").get(0).get("entity")).isEqualTo("day:" + day);
  }
}
