package org.assemblypay.gateway.admin;

import java.time.LocalDate;
import java.util.Map;
import org.assemblypay.gateway.admin.Replies.Reply;
import org.assemblypay.ledger.AccrualResult;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Ledger;

/** Charge accrual and the money reports: arrears, statements, collections, payments, transfers. */
final class MoneyOperations {
  private final Ledger ledger;

  MoneyOperations(Ledger ledger) {
    this.ledger = ledger;
  }

  Map<String, Operation> operations() {
    return Map.of(
        "traderReceipts", this::receipts,
        "verifyReceipt", this::verifyReceipt,
        "accrueCharges", this::accrue,
        "traderArrears", this::arrears,
        "traderStatement", this::statement,
        "collectorDay", this::collectorDay,
        "collectionsByMarket", this::collections,
        "getPayment", this::payment,
        "getTransfer", this::transfer);
  }

  private AssemblyLedger of(Call call) {
    return ledger.assembly(call.assemblyCode());
  }

  private Reply accrue(Call call) {
    AssemblyLedger l = of(call);
    LocalDate day = call.bodyDate("day");
    AccrualResult result = l.accrueCharges(day);
    AuditTrail.record(
        l, call.caller(), "charges.accrue", "day:" + day, null, Views.accrual(result));
    return Reply.ok(Views.accrual(result));
  }

  private Reply arrears(Call call) {
    return Reply.ok(Views.arrears(of(call).arrears(call.pathId("traderId"))));
  }

  private Reply receipts(Call call) {
    return Reply.ok(
        Views.array(
            of(call).recentReceipts(call.pathId("traderId"), call.queryInt("limit", 10)).stream()
                .map(Views::receipt)
                .toList()));
  }

  private Reply verifyReceipt(Call call) {
    return Reply.ok(
        Views.receiptVerification(
            of(call)
                .verifyReceipt(call.path().get("numberOrCode"))
                .orElseThrow(
                    () ->
                        new ApiProblem(
                            404, "unknown_receipt", "No receipt with that number or code."))));
  }

  private Reply statement(Call call) {
    return Reply.ok(
        Views.statement(
            of(call)
                .statement(call.pathId("traderId"), call.queryDate("from"), call.queryDate("to"))));
  }

  private Reply collectorDay(Call call) {
    return Reply.ok(
        Views.collectorDay(
            of(call).collectorDay(call.pathId("collectorId"), call.pathDate("day"))));
  }

  private Reply collections(Call call) {
    return Reply.ok(
        Views.array(
            of(call).collectionsByMarket(call.queryDate("day")).stream()
                .map(Views::collections)
                .toList()));
  }

  private Reply payment(Call call) {
    return Reply.ok(
        Views.payment(
            of(call)
                .payment(call.pathUuid("reference"))
                .orElseThrow(
                    () ->
                        new ApiProblem(
                            404, "unknown_payment", "No payment with this reference."))));
  }

  private Reply transfer(Call call) {
    long id = call.pathId("transferId");
    return Reply.ok(
        Views.transfer(
            of(call)
                .transfer(id)
                .orElseThrow(
                    () ->
                        new ApiProblem(404, "unknown_transfer", "No transfer " + id + " here."))));
  }
}
