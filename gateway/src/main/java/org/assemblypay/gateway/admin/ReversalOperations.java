package org.assemblypay.gateway.admin;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assemblypay.gateway.admin.Replies.Reply;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.Transfer;

/**
 * Four-eyes reversals: one credential asks (with a reason), a different one approves, and only then
 * does the ledger post the reversing transfer. Both steps are in the audit log.
 */
final class ReversalOperations {
  private static final Set<String> REVERSIBLE = Set.of("MOMO_PAYMENT", "CASH_PAYMENT", "SUSPENSE");

  private final Ledger ledger;
  private final PendingReversals pending;

  ReversalOperations(Ledger ledger, PendingReversals pending) {
    this.ledger = ledger;
    this.pending = pending;
  }

  Map<String, Operation> operations() {
    return Map.of(
        "listReversalRequests", this::list,
        "requestReversal", this::request,
        "withdrawReversal", this::withdraw,
        "approveReversal", this::approve);
  }

  private AssemblyLedger of(Call call) {
    return ledger.assembly(call.assemblyCode());
  }

  private Reply list(Call call) {
    AssemblyLedger l = of(call);
    return Reply.ok(
        Views.array(
            pending.list(l.assembly().code()).stream()
                .map(PendingReversals.Request::toJson)
                .toList()));
  }

  private Reply request(Call call) {
    AssemblyLedger l = of(call);
    long transferId = call.body().getLong("transferId");
    String reason = call.string("reason").strip();
    if (reason.isEmpty()) {
      throw Call.badRequest("a reason is required");
    }
    Transfer t =
        l.transfer(transferId)
            .orElseThrow(
                () ->
                    new ApiProblem(
                        404, "unknown_transfer", "No transfer " + transferId + " here."));
    if (!REVERSIBLE.contains(t.kind())) {
      throw new ApiProblem(
          409, "not_reversible", "Only payments can be reversed, not " + t.kind() + ".");
    }
    PendingReversals.Request r =
        pending.add(l.assembly().code(), transferId, reason, call.caller().name());
    AuditTrail.record(
        l, call.caller(), "reversal.request", "transfer:" + transferId, null, r.toJson());
    return Reply.accepted(r.toJson());
  }

  private PendingReversals.Request pendingRequest(AssemblyLedger l, UUID id) {
    return pending
        .find(l.assembly().code(), id)
        .orElseThrow(
            () ->
                new ApiProblem(
                    404, "unknown_reversal_request", "No pending reversal request " + id));
  }

  private Reply withdraw(Call call) {
    AssemblyLedger l = of(call);
    PendingReversals.Request r = pendingRequest(l, call.pathUuid("requestId"));
    pending.remove(r.id());
    AuditTrail.record(
        l, call.caller(), "reversal.withdraw", "transfer:" + r.transferId(), r.toJson(), null);
    return Reply.ok(r.toJson().put("status", "WITHDRAWN"));
  }

  private Reply approve(Call call) {
    AssemblyLedger l = of(call);
    UUID id = call.pathUuid("requestId");
    PendingReversals.Request r = pendingRequest(l, id);
    if (r.requestedBy().equalsIgnoreCase(call.caller().name())) {
      throw new ApiProblem(
          403,
          "four_eyes",
          "The credential that requested a reversal cannot approve it; another officer must.");
    }
    Transfer reversal =
        l.reverse(r.transferId(), r.reason(), r.requestedBy(), call.caller().name());
    pending.remove(id);
    AuditTrail.record(
        l,
        call.caller(),
        "reversal.approve",
        "transfer:" + r.transferId(),
        r.toJson(),
        Views.transfer(reversal));
    return Reply.ok(Views.transfer(reversal));
  }
}
