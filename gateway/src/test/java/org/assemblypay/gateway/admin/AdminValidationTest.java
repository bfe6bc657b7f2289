package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.assemblypay.gateway.admin.AdminApi.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests the contract refuses: each gets a 4xx JSON error and writes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminValidationTest {
  private AdminApi api;
  private String base;

  @BeforeAll
  void start() throws Exception {
    api = new AdminApi(AdminSettings.defaults());
    base = "/api/v1/assemblies/" + api.a;
    api.market(api.a, "VAL");
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
  }

  private void assertNothingWritten(Response r, long tradersBefore, long auditBefore)
      throws Exception {
    assertThat(r.raw().headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonObject error = r.json();
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("code", "message", "details");
    assertThat(api.count(api.a, "traders")).isEqualTo(tradersBefore);
    assertThat(api.count(api.a, "audit_log")).isEqualTo(auditBefore);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad JSON|{\"customerNumber\":\"X-1\",",
        "not an object|[1,2,3]",
        "missing name|{\"customerNumber\":\"X-2\",\"marketCode\":\"VAL\"}",
        "name is a number|{\"customerNumber\":\"X-3\",\"name\":42,\"marketCode\":\"VAL\"}",
        "unknown field|{\"customerNumber\":\"X-4\",\"name\":\"A\",\"marketCode\":\"VAL\",\"pin\":\"1234\"}",
        "empty name|{\"customerNumber\":\"X-5\",\"name\":\"\",\"marketCode\":\"VAL\"}",
        "unknown language|{\"customerNumber\":\"X-6\",\"name\":\"A\",\"marketCode\":\"VAL\",\"language\":\"fr\"}",
        "letters in phone|{\"customerNumber\":\"X-7\",\"name\":\"A\",\"marketCode\":\"VAL\",\"phone\":\"call me\"}",
      })
  void traderBodiesOutsideTheContractAre400(String why, String body) throws Exception {
    long traders = api.count(api.a, "traders");
    long audit = api.count(api.a, "audit_log");
    Response r = api.post("a-finance", base + "/traders", body);
    assertThat(r.status()).as(why + ": " + r.body()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("validation_failed");
    assertNothingWritten(r, traders, audit);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "negative amount|-250",
        "zero amount|0",
        "amount as text|\"250\"",
        "fractional amount|2.5",
      })
  void ratesNeedAPositiveWholeNumberOfPesewas(String why, String amount) throws Exception {
    long rates = api.count(api.a, "rates");
    long audit = api.count(api.a, "audit_log");
    Response r =
        api.post(
            "a-finance",
            base + "/rates",
            "{\"item\":\"DAILY_TOLL\",\"amountPesewas\":"
                + amount
                + ",\"period\":\"DAY\",\"validFrom\":\"2026-01-01\"}");
    assertThat(r.status()).as(why + ": " + r.body()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("validation_failed");
    assertThat(r.json().getJsonObject("details").getJsonArray("errors")).isNotEmpty();
    assertThat(api.count(api.a, "rates")).isEqualTo(rates);
    assertThat(api.count(api.a, "audit_log")).isEqualTo(audit);
  }

  @Test
  void theLedgerRulesStillAnswer400WhenTheContractCannotTell() throws Exception {
    long audit = api.count(api.a, "audit_log");
    Response r =
        api.post(
            "a-finance",
            base + "/rates",
            "{\"item\":\"DAILY_TOLL\",\"amountPesewas\":100,\"period\":\"DAY\","
                + "\"validFrom\":\"2026-02-01\",\"validTo\":\"2026-01-01\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("invalid_input");
    Response badDate = api.post("a-finance", base + "/accruals", "{\"day\":\"2026-02-31\"}");
    assertThat(badDate.status()).as(badDate.body()).isEqualTo(400);
    assertThat(api.count(api.a, "audit_log")).isEqualTo(audit);
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    long traders = api.count(api.a, "traders");
    long audit = api.count(api.a, "audit_log");
    String big =
        "{\"customerNumber\":\"BIG\",\"name\":\""
            + "x".repeat(70_000)
            + "\",\"marketCode\":\"VAL\"}";
    Response r = api.post("a-finance", base + "/traders", big);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.errorCode()).isEqualTo("body_too_large");
    assertNothingWritten(r, traders, audit);
  }

  @Test
  void wrongContentTypeAndMissingBodyAre400() throws Exception {
    long traders = api.count(api.a, "traders");
    long audit = api.count(api.a, "audit_log");
    Response text =
        api.send(
            "POST",
            base + "/traders",
            "a-finance",
            "{\"customerNumber\":\"CT-1\",\"name\":\"A\",\"marketCode\":\"VAL\"}",
            "text/plain");
    assertThat(text.status()).as(text.body()).isEqualTo(400);
    assertNothingWritten(text, traders, audit);
    Response empty = api.send("POST", base + "/traders", "a-finance", null, "application/json");
    assertThat(empty.status()).as(empty.body()).isEqualTo(400);
    assertNothingWritten(empty, traders, audit);
  }

  @Test
  void badParametersAre400() throws Exception {
    assertThat(api.get("a-auditor", base + "/traders/abc").status()).isEqualTo(400);
    assertThat(api.get("a-auditor", base + "/traders/0").status()).isEqualTo(400);
    assertThat(api.get("a-auditor", base + "/traders?limit=500").status()).isEqualTo(400);
    assertThat(api.get("a-auditor", base + "/traders?offset=-1").status()).isEqualTo(400);
    assertThat(api.get("a-auditor", base + "/collections").status()).isEqualTo(400);
    assertThat(api.get("a-auditor", base + "/collections?day=yesterday").status()).isEqualTo(400);
    assertThat(api.get("a-auditor", base + "/payments/not-a-uuid").status()).isEqualTo(400);
  }

  @Test
  void unknownThingsAre404() throws Exception {
    Response trader = api.get("a-auditor", base + "/traders/999999999");
    assertThat(trader.status()).isEqualTo(404);
    assertThat(trader.errorCode()).isEqualTo("unknown_trader");
    Response update =
        api.put(
            "a-finance",
            base + "/traders/999999999",
            "{\"name\":\"Nobody\",\"marketCode\":\"VAL\"}");
    assertThat(update.status()).isEqualTo(404);
    Response assembly = api.get("platform", "/api/v1/assemblies/NOSUCHASM1/markets");
    assertThat(assembly.status()).isEqualTo(404);
    assertThat(assembly.errorCode()).isEqualTo("unknown_assembly");
    Response market =
        api.post(
            "a-finance",
            base + "/traders",
            "{\"customerNumber\":\"NM-1\",\"name\":\"A\",\"marketCode\":\"NOWHERE\"}");
    assertThat(market.status()).isEqualTo(404);
    assertThat(market.errorCode()).isEqualTo("unknown_market");
    Response method = api.send("DELETE", base + "/markets", "a-admin", null, null);
    // The node's catch-all 404 route answers before vertx-web can say 405.
    assertThat(method.status()).isIn(404, 405);
    assertThat(method.errorCode()).isIn("not_found", "method_not_allowed");
    Response junkBody =
        api.send(
            "PUT",
            base + "/traders/999999999/suspension",
            "a-admin",
            "not json",
            "application/json");
    assertThat(junkBody.status()).as(junkBody.body()).isEqualTo(404);
    Response path = api.get("a-auditor", "/api/v1/nothing-here");
    assertThat(path.status()).isEqualTo(404);
    assertThat(path.errorCode()).isEqualTo("not_found");
  }

  @Test
  void missingOrUnknownKeysAre401() throws Exception {
    long audit = api.count(api.a, "audit_log");
    Response none = api.send("GET", base + "/markets", null, null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.errorCode()).isEqualTo("unauthenticated");
    assertThat(none.raw().headers().firstValue("www-authenticate")).hasValue("Bearer");
    assertThat(api.get("not-a-real-key", base + "/markets").status()).isEqualTo(401);
    Response basic =
        api.send(
            "POST",
            base + "/markets",
            null,
            "{\"code\":\"X\",\"name\":\"X\",\"kind\":\"MARKET\"}",
            "application/json");
    assertThat(basic.status()).isEqualTo(401);
    assertThat(api.count(api.a, "audit_log")).isEqualTo(audit);
    assertThat(api.registry.get("admin.api.unauthenticated").counter().count())
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void nonCanonicalPathsCannotSlipPastTheAssemblyCheck() throws Exception {
    Response r =
        api.send(
            "GET",
            "/api/v1/assemblies/" + api.a + "/../" + api.b + "/markets",
            "a-auditor",
            null,
            null);
    assertThat(r.status()).isIn(400, 403, 404);
  }
}
