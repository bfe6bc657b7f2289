package org.assemblypay.menus.trader;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.assemblypay.ledger.ActiveStatus;
import org.assemblypay.ledger.Arrears;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.ChargeItem;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.Receipt;
import org.assemblypay.ledger.ReceiptVerification;
import org.assemblypay.ledger.Trader;
import org.assemblypay.menus.Dates;
import org.assemblypay.menus.Money;
import org.assemblypay.menus.Translations;
import org.assemblypay.ussd.menu.ActionContext;
import org.assemblypay.ussd.menu.ActionResult;
import org.assemblypay.ussd.menu.Item;
import org.assemblypay.ussd.menu.MenuAction;

/**
 * The named actions behind the traders' menu ({@code /menus/trader.yaml}): who is calling, what
 * they owe, and starting a payment. Reads go to the assembly's ledger; payments go through {@link
 * PaymentRequests} and never wait for a provider.
 */
final class TraderActions {
  static final int MAX_CUSTOMER_ATTEMPTS = 3;
  static final int RECEIPTS_SHOWN = 10;

  /**
   * Registry lookups are cached for a minute: they were a database round trip on most hops, and an
   * assembly's codes, limits and status change rarely (a suspension is seen within a minute).
   */
  static final java.time.Duration REGISTRY_TTL = java.time.Duration.ofSeconds(60);

  /** Bound on cached registry answers (service codes and assembly codes, found or not). */
  static final int REGISTRY_CACHE_MAX = 1_000;

  private final java.util.concurrent.ConcurrentHashMap<String, Cached> registry =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A registry answer and when it was fetched. */
  private record Cached(Optional<Assembly> assembly, java.time.Instant fetchedAt) {}

  private final Ledger ledger;
  private final PaymentRequests payments;
  private final Translations translations;
  private final Clock clock;

  TraderActions(Ledger ledger, PaymentRequests payments, Translations translations, Clock clock) {
    this.ledger = ledger;
    this.payments = payments;
    this.translations = translations;
    this.clock = clock;
  }

  Map<String, MenuAction> all() {
    Map<String, MenuAction> actions = new HashMap<>();
    actions.put("trader.identify", this::identify);
    actions.put("trader.find_customer", this::findCustomer);
    actions.put("trader.phone_traders", this::phoneTraders);
    actions.put("trader.choose", this::choose);
    actions.put("trader.arrears", this::arrears);
    actions.put("trader.arrears_items", this::arrearsItems);
    actions.put("trader.pay_today", this::payToday);
    actions.put("trader.pay_full", this::payFull);
    actions.put("trader.amount_limits", this::amountLimits);
    actions.put("trader.check_amount", this::checkAmount);
    actions.put("trader.start_payment", this::startPayment);
    actions.put("trader.receipts", this::receipts);
    actions.put("trader.receipt_detail", this::receiptDetail);
    actions.put("trader.languages", this::languages);
    actions.put("trader.set_language", this::setLanguage);
    actions.put("trader.find_other", this::findOther);
    return Map.copyOf(actions);
  }

  private ActionResult identify(ActionContext ctx) {
    Optional<Assembly> found = assemblyFor(ctx.serviceCode());
    if (found.isEmpty() || found.get().status() != ActiveStatus.ACTIVE) {
      return ActionResult.end("unknown_code", Map.of());
    }
    Assembly assembly = found.get();
    Map<String, String> vars = new HashMap<>();
    vars.put("assemblyCode", assembly.code());
    vars.put("assembly", shortName(assembly.name()));
    vars.put("office", assembly.officePhone() == null ? "" : local(assembly.officePhone()));
    List<Trader> traders = ledger.assembly(assembly.code()).tradersByPhone(ctx.msisdn());
    List<Trader> active = traders.stream().filter(t -> t.status() == ActiveStatus.ACTIVE).toList();
    if (active.isEmpty() && !traders.isEmpty()) {
      return ActionResult.end("suspended", vars);
    }
    if (active.size() == 1) {
      vars.putAll(traderVars(active.get(0), ctx));
      return ActionResult.goTo("main", vars);
    }
    return ActionResult.goTo(active.isEmpty() ? "ask_customer" : "pick_trader", vars);
  }

  private ActionResult findCustomer(ActionContext ctx) {
    String typed = ctx.vars().getOrDefault("customerInput", "");
    Optional<Trader> trader = traderByNumber(ctx, typed);
    if (trader.isPresent()) {
      if (trader.get().status() != ActiveStatus.ACTIVE) {
        return ActionResult.end("suspended", Map.of());
      }
      return ActionResult.goTo("main", traderVars(trader.get(), ctx));
    }
    int attempts = Integer.parseInt(ctx.vars().getOrDefault("customerAttempts", "0")) + 1;
    Map<String, String> vars = new HashMap<>();
    vars.put("customerAttempts", Integer.toString(attempts));
    vars.put("customer", clip(typed, 12));
    if (attempts >= MAX_CUSTOMER_ATTEMPTS) {
      return ActionResult.end("customer_not_found_end", vars);
    }
    return ActionResult.goTo("ask_customer_again", vars);
  }

  private ActionResult phoneTraders(ActionContext ctx) {
    List<Item> items = new ArrayList<>();
    for (Trader t : assembly(ctx).tradersByPhone(ctx.msisdn())) {
      if (t.status() == ActiveStatus.ACTIVE) {
        items.add(new Item(t.name() + " (" + t.customerNumber() + ")", Long.toString(t.id())));
      }
    }
    return ActionResult.items(items, Map.of());
  }

  private ActionResult choose(ActionContext ctx) {
    Trader trader = trader(ctx);
    if (!trader.phone().equals(ctx.msisdn())) {
      // The list only offers this phone's traders; anything else is a tampered session.
      return ActionResult.end("no_trader", Map.of());
    }
    return ActionResult.goTo("main", traderVars(trader, ctx));
  }

  private ActionResult arrears(ActionContext ctx) {
    // One statement: the trader's name is already in the session, the money is read fresh.
    Arrears arrears = assembly(ctx).arrears(traderId(ctx));
    Map<String, String> vars = new HashMap<>();
    if (arrears.totalPesewas() == 0) {
      vars.put("name", ctx.vars().getOrDefault("name", ""));
      return ActionResult.end("arrears_none", vars);
    }
    String language = language(ctx);
    vars.put("total", Money.format(arrears.totalPesewas()));
    vars.put("totalPesewas", Long.toString(arrears.totalPesewas()));
    vars.put("days", Integer.toString(arrears.daysOwed()));
    vars.put(
        "lastPaid",
        arrears
            .lastPaymentDate()
            .map(Dates::format)
            .orElseGet(() -> translations.render("never", language, Map.of())));
    return ActionResult.show(vars);
  }

  /** What is owed, item by item ("Daily toll: GHS 7.50"), as a list the engine paginates. */
  private ActionResult arrearsItems(ActionContext ctx) {
    Arrears arrears = assembly(ctx).arrears(traderId(ctx));
    List<Item> items = new ArrayList<>();
    for (ChargeItem item : ChargeItem.values()) {
      Long owed = arrears.byItemPesewas().get(item);
      if (owed != null && owed > 0) {
        String label = translations.render("item_" + item.name(), language(ctx), Map.of());
        items.add(new Item(label + ": " + Money.format(owed), item.name()));
      }
    }
    return ActionResult.items(items, Map.of());
  }

  private ActionResult payToday(ActionContext ctx) {
    long due = assembly(ctx).amountDueToday(traderId(ctx), today(ctx));
    if (due <= 0) {
      return ActionResult.end("nothing_due_today", Map.of());
    }
    return confirm(ctx, payee(ctx), due, PaymentPurpose.TODAY);
  }

  private ActionResult payFull(ActionContext ctx) {
    long owed = assembly(ctx).arrears(traderId(ctx)).totalPesewas();
    if (owed <= 0) {
      return ActionResult.end("arrears_none", Map.of("name", ctx.vars().getOrDefault("name", "")));
    }
    Assembly assembly = assemblyRecord(ctx);
    return confirm(
        ctx, payee(ctx), Math.min(owed, assembly.maxPaymentPesewas()), PaymentPurpose.ARREARS);
  }

  private ActionResult amountLimits(ActionContext ctx) {
    Assembly assembly = assemblyRecord(ctx);
    return ActionResult.show(
        Map.of(
            "min", Money.format(assembly.minPaymentPesewas()),
            "max", Money.format(assembly.maxPaymentPesewas())));
  }

  private ActionResult checkAmount(ActionContext ctx) {
    Assembly assembly = assemblyRecord(ctx);
    Optional<Long> amount = Money.parse(ctx.vars().getOrDefault("amountInput", ""));
    if (amount.isEmpty()
        || amount.get() < assembly.minPaymentPesewas()
        || amount.get() > assembly.maxPaymentPesewas()) {
      return ActionResult.goTo(
          "ask_amount_again",
          Map.of(
              "min", Money.format(assembly.minPaymentPesewas()),
              "max", Money.format(assembly.maxPaymentPesewas())));
    }
    return confirm(ctx, payee(ctx), amount.get(), PaymentPurpose.AMOUNT);
  }

  /**
   * Who a payment is for, as the session recorded it when the trader was identified or picked
   * (every path that sets {@code traderId} also sets {@code name} and {@code customer}); the
   * payment itself is checked against the ledger when it starts.
   */
  private record Payee(long id, String name, String customerNumber) {}

  private static Payee payee(ActionContext ctx) {
    return new Payee(
        traderId(ctx),
        ctx.vars().getOrDefault("name", ""),
        ctx.vars().getOrDefault("customer", ""));
  }

  private ActionResult confirm(
      ActionContext ctx, Payee trader, long pesewas, PaymentPurpose purpose) {
    Optional<String> network =
        payments.networkFor(ctx.vars().get("assemblyCode"), ctx.msisdn(), ctx.network());
    if (network.isEmpty()) {
      return ActionResult.end("pay_unknown_network", Map.of());
    }
    Map<String, String> vars = new HashMap<>();
    vars.put("amount", Money.format(pesewas));
    vars.put("amountPesewas", Long.toString(pesewas));
    vars.put("purpose", purpose.name());
    vars.put("wallet", local(ctx.msisdn()));
    vars.put("network", network.get());
    vars.put("name", trader.name());
    vars.put("short", shortPersonName(trader.name()));
    vars.put("customer", trader.customerNumber());
    vars.put("payTraderId", Long.toString(trader.id()));
    return ActionResult.goTo("confirm", vars);
  }

  private ActionResult startPayment(ActionContext ctx) {
    Map<String, String> v = ctx.vars();
    long pesewas = Long.parseLong(v.get("amountPesewas"));
    PaymentRequests.PaymentStart start =
        payments.start(
            new PaymentRequests.PaymentOrder(
                v.get("assemblyCode"),
                Long.parseLong(v.get("payTraderId")),
                ctx.msisdn(),
                ctx.network(),
                pesewas,
                PaymentPurpose.valueOf(v.get("purpose")),
                Language.ofCode(language(ctx)),
                ctx.idempotencyKey()));
    Map<String, String> vars = Map.of("amount", Money.format(pesewas));
    if (start instanceof PaymentRequests.PaymentStart.Started s) {
      return ActionResult.end(
          s.network().equalsIgnoreCase("MTN") ? "pay_started_mtn" : "pay_started", vars);
    }
    if (start instanceof PaymentRequests.PaymentStart.Unavailable u) {
      return ActionResult.end("pay_unavailable", Map.of("network", u.network()));
    }
    return ActionResult.end("pay_unknown_network", Map.of());
  }

  private ActionResult receipts(ActionContext ctx) {
    List<Item> items = new ArrayList<>();
    for (Receipt r : assembly(ctx).recentReceipts(traderId(ctx), RECEIPTS_SHOWN)) {
      LocalDate day = r.issuedAt().atZone(assemblyRecord(ctx).timeZone()).toLocalDate();
      items.add(new Item(Dates.format(day) + " " + Money.format(r.amountPesewas()), r.number()));
    }
    return ActionResult.items(items, Map.of());
  }

  private ActionResult receiptDetail(ActionContext ctx) {
    Optional<ReceiptVerification> receipt =
        assembly(ctx).verifyReceipt(ctx.vars().getOrDefault("receiptNo", ""));
    if (receipt.isEmpty() || receipt.get().receipt().traderId() != traderId(ctx)) {
      return ActionResult.end("no_receipts", Map.of());
    }
    Receipt r = receipt.get().receipt();
    LocalDate day = r.issuedAt().atZone(assemblyRecord(ctx).timeZone()).toLocalDate();
    return ActionResult.show(
        Map.of(
            "receipt", r.number(),
            "amount", Money.format(r.amountPesewas()),
            "date", Dates.format(day),
            "code", r.verificationCode()));
  }

  private ActionResult languages(ActionContext ctx) {
    List<Item> items = new ArrayList<>();
    for (String code : Translations.LANGUAGES) {
      items.add(new Item(translations.meta(code).language(), code));
    }
    return ActionResult.items(items, Map.of());
  }

  private ActionResult setLanguage(ActionContext ctx) {
    Language chosen = Language.ofCode(ctx.vars().getOrDefault("newLanguage", "en"));
    Trader trader = trader(ctx);
    if (trader.phone().equals(ctx.msisdn())) {
      assembly(ctx).setTraderLanguage(trader.id(), chosen);
    }
    return ActionResult.goTo("main", Map.of("lang", chosen.code()));
  }

  private ActionResult findOther(ActionContext ctx) {
    String typed = ctx.vars().getOrDefault("otherInput", "");
    Optional<Trader> other = traderByNumber(ctx, typed);
    if (other.isEmpty() || other.get().status() != ActiveStatus.ACTIVE) {
      return ActionResult.end("customer_not_found_end", Map.of("customer", clip(typed, 12)));
    }
    Map<String, String> vars = new HashMap<>();
    vars.put("traderId", Long.toString(other.get().id()));
    vars.put("name", other.get().name());
    vars.put("customer", other.get().customerNumber());
    return ActionResult.goTo("pay_arrears", vars);
  }

  // --- helpers ---

  /** A registry answer from the cache, or from the ledger when absent or older than the TTL. */
  private Optional<Assembly> cached(
      String key, java.util.function.Supplier<Optional<Assembly>> fetch) {
    java.time.Instant now = clock.instant();
    Cached hit = registry.get(key);
    if (hit != null && hit.fetchedAt().plus(REGISTRY_TTL).isAfter(now)) {
      return hit.assembly();
    }
    Optional<Assembly> fresh = fetch.get();
    if (registry.size() >= REGISTRY_CACHE_MAX) {
      registry.clear();
    }
    registry.put(key, new Cached(fresh, now));
    return fresh;
  }

  /**
   * The assembly for a dialled code; a direct-dial string ({@code *713*44*2#}) maps to its base.
   */
  Optional<Assembly> assemblyFor(String serviceCode) {
    String code = serviceCode == null ? "" : serviceCode.trim();
    while (!code.isEmpty()) {
      String dialled = code;
      Optional<Assembly> found =
          cached("ussd:" + dialled, () -> ledger.assemblies().byServiceCode(dialled));
      if (found.isPresent()) {
        return found;
      }
      int star = code.lastIndexOf('*');
      if (star <= 0) {
        break;
      }
      code = code.substring(0, star) + "#";
    }
    return Optional.empty();
  }

  private Optional<Trader> traderByNumber(ActionContext ctx, String typed) {
    String number = typed.trim().toUpperCase(Locale.ROOT);
    if (number.isEmpty() || number.length() > 20) {
      return Optional.empty();
    }
    return assembly(ctx).traderByCustomerNumber(number);
  }

  private Map<String, String> traderVars(Trader trader, ActionContext ctx) {
    Map<String, String> vars = new HashMap<>();
    vars.put("traderId", Long.toString(trader.id()));
    vars.put("name", trader.name());
    vars.put("customer", trader.customerNumber());
    if (!ctx.vars().containsKey("lang")) {
      vars.put("lang", trader.language().code());
    }
    return vars;
  }

  private AssemblyLedger assembly(ActionContext ctx) {
    return ledger.assembly(ctx.vars().get("assemblyCode"));
  }

  private Assembly assemblyRecord(ActionContext ctx) {
    String code = ctx.vars().get("assemblyCode");
    return cached("code:" + code, () -> ledger.assemblies().find(code)).orElseThrow();
  }

  private Trader trader(ActionContext ctx) {
    return assembly(ctx).trader(Long.parseLong(ctx.vars().get("traderId"))).orElseThrow();
  }

  private static long traderId(ActionContext ctx) {
    return Long.parseLong(ctx.vars().get("traderId"));
  }

  private LocalDate today(ActionContext ctx) {
    return LocalDate.now(clock.withZone(assemblyRecord(ctx).timeZone()));
  }

  private static String language(ActionContext ctx) {
    return ctx.language() == null ? "en" : ctx.language();
  }

  private static String local(String msisdn) {
    return msisdn.startsWith("233") && msisdn.length() == 12 ? "0" + msisdn.substring(3) : msisdn;
  }

  /** "Akosua Mensah" → "Akosua M.": at most 12 characters, for screens with little room. */
  static String shortPersonName(String name) {
    String[] words = name.trim().split("\\s+");
    String s =
        words.length > 1 ? words[0] + " " + words[words.length - 1].charAt(0) + "." : words[0];
    return clip(s, 12);
  }

  /** "Accra Metropolitan Assembly" → "Accra Metro Assembly": at most 30 characters on screen. */
  static String shortName(String name) {
    String s =
        name.replace("Metropolitan", "Metro")
            .replace("Municipal", "Mun.")
            .replace("District", "Dist.");
    return clip(s, 30).strip();
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
