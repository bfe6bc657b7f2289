package org.assemblypay.gateway.admin;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.assemblypay.gateway.admin.Replies.Reply;
import org.assemblypay.ledger.ArrearsOrder;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.AuditFilter;
import org.assemblypay.ledger.CollectionGrouping;
import org.assemblypay.ledger.DateRange;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.PaymentFilter;
import org.assemblypay.ledger.PaymentStatus;

/**
 * The finance officer's read-only lists and reports: who am I, the audit log, payments and one
 * payment's timeline, rates, collectors, arrears by market, collection totals, the SMS outbox and
 * USSD drop-off per screen. Date ranges are the assembly's business days, at most a year long.
 */
final class ReportOperations {
  private final Ledger ledger;

  ReportOperations(Ledger ledger) {
    this.ledger = ledger;
  }

  Map<String, Operation> operations() {
    return Map.ofEntries(
        Map.entry("whoAmI", call -> Reply.ok(Views.caller(call.caller()))),
        Map.entry("listAuditLog", this::auditLog),
        Map.entry("listPayments", this::payments),
        Map.entry("getPaymentTimeline", this::timeline),
        Map.entry("listRates", this::rates),
        Map.entry("listCollectors", this::collectors),
        Map.entry("arrearsByMarket", this::arrearsByMarket),
        Map.entry("collectionTotals", this::collectionTotals),
        Map.entry("smsSummary", this::smsSummary),
        Map.entry("listSms", this::sms),
        Map.entry("ussdScreens", this::ussdScreens));
  }

  private AssemblyLedger of(Call call) {
    return ledger.assembly(call.assemblyCode());
  }

  private static DateRange range(Call call) {
    return new DateRange(call.queryDate("from"), call.queryDate("to"));
  }

  private Reply auditLog(Call call) {
    AuditFilter filter =
        new AuditFilter(
            range(call),
            call.query().get("actor"),
            call.query().get("action"),
            call.query().get("entity"));
    return Reply.ok(
        Views.page(
            of(call).auditLog(filter, call.queryInt("offset", 0), call.queryInt("limit", 50)),
            Views::auditEntry));
  }

  private Reply payments(Call call) {
    String traderId = call.query().get("traderId");
    PaymentFilter filter =
        new PaymentFilter(
            range(call),
            statuses(call.query().get("status")),
            call.query().get("provider"),
            traderId == null || traderId.isBlank() ? null : call.queryLong("traderId"));
    return Reply.ok(
        Views.page(
            of(call).payments(filter, call.queryInt("offset", 0), call.queryInt("limit", 50)),
            Views::payment));
  }

  /** {@code PENDING,INITIATED} → both; the contract has already checked the spelling. */
  static Set<PaymentStatus> statuses(String csv) {
    Set<PaymentStatus> out = EnumSet.noneOf(PaymentStatus.class);
    if (csv == null || csv.isBlank()) {
      return out;
    }
    for (String s : csv.split(",")) {
      try {
        out.add(PaymentStatus.valueOf(s.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw Call.badRequest("status must be a comma-separated list of payment statuses");
      }
    }
    return out;
  }

  private Reply timeline(Call call) {
    return Reply.ok(
        Views.paymentTimeline(
            of(call)
                .paymentTimeline(call.pathUuid("reference"))
                .orElseThrow(
                    () ->
                        new ApiProblem(
                            404, "unknown_payment", "No payment with this reference."))));
  }

  private Reply rates(Call call) {
    return Reply.ok(
        Views.array(of(call).rates().stream().map(r -> Views.rate(r.id(), r.rate())).toList()));
  }

  private Reply collectors(Call call) {
    return Reply.ok(
        Views.page(
            of(call).collectors(call.queryInt("offset", 0), call.queryInt("limit", 50)),
            Views::collector));
  }

  private Reply arrearsByMarket(Call call) {
    String sort = call.query().getOrDefault("sort", "arrears");
    ArrearsOrder order =
        switch (sort) {
          case "arrears" -> ArrearsOrder.ARREARS_DESC;
          case "tradersOwing" -> ArrearsOrder.TRADERS_OWING_DESC;
          case "name" -> ArrearsOrder.NAME;
          default -> throw Call.badRequest("sort must be arrears, tradersOwing or name");
        };
    return Reply.ok(
        Views.page(
            of(call).arrearsByMarket(order, call.queryInt("offset", 0), call.queryInt("limit", 50)),
            Views::marketArrears));
  }

  private Reply collectionTotals(Call call) {
    CollectionGrouping by;
    try {
      by =
          CollectionGrouping.valueOf(
              call.query().getOrDefault("by", "day").strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Call.badRequest("by must be day, channel, collector or market");
    }
    return Reply.ok(
        Views.array(
            of(call).collectionTotals(range(call), by).stream()
                .map(Views::collectionTotals)
                .toList()));
  }

  private Reply smsSummary(Call call) {
    return Reply.ok(Views.smsSummary(of(call).smsSummary(range(call))));
  }

  private Reply sms(Call call) {
    return Reply.ok(
        Views.page(
            of(call)
                .smsOutbox(
                    range(call),
                    call.query().get("status"),
                    call.queryInt("offset", 0),
                    call.queryInt("limit", 50)),
            Views::smsEntry));
  }

  private Reply ussdScreens(Call call) {
    DateRange range = range(call);
    return Reply.ok(Views.ussdScreens(range, of(call).ussdScreenCounts(range)));
  }
}
