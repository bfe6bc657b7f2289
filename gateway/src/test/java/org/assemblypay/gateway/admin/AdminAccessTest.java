package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assemblypay.gateway.admin.AdminApi.Response;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.CashPosting;
import org.assemblypay.ledger.Collector;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.Trader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Endpoint by endpoint, straight from the OpenAPI document: a credential for one assembly cannot
 * touch another's data, an auditor cannot write, only a platform admin manages assemblies, and none
 * of the refused requests leaves a trace in the other assembly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminAccessTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  /** One operation of the contract. */
  record Op(String id, String method, String template, String permission, String bodyType) {
    /** The path with every parameter filled in with a real thing of that assembly. */
    String path(String assembly, Map<String, String> values) {
      String p = template.replace("{code}", assembly);
      for (Map.Entry<String, String> v : values.entrySet()) {
        p = p.replace("{" + v.getKey() + "}", v.getValue());
      }
      // Extra query parameters are ignored where not declared; statement and collections need them.
      String today = values.getOrDefault("day", "2026-01-01");
      String from = LocalDate.parse(today).minusDays(30).toString();
      return "/api/v1"
          + p
          + (method.equals("GET") ? "?from=" + from + "&to=" + today + "&day=" + today : "");
    }
  }

  private AdminApi api;
  private List<Op> ops;

  /** Ids of real things in assembly B, so a hole in the checks would answer 200, not 404. */
  private final Map<String, String> inB = new java.util.HashMap<>();

  @BeforeAll
  void start() throws Exception {
    api = new AdminApi(AdminSettings.defaults());
    seedAssemblyB();
    JsonNode doc = new YAMLMapper().readTree(AdminRoutes.readContract());
    ops = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
          methods.hasNext(); ) {
        Map.Entry<String, JsonNode> m = methods.next();
        if (!METHODS.contains(m.getKey())) {
          continue;
        }
        JsonNode op = m.getValue();
        JsonNode content = op.path("requestBody").path("content");
        String bodyType = content.isMissingNode() ? null : content.fieldNames().next();
        ops.add(
            new Op(
                op.get("operationId").asText(),
                m.getKey().toUpperCase(java.util.Locale.ROOT),
                path.getKey(),
                op.path("x-permission").asText(),
                bodyType));
      }
    }
  }

  private void seedAssemblyB() throws Exception {
    AssemblyLedger b = api.ledgerOf(api.b);
    api.market(api.b, "BMKT");
    Trader trader =
        b.registerTrader(new NewTrader("B-1", "B Trader", "0244000601", "BMKT", null, null, null));
    Collector collector =
        b.registerCollector(
            new NewCollector("S-B1", "B Collector", "0244000602", "5931", Set.of("BMKT")));
    CashPosting cash =
        b.postCashPayment(
            new CashPayment("access-" + UUID.randomUUID(), collector.id(), trader.id(), 500),
            Notifier.silent());
    UUID reference = UUID.randomUUID();
    b.createPaymentIntent(
        new NewPayment(
            reference, "mtn", trader.id(), "0244000601", 500, PaymentPurpose.AMOUNT, Language.EN));
    Response pending =
        api.post(
            "b-finance2",
            "/api/v1/assemblies/" + api.b + "/reversals",
            "{\"transferId\":" + cash.transferId() + ",\"reason\":\"seeded\"}");
    assertThat(pending.status()).as(pending.body()).isEqualTo(202);
    inB.put("traderId", String.valueOf(trader.id()));
    inB.put("collectorId", String.valueOf(collector.id()));
    inB.put("transferId", String.valueOf(cash.transferId()));
    inB.put("reference", reference.toString());
    inB.put("requestId", pending.json().getString("id"));
    inB.put("numberOrCode", cash.receipt().number());
    inB.put("day", LocalDate.now(ZoneId.of("Africa/Accra")).toString());
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
  }

  private Response send(Op op, String credential, String assembly) throws Exception {
    String body =
        op.bodyType() == null ? null : op.bodyType().equals("text/plain") ? "a,b\n" : "{}";
    return api.send(op.method(), op.path(assembly, inB), credential, body, op.bodyType());
  }

  @Test
  void theContractHasEveryKindOfOperation() {
    assertThat(ops).hasSizeGreaterThan(25);
    assertThat(ops.stream().map(Op::permission)).contains("platform", "read", "write");
    assertThat(ops.stream().map(Op::permission).distinct())
        .containsOnly("platform", "read", "write", "self");
    // Every operation outside the assembly paths is either platform-only or about the caller.
    assertThat(ops)
        .filteredOn(op -> !op.template().startsWith("/assemblies/{code}"))
        .allSatisfy(op -> assertThat(op.permission()).isIn("platform", "self"));
  }

  @Test
  void aCredentialForOneAssemblyGets403OnAnothersData() throws Exception {
    long auditBefore = api.count(api.b, "audit_log");
    long tradersBefore = api.count(api.b, "traders");
    long outboxBefore = api.count(api.b, "sms_outbox");
    int checked = 0;
    for (Op op : ops) {
      if (!op.template().startsWith("/assemblies/{code}")) {
        continue;
      }
      for (String credential : List.of("a-admin", "a-finance", "a-auditor")) {
        Response r = send(op, credential, api.b);
        assertThat(r.status()).as(op.id() + " as " + credential + ": " + r.body()).isEqualTo(403);
        assertThat(r.json().getString("code")).as(op.id()).isEqualTo("other_assembly");
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(60);
    assertThat(api.count(api.b, "audit_log")).isEqualTo(auditBefore);
    assertThat(api.count(api.b, "traders")).isEqualTo(tradersBefore);
    assertThat(api.count(api.b, "sms_outbox")).isEqualTo(outboxBefore);
  }

  @Test
  void theOwnAssemblysCredentialsAreLetThrough() throws Exception {
    // The control for the test above: the same requests with B's own keys are not refused.
    for (Op op : ops) {
      if (!op.template().startsWith("/assemblies/{code}")) {
        continue;
      }
      String credential = op.permission().equals("write") ? "b-finance" : "b-auditor";
      Response r = send(op, credential, api.b);
      if (op.permission().equals("read")) {
        assertThat(r.status()).as(op.id() + " as " + credential + ": " + r.body()).isEqualTo(200);
      } else {
        assertThat(r.status())
            .as(op.id() + " as " + credential + ": " + r.body())
            .isNotIn(401, 403);
      }
    }
  }

  @Test
  void anAuditorCannotWrite() throws Exception {
    long auditBefore = api.count(api.b, "audit_log");
    int checked = 0;
    for (Op op : ops) {
      if (op.permission().equals("read") || op.permission().equals("self")) {
        continue;
      }
      Response r = send(op, "b-auditor", api.b);
      assertThat(r.status()).as(op.id() + ": " + r.body()).isEqualTo(403);
      checked++;
    }
    assertThat(checked).isGreaterThan(10);
    assertThat(api.count(api.b, "audit_log")).isEqualTo(auditBefore);
  }

  @Test
  void onlyAPlatformAdminManagesTheRegistry() throws Exception {
    int checked = 0;
    for (Op op : ops) {
      if (!op.permission().equals("platform")) {
        continue;
      }
      for (String credential : List.of("a-admin", "a-finance", "a-auditor", "b-admin")) {
        Response r = send(op, credential, api.a);
        assertThat(r.status()).as(op.id() + " as " + credential).isEqualTo(403);
        assertThat(r.json().getString("code")).isEqualTo("platform_only");
        checked++;
      }
      assertThat(send(op, "platform", api.a).status()).as(op.id()).isNotIn(401, 403);
    }
    assertThat(checked).isGreaterThanOrEqualTo(8);
  }

  @Test
  void whoAmIAnswersEachCredentialWithItsOwnRoleAndScopeOnly() throws Exception {
    Op me = ops.stream().filter(op -> op.id().equals("whoAmI")).findFirst().orElseThrow();
    assertThat(me.permission()).isEqualTo("self");
    for (String credential : api.keys.keySet()) {
      Response r = api.get(credential, "/api/v1/me");
      assertThat(r.status()).as(credential).isEqualTo(200);
      assertThat(r.json().getString("name")).isEqualTo(credential);
      String expected =
          credential.equals("platform") ? "*" : credential.startsWith("a-") ? api.a : api.b;
      assertThat(r.json().getString("assembly")).as(credential).isEqualTo(expected);
      assertThat(r.json().getBoolean("platformWide")).isEqualTo(credential.equals("platform"));
      assertThat(r.json().getJsonArray("permissions").contains("write"))
          .as(credential)
          .isEqualTo(!credential.endsWith("auditor"));
    }
    assertThat(api.get("b-auditor", "/api/v1/me").json().getString("role")).isEqualTo("auditor");
    assertThat(api.get(null, "/api/v1/me").status()).isEqualTo(401);
    assertThat(api.get("not-a-key", "/api/v1/me").status()).isEqualTo(401);
  }
}
