package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assemblypay.gateway.admin.AdminApi.Response;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.CashPosting;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.Trader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A reversal needs two officers: one asks with a reason, a different one approves. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReversalFourEyesTest {
  private AdminApi api;
  private String base;
  private AssemblyLedger ledger;
  private long collectorId;
  private long traderId;

  @BeforeAll
  void start() throws Exception {
    api = new AdminApi(AdminSettings.defaults());
    base = "/api/v1/assemblies/" + api.a;
    ledger = api.ledgerOf(api.a);
    api.market(api.a, "REV");
    Trader t =
        ledger.registerTrader(
            new NewTrader("REV-1", "Reversal Trader", "0244000501", "REV", null, null, null));
    traderId = t.id();
    collectorId =
        ledger
            .registerCollector(
                new NewCollector(
                    "S-REV", "Rev Collector", "0244000502", "4821", java.util.Set.of("REV")))
            .id();
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
  }

  private CashPosting cash(long pesewas) {
    return ledger.postCashPayment(
        new CashPayment("rev-" + UUID.randomUUID(), collectorId, traderId, pesewas),
        Notifier.silent());
  }

  @Test
  void theRequesterCannotApproveAndASecondOfficerCan() throws Exception {
    CashPosting payment = cash(700);
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    long takenBefore = ledger.collectorDay(collectorId, today).totalPesewas();

    Response requested =
        api.post(
            "a-finance",
            base + "/reversals",
            "{\"transferId\":"
                + payment.transferId()
                + ",\"reason\":\"Collector keyed GHS 7 twice\"}");
    assertThat(requested.status()).as(requested.body()).isEqualTo(202);
    assertThat(requested.json().getString("status")).isEqualTo("PENDING");
    assertThat(requested.json().getString("requestedBy")).isEqualTo("a-finance");
    String id = requested.json().getString("id");

    Response twice =
        api.post(
            "a-finance2",
            base + "/reversals",
            "{\"transferId\":" + payment.transferId() + ",\"reason\":\"again\"}");
    assertThat(twice.status()).isEqualTo(409);

    assertThat(api.get("a-auditor", base + "/reversals").body()).contains(id);

    Response self = api.post("a-finance", base + "/reversals/" + id + "/approval", null);
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.errorCode()).isEqualTo("four_eyes");
    assertThat(ledger.collectorDay(collectorId, today).totalPesewas()).isEqualTo(takenBefore);

    Response auditor = api.post("a-auditor", base + "/reversals/" + id + "/approval", null);
    assertThat(auditor.status()).isEqualTo(403);

    Response approved = api.post("a-finance2", base + "/reversals/" + id + "/approval", null);
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(approved.json().getString("kind")).isEqualTo("REVERSAL");
    assertThat(approved.json().getLong("reversesTransferId")).isEqualTo(payment.transferId());
    assertThat(ledger.collectorDay(collectorId, today).totalPesewas()).isEqualTo(takenBefore - 700);

    assertThat(api.get("a-auditor", base + "/reversals").body()).doesNotContain(id);
    assertThat(api.post("a-finance2", base + "/reversals/" + id + "/approval", null).status())
        .isEqualTo(404);

    List<Map<String, String>> rows = api.auditRows(api.a);
    Map<String, String> request =
        rows.stream()
            .filter(r -> r.get("action").equals("reversal.request"))
            .filter(r -> r.get("entity").equals("transfer:" + payment.transferId()))
            .findFirst()
            .orElseThrow();
    assertThat(request.get("actor")).isEqualTo("a-finance");
    assertThat(request.get("entity")).isEqualTo("transfer:" + payment.transferId());
    assertThat(request.get("after")).contains("Collector keyed GHS 7 twice");
    Map<String, String> approval =
        rows.stream()
            .filter(r -> r.get("action").equals("reversal.approve"))
            .filter(r -> r.get("entity").equals("transfer:" + payment.transferId()))
            .findFirst()
            .orElseThrow();
    assertThat(approval.get("actor")).isEqualTo("a-finance2");
    assertThat(approval.get("before")).contains("a-finance");
    assertThat(approval.get("after")).contains("REVERSAL");
  }

  @Test
  void onlyPaymentsCanBeReversedAndAReasonIsRequired() throws Exception {
    CashPosting payment = cash(300);
    Response noReason =
        api.post("a-finance", base + "/reversals", "{\"transferId\":" + payment.transferId() + "}");
    assertThat(noReason.status()).isEqualTo(400);
    Response blank =
        api.post(
            "a-finance",
            base + "/reversals",
            "{\"transferId\":" + payment.transferId() + ",\"reason\":\"   \"}");
    assertThat(blank.status()).isEqualTo(400);
    Response unknown =
        api.post("a-finance", base + "/reversals", "{\"transferId\":999999999,\"reason\":\"x\"}");
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void anotherAssemblysOfficerCannotApprove() throws Exception {
    CashPosting payment = cash(400);
    String id =
        api.post(
                "a-finance",
                base + "/reversals",
                "{\"transferId\":" + payment.transferId() + ",\"reason\":\"wrong trader\"}")
            .json()
            .getString("id");
    assertThat(api.post("b-finance", base + "/reversals/" + id + "/approval", null).status())
        .isEqualTo(403);
    assertThat(
            api.post(
                    "b-finance",
                    "/api/v1/assemblies/" + api.b + "/reversals/" + id + "/approval",
                    null)
                .status())
        .isEqualTo(404);
    assertThat(api.post("a-admin", base + "/reversals/" + id + "/approval", null).status())
        .isEqualTo(200);
  }

  @Test
  void aPendingRequestCanBeWithdrawnAndThenNothingIsPosted() throws Exception {
    CashPosting payment = cash(600);
    String id =
        api.post(
                "a-finance",
                base + "/reversals",
                "{\"transferId\":" + payment.transferId() + ",\"reason\":\"asked by mistake\"}")
            .json()
            .getString("id");
    Response withdrawn = api.send("DELETE", base + "/reversals/" + id, "a-finance", null, null);
    assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
    assertThat(withdrawn.json().getString("status")).isEqualTo("WITHDRAWN");
    assertThat(api.post("a-finance2", base + "/reversals/" + id + "/approval", null).status())
        .isEqualTo(404);
    assertThat(api.auditRows(api.a))
        .anySatisfy(
            r -> {
              assertThat(r.get("action")).isEqualTo("reversal.withdraw");
              assertThat(r.get("entity")).isEqualTo("transfer:" + payment.transferId());
            });
    // The same payment can be asked for again once the first request is gone.
    assertThat(
            api.post(
                    "a-finance",
                    base + "/reversals",
                    "{\"transferId\":" + payment.transferId() + ",\"reason\":\"now for real\"}")
                .status())
        .isEqualTo(202);
  }
}
