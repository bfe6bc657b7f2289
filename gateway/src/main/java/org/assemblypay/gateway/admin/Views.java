package org.assemblypay.gateway.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.assemblypay.ledger.AccrualResult;
import org.assemblypay.ledger.Arrears;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.AuditEntry;
import org.assemblypay.ledger.CollectionTotals;
import org.assemblypay.ledger.Collector;
import org.assemblypay.ledger.CollectorDay;
import org.assemblypay.ledger.DateRange;
import org.assemblypay.ledger.ImportReport;
import org.assemblypay.ledger.Market;
import org.assemblypay.ledger.MarketArrears;
import org.assemblypay.ledger.MarketCollections;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.Page;
import org.assemblypay.ledger.Payment;
import org.assemblypay.ledger.PaymentTimeline;
import org.assemblypay.ledger.Receipt;
import org.assemblypay.ledger.ReceiptVerification;
import org.assemblypay.ledger.SmsDeliverySummary;
import org.assemblypay.ledger.SmsOutboxEntry;
import org.assemblypay.ledger.Statement;
import org.assemblypay.ledger.Trader;
import org.assemblypay.ledger.Transfer;
import org.assemblypay.ledger.UssdScreenCount;

/**
 * The JSON the API shows for each ledger value, written out field by field so the contract does not
 * change when a ledger record gains a field, and so nothing secret (a PIN hash, a key) can leak.
 */
final class Views {
  private Views() {}

  static JsonArray array(Collection<JsonObject> items) {
    return new JsonArray(List.copyOf(items));
  }

  static JsonObject assembly(Assembly a) {
    return new JsonObject()
        .put("code", a.code())
        .put("name", a.name())
        .put("ussdServiceCodes", new JsonArray(a.ussdServiceCodes()))
        .put("smsSenderId", a.smsSenderId())
        .put("timeZone", a.timeZone().getId())
        .put("status", a.status().name())
        .put("minPaymentPesewas", a.minPaymentPesewas())
        .put("maxPaymentPesewas", a.maxPaymentPesewas());
  }

  static JsonObject market(Market m) {
    return new JsonObject()
        .put("id", m.id())
        .put("code", m.code())
        .put("name", m.name())
        .put("kind", m.kind().name())
        .put("marketDays", days(m.marketDays()));
  }

  static JsonArray days(Set<DayOfWeek> days) {
    JsonArray a = new JsonArray();
    new TreeSet<>(days).forEach(d -> a.add(d.name()));
    return a;
  }

  static JsonObject trader(Trader t) {
    return new JsonObject()
        .put("id", t.id())
        .put("customerNumber", t.customerNumber())
        .put("name", t.name())
        .put("phone", t.phone())
        .put("marketId", t.marketId())
        .put("marketName", t.marketName())
        .put("stall", t.stall())
        .put("category", t.category())
        .put("language", t.language().code())
        .put("status", t.status().name());
  }

  static JsonObject collector(Collector c) {
    JsonArray markets = new JsonArray();
    new TreeSet<>(c.marketIds()).forEach(markets::add);
    return new JsonObject()
        .put("id", c.id())
        .put("staffNumber", c.staffNumber())
        .put("name", c.name())
        .put("phone", c.phone())
        .put("marketIds", markets)
        .put("status", c.status().name())
        .put("lockedUntil", c.lockedUntil().map(Object::toString).orElse(null));
  }

  static JsonObject rate(long id, NewRate r) {
    return new JsonObject()
        .put("id", id)
        .put("item", r.item().name())
        .put("marketCode", r.marketCode())
        .put("category", r.category())
        .put("amountPesewas", r.amountPesewas())
        .put("period", r.period().name())
        .put("days", days(r.days()))
        .put("validFrom", r.validFrom().toString())
        .put("validTo", r.validTo() == null ? null : r.validTo().toString());
  }

  static JsonObject importReport(ImportReport r) {
    JsonArray problems = new JsonArray();
    for (ImportReport.Problem p : r.problems()) {
      problems.add(new JsonObject().put("lineNumber", p.lineNumber()).put("reason", p.reason()));
    }
    return new JsonObject().put("importedCount", r.importedCount()).put("problems", problems);
  }

  static JsonObject accrual(AccrualResult r) {
    return new JsonObject()
        .put("day", r.day().toString())
        .put("chargesCreated", r.chargesCreated())
        .put("chargedPesewas", r.chargedPesewas())
        .put("paidFromCreditPesewas", r.paidFromCreditPesewas());
  }

  static JsonObject arrears(Arrears a) {
    JsonObject byItem = new JsonObject();
    new TreeMap<>(a.byItemPesewas()).forEach((item, p) -> byItem.put(item.name(), p));
    return new JsonObject()
        .put("traderId", a.traderId())
        .put("totalPesewas", a.totalPesewas())
        .put("byItemPesewas", byItem)
        .put("daysOwed", a.daysOwed())
        .put("oldestUnpaidDate", a.oldestUnpaidDate().map(Object::toString).orElse(null))
        .put("lastPaymentDate", a.lastPaymentDate().map(Object::toString).orElse(null))
        .put("creditPesewas", a.creditPesewas());
  }

  static JsonObject statement(Statement s) {
    JsonArray lines = new JsonArray();
    for (Statement.Line l : s.lines()) {
      lines.add(
          new JsonObject()
              .put("date", l.date().toString())
              .put("kind", l.kind())
              .put("amountPesewas", l.amountPesewas())
              .put("balanceAfterPesewas", l.balanceAfterPesewas())
              .put("receipt", l.receipt()));
    }
    return new JsonObject()
        .put("traderId", s.traderId())
        .put("from", s.from().toString())
        .put("to", s.to().toString())
        .put("openingBalancePesewas", s.openingBalancePesewas())
        .put("closingBalancePesewas", s.closingBalancePesewas())
        .put("lines", lines);
  }

  static JsonObject collectorDay(CollectorDay d) {
    return new JsonObject()
        .put("collectorId", d.collectorId())
        .put("day", d.day().toString())
        .put("paymentCount", d.paymentCount())
        .put("totalPesewas", d.totalPesewas());
  }

  static JsonObject collections(MarketCollections m) {
    return new JsonObject()
        .put("marketId", m.marketId())
        .put("marketName", m.marketName())
        .put("day", m.day().toString())
        .put("mobileMoneyPesewas", m.mobileMoneyPesewas())
        .put("cashPesewas", m.cashPesewas())
        .put("paymentCount", m.paymentCount());
  }

  static JsonObject payment(Payment p) {
    return new JsonObject()
        .put("reference", p.reference().toString())
        .put("provider", p.provider())
        .put("traderId", p.traderId())
        .put("payerMsisdn", p.payerMsisdn())
        .put("amountPesewas", p.amountPesewas())
        .put("purpose", p.purpose().name())
        .put("status", p.status().name())
        .put("providerTxnId", p.providerTxnId().orElse(null))
        .put("failureReason", p.failureReason().orElse(null))
        .put("suspense", p.suspense())
        .put("transferId", p.transferId().orElse(null))
        .put("attempts", p.attempts())
        .put("createdAt", p.createdAt().toString())
        .put("correlationId", p.correlationId().orElse(null));
  }

  static JsonObject transfer(Transfer t) {
    JsonArray postings = new JsonArray();
    for (Transfer.Posting p : t.postings()) {
      postings.add(
          new JsonObject()
              .put("accountCode", p.accountCode())
              .put("amountPesewas", p.amountPesewas()));
    }
    return new JsonObject()
        .put("id", t.id())
        .put("kind", t.kind())
        .put("amountPesewas", t.amountPesewas())
        .put("reversesTransferId", t.reversesTransferId().orElse(null))
        .put("createdAt", t.createdAt().toString())
        .put("postings", postings);
  }

  static JsonObject receipt(Receipt r) {
    return new JsonObject()
        .put("number", r.number())
        .put("verificationCode", r.verificationCode())
        .put("transferId", r.transferId())
        .put("amountPesewas", r.amountPesewas())
        .put("traderId", r.traderId())
        .put("collectorId", r.collectorId().orElse(null))
        .put("issuedAt", r.issuedAt().toString());
  }

  static JsonObject receiptVerification(ReceiptVerification v) {
    return new JsonObject()
        .put("receipt", receipt(v.receipt()))
        .put("traderName", v.traderName())
        .put("customerNumber", v.customerNumber())
        .put("reversed", v.reversed());
  }

  static <T> JsonObject page(Page<T> page, Function<T, JsonObject> view) {
    long next = page.nextOffset();
    return new JsonObject()
        .put("items", array(page.items().stream().map(view).toList()))
        .put("offset", page.offset())
        .put("limit", page.limit())
        .put("total", page.total())
        .put("nextOffset", next < 0 ? null : next);
  }

  static JsonObject auditEntry(AuditEntry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("actor", e.actor())
        .put("at", e.at().toString())
        .put("action", e.action())
        .put("entity", e.entity())
        .put("before", e.beforeJson().map(Views::json).orElse(null))
        .put("after", e.afterJson().map(Views::json).orElse(null));
  }

  private static Object json(String text) {
    String t = text.strip();
    return t.startsWith("{") ? new JsonObject(t) : t.startsWith("[") ? new JsonArray(t) : t;
  }

  static JsonObject paymentTimeline(PaymentTimeline t) {
    JsonArray events = new JsonArray();
    for (PaymentTimeline.Event e : t.events()) {
      events.add(
          new JsonObject()
              .put("at", e.at().toString())
              .put("kind", e.kind())
              .put("detail", e.detail()));
    }
    return new JsonObject()
        .put("payment", payment(t.payment()))
        .put("receiptNumber", t.receiptNumber().orElse(null))
        .put("events", events);
  }

  static JsonObject marketArrears(MarketArrears m) {
    return new JsonObject()
        .put("marketId", m.marketId())
        .put("marketCode", m.marketCode())
        .put("marketName", m.marketName())
        .put("arrearsPesewas", m.arrearsPesewas())
        .put("tradersOwing", m.tradersOwing())
        .put("traderCount", m.traderCount())
        .put("oldestUnpaidDate", m.oldestUnpaidDate().map(Object::toString).orElse(null));
  }

  static JsonObject collectionTotals(CollectionTotals c) {
    return new JsonObject()
        .put("key", c.key())
        .put("label", c.label())
        .put("mobileMoneyPesewas", c.mobileMoneyPesewas())
        .put("cashPesewas", c.cashPesewas())
        .put("totalPesewas", c.totalPesewas())
        .put("paymentCount", c.paymentCount());
  }

  static JsonObject smsSummary(SmsDeliverySummary s) {
    JsonObject byStatus = new JsonObject();
    new TreeMap<>(s.byStatus()).forEach(byStatus::put);
    long finished = s.delivered() + s.failed();
    return new JsonObject()
        .put("from", s.range().from().toString())
        .put("to", s.range().to().toString())
        .put("total", s.total())
        .put("delivered", s.delivered())
        .put("failed", s.failed())
        .put("pending", s.pending())
        .put("byStatus", byStatus)
        // Of the messages whose fate is known; null when none is known yet.
        .put(
            "deliveryRatePercent",
            finished == 0
                ? null
                : java.math.BigDecimal.valueOf(s.delivered() * 100)
                    .divide(
                        java.math.BigDecimal.valueOf(finished), 1, java.math.RoundingMode.HALF_UP)
                    .doubleValue());
  }

  static JsonObject smsEntry(SmsOutboxEntry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("recipient", e.recipientMasked())
        .put("status", e.status())
        .put("attempts", e.attempts())
        .put("parts", e.parts())
        .put("errorCode", e.errorCode().orElse(null))
        .put("lastError", e.lastError().orElse(null))
        .put("transferId", e.transferId().orElse(null))
        .put("createdAt", e.createdAt().toString())
        .put("submittedAt", e.submittedAt().map(Object::toString).orElse(null))
        .put("deliveredAt", e.deliveredAt().map(Object::toString).orElse(null));
  }

  static JsonObject ussdScreens(DateRange range, List<UssdScreenCount> screens) {
    JsonArray rows = new JsonArray();
    long started = 0;
    long ended = 0;
    long dropped = 0;
    for (UssdScreenCount s : screens) {
      started += s.started();
      ended += s.ended();
      dropped += s.droppedOff();
      rows.add(
          new JsonObject()
              .put("screen", s.screen())
              .put("started", s.started())
              .put("shown", s.shown())
              .put("answered", s.answered())
              .put("ended", s.ended())
              .put("droppedOff", s.droppedOff()));
    }
    return new JsonObject()
        .put("from", range.from().toString())
        .put("to", range.to().toString())
        .put("sessionsStarted", started)
        .put("sessionsEnded", ended)
        .put("sessionsDroppedOff", dropped)
        .put("screens", rows);
  }

  static JsonObject caller(AdminCredential c) {
    JsonArray permissions = new JsonArray().add(AccessControl.READ);
    if (c.role().mayWrite()) {
      permissions.add(AccessControl.WRITE);
    }
    if (c.role() == AdminRole.PLATFORM_ADMIN) {
      permissions.add(AccessControl.PLATFORM);
    }
    return new JsonObject()
        .put("name", c.name())
        .put("role", c.role().configName())
        .put("assembly", c.assembly())
        .put("platformWide", c.platformWide())
        .put("permissions", permissions);
  }
}
