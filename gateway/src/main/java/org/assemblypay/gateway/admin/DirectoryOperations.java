package org.assemblypay.gateway.admin;

import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.assemblypay.gateway.admin.Replies.Reply;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Collector;
import org.assemblypay.ledger.ImportReport;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.Market;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewCollector;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.NewRate;
import org.assemblypay.ledger.NewTrader;
import org.assemblypay.ledger.RatePeriod;
import org.assemblypay.ledger.Trader;
import org.assemblypay.ledger.TraderUpdate;

/** Markets, traders (with CSV import), collectors (with PINs by SMS) and rates of one assembly. */
final class DirectoryOperations {
  private final Ledger ledger;

  DirectoryOperations(Ledger ledger) {
    this.ledger = ledger;
  }

  Map<String, Operation> operations() {
    return Map.ofEntries(
        Map.entry("listMarkets", this::listMarkets),
        Map.entry("createMarket", this::createMarket),
        Map.entry("searchTraders", this::searchTraders),
        Map.entry("createTrader", this::createTrader),
        Map.entry("importTraders", this::importTraders),
        Map.entry("getTrader", this::getTrader),
        Map.entry("updateTrader", this::updateTrader),
        Map.entry("suspendTrader", this::suspendTrader),
        Map.entry("createCollector", this::createCollector),
        Map.entry("getCollector", this::getCollector),
        Map.entry("assignCollectorMarkets", this::assignCollectorMarkets),
        Map.entry("resetCollectorPin", this::resetCollectorPin),
        Map.entry("createRate", this::createRate));
  }

  private AssemblyLedger of(Call call) {
    return ledger.assembly(call.assemblyCode());
  }

  private Reply listMarkets(Call call) {
    return Reply.ok(Views.array(of(call).markets().stream().map(Views::market).toList()));
  }

  private Reply createMarket(Call call) {
    AssemblyLedger l = of(call);
    String code = call.string("code");
    if (l.markets().stream().anyMatch(m -> m.code().equalsIgnoreCase(code.strip()))) {
      throw new ApiProblem(409, "market_exists", "A market with this code is already registered.");
    }
    Market m =
        l.registerMarket(
            new NewMarket(
                code,
                call.string("name"),
                MarketKind.valueOf(call.string("kind")),
                call.daysOfWeek("marketDays")));
    AuditTrail.record(
        l, call.caller(), "market.register", "market:" + m.id(), null, Views.market(m));
    return Reply.created(Views.market(m));
  }

  private Reply searchTraders(Call call) {
    int offset = call.queryInt("offset", 0);
    int limit = call.queryInt("limit", 20);
    List<Trader> page = of(call).searchTraders(searchTerm(call.query().get("q")), offset, limit);
    return Reply.ok(
        new JsonObject()
            .put("items", Views.array(page.stream().map(Views::trader).toList()))
            .put("offset", offset)
            .put("limit", limit)
            .put("nextOffset", page.size() == limit ? offset + limit : null));
  }

  /** Phones are stored as 233XXXXXXXXX; a local or +233 number is searched in that form. */
  static String searchTerm(String q) {
    if (q == null) {
      return null;
    }
    String digits = q.strip().replaceAll("[\\s-]", "");
    if (digits.matches("0[0-9]{9}")) {
      return "233" + digits.substring(1);
    }
    if (digits.matches("\\+233[0-9]{9}")) {
      return digits.substring(1);
    }
    return q.strip();
  }

  private Reply createTrader(Call call) {
    AssemblyLedger l = of(call);
    JsonObject b = call.body();
    String customerNumber = b.getString("customerNumber");
    if (l.traderByCustomerNumber(customerNumber).isPresent()) {
      throw new ApiProblem(
          409, "trader_exists", "A trader with this customer number is already registered.");
    }
    Trader t =
        l.registerTrader(
            new NewTrader(
                customerNumber,
                b.getString("name"),
                b.getString("phone"),
                b.getString("marketCode"),
                b.getString("stall"),
                b.getString("category"),
                b.getString("language") == null ? null : Language.ofCode(b.getString("language"))));
    AuditTrail.record(
        l, call.caller(), "trader.register", "trader:" + t.id(), null, Views.trader(t));
    return Reply.created(Views.trader(t));
  }

  private Reply importTraders(Call call) {
    AssemblyLedger l = of(call);
    String csv = call.text() == null ? "" : call.text();
    ImportReport report = l.importTraders(new StringReader(csv));
    AuditTrail.record(
        l,
        call.caller(),
        "traders.import",
        "traders",
        null,
        new JsonObject()
            .put("importedCount", report.importedCount())
            .put("problemCount", report.problems().size()));
    return Reply.ok(Views.importReport(report));
  }

  private Trader existingTrader(AssemblyLedger l, long id) {
    return l.trader(id)
        .orElseThrow(() -> new ApiProblem(404, "unknown_trader", "No trader " + id + " here."));
  }

  private Reply getTrader(Call call) {
    return Reply.ok(Views.trader(existingTrader(of(call), call.pathId("traderId"))));
  }

  private Reply updateTrader(Call call) {
    AssemblyLedger l = of(call);
    long id = call.pathId("traderId");
    Trader before = existingTrader(l, id);
    JsonObject b = call.body();
    Trader after =
        l.updateTrader(
            id,
            new TraderUpdate(
                b.getString("name"),
                b.getString("phone"),
                b.getString("marketCode"),
                b.getString("stall"),
                b.getString("category")));
    if (b.getString("language") != null) {
      // A second ledger call: TraderUpdate carries no language (see the report on ledger gaps).
      after = l.setTraderLanguage(id, Language.ofCode(b.getString("language")));
    }
    AuditTrail.record(
        l,
        call.caller(),
        "trader.update",
        "trader:" + id,
        Views.trader(before),
        Views.trader(after));
    return Reply.ok(Views.trader(after));
  }

  private Reply suspendTrader(Call call) {
    AssemblyLedger l = of(call);
    long id = call.pathId("traderId");
    Trader before = existingTrader(l, id);
    Trader after = l.suspendTrader(id);
    AuditTrail.record(
        l,
        call.caller(),
        "trader.suspend",
        "trader:" + id,
        Views.trader(before),
        Views.trader(after));
    return Reply.ok(Views.trader(after));
  }

  private Collector existingCollector(AssemblyLedger l, long id) {
    return l.collector(id)
        .orElseThrow(
            () -> new ApiProblem(404, "unknown_collector", "No collector " + id + " here."));
  }

  private Reply createCollector(Call call) {
    AssemblyLedger l = of(call);
    String phone = call.string("phone");
    if (l.collectorByPhone(phone).isPresent()) {
      throw new ApiProblem(
          409, "collector_exists", "A collector with this phone number is already registered.");
    }
    String pin = CollectorPins.generate();
    Collector c =
        l.registerCollector(
            new NewCollector(
                call.string("staffNumber"),
                call.string("name"),
                phone,
                pin,
                call.strings("marketCodes")));
    long smsId = CollectorPins.send(l, c, pin);
    AuditTrail.record(
        l,
        call.caller(),
        "collector.register",
        "collector:" + c.id(),
        null,
        Views.collector(c).put("pinSmsOutboxId", smsId));
    return Reply.created(Views.collector(c));
  }

  private Reply getCollector(Call call) {
    return Reply.ok(Views.collector(existingCollector(of(call), call.pathId("collectorId"))));
  }

  private Reply assignCollectorMarkets(Call call) {
    AssemblyLedger l = of(call);
    long id = call.pathId("collectorId");
    Collector before = existingCollector(l, id);
    Collector after = l.assignCollectorMarkets(id, call.strings("marketCodes"));
    AuditTrail.record(
        l,
        call.caller(),
        "collector.assign_markets",
        "collector:" + id,
        Views.collector(before),
        Views.collector(after));
    return Reply.ok(Views.collector(after));
  }

  private Reply resetCollectorPin(Call call) {
    AssemblyLedger l = of(call);
    long id = call.pathId("collectorId");
    Collector c = existingCollector(l, id);
    String pin = CollectorPins.generate();
    l.resetCollectorPin(id, pin);
    long smsId = CollectorPins.send(l, c, pin);
    AuditTrail.record(
        l,
        call.caller(),
        "collector.reset_pin",
        "collector:" + id,
        new JsonObject().put("lockedUntil", c.lockedUntil().map(Object::toString).orElse(null)),
        new JsonObject().put("pinReset", true).put("pinSmsOutboxId", smsId));
    return Reply.accepted(new JsonObject().put("collectorId", id).put("smsQueued", true));
  }

  private Reply createRate(Call call) {
    AssemblyLedger l = of(call);
    JsonObject b = call.body();
    NewRate rate =
        new NewRate(
            ChargeItem.valueOf(b.getString("item")),
            b.getString("marketCode"),
            b.getString("category"),
            b.getLong("amountPesewas"),
            RatePeriod.valueOf(b.getString("period")),
            call.daysOfWeek("days"),
            call.bodyDate("validFrom"),
            call.bodyDate("validTo"));
    long id = l.registerRate(rate);
    JsonObject view = Views.rate(id, rate);
    AuditTrail.record(l, call.caller(), "rate.register", "rate:" + id, null, view);
    return Reply.created(view);
  }
}
