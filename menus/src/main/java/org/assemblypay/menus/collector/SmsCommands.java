package org.assemblypay.menus.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assemblypay.ledger.ActiveStatus;
import org.assemblypay.ledger.Arrears;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.Collector;
import org.assemblypay.ledger.CollectorDay;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.ledger.PendingCash;
import org.assemblypay.ledger.PinCheck;
import org.assemblypay.ledger.Receipt;
import org.assemblypay.ledger.ReceiptVerification;
import org.assemblypay.ledger.Trader;
import org.assemblypay.menus.Dates;
import org.assemblypay.menus.Money;
import org.assemblypay.menus.Translations;
import org.assemblypay.menus.sms.ReceiptNotifier;
import org.assemblypay.ussd.PhoneRateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the SMS commands of collectors ({@code PAY}, {@code YES}, {@code CHECK}, {@code TOTAL}) and
 * of anyone ({@code VERIFY}, {@code BAL}, {@code HELP}) for one stored inbound message. Every reply
 * goes through the assembly's outbox; cash is posted with its receipt SMS in one transaction.
 *
 * <p>Collectors are staff and read English; traders read their own language.
 *
 * <p>Each sender may send {@value #DEFAULT_COMMANDS_PER_MINUTE} commands a minute (unless
 * configured otherwise): the first message over the limit gets one short reply, later ones in the
 * same run get none (never a reply storm), and none of them reads or posts anything. A stored
 * message handled again after its first handling failed (the recovery sweep) is not counted a
 * second time when this instance counted it the first time.
 */
public final class SmsCommands {
  private static final Logger log = LoggerFactory.getLogger(SmsCommands.class);
  static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  /** Commands a sender may send a minute unless configured otherwise. */
  public static final int DEFAULT_COMMANDS_PER_MINUTE = 10;

  private final Ledger ledger;
  private final Translations translations;
  private final Clock clock;
  private final PhoneRateLimit senderLimit;
  private final Counter rateLimited;

  /** Stored messages this instance remembers having let through its sender limit, at most. */
  static final int ADMITTED_KEYS_KEPT = 20_000;

  /**
   * Stored messages (assembly and inbound key) this instance let through the sender limit, newest
   * last: a message handled again by the recovery sweep after its first handling failed has had its
   * turn and does not count a second time (D201).
   */
  private final Map<String, Boolean> admitted =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > ADMITTED_KEYS_KEPT;
            }
          });

  /** Commands with the default per-sender limit and no metrics. */
  public SmsCommands(Ledger ledger, Translations translations, Clock clock) {
    this(ledger, translations, clock, null);
  }

  /** Commands with the default per-sender limit, counted in {@code registry} (may be null). */
  public SmsCommands(
      Ledger ledger, Translations translations, Clock clock, MeterRegistry registry) {
    this(
        ledger,
        translations,
        clock,
        registry,
        new PhoneRateLimit(DEFAULT_COMMANDS_PER_MINUTE, PhoneRateLimit.DEFAULT_MAX_PHONES, clock));
  }

  /** Commands with this per-sender limit, counted in {@code registry} (may be null). */
  public SmsCommands(
      Ledger ledger,
      Translations translations,
      Clock clock,
      MeterRegistry registry,
      PhoneRateLimit senderLimit) {
    this.ledger = ledger;
    this.translations = translations;
    this.clock = clock;
    this.senderLimit = senderLimit;
    if (registry == null) {
      this.rateLimited = null;
    } else {
      this.rateLimited =
          Counter.builder("sms.commands.rate_limited")
              .description("SMS commands refused because the sender was over its limit")
              .register(registry);
      Gauge.builder("sms.commands.rate_limit.senders", senderLimit, PhoneRateLimit::size)
          .description("Senders the SMS command limit is tracking")
          .register(registry);
    }
  }

  /**
   * Handles one inbound SMS already stored in {@code assemblyCode}'s inbound table. {@code
   * inboundKey} identifies that message (the SMSC's id or the stored row): a redelivered message
   * with the same key never posts cash twice.
   */
  public void handle(String assemblyCode, String inboundKey, String senderMsisdn, String text) {
    String admittedKey = assemblyCode + ' ' + inboundKey;
    if (admitted.containsKey(admittedKey)) {
      // Handled again (recovery) after a handling that passed the limit here: no second count.
      log.info(
          "sms command handled again in {}: not counted against the limit again", assemblyCode);
    } else if (admit(assemblyCode, inboundKey, senderMsisdn)) {
      admitted.put(admittedKey, Boolean.TRUE);
    } else {
      return;
    }
    run(new Sender(ledger.assembly(assemblyCode), senderMsisdn, inboundKey), assemblyCode, text);
  }

  /** Counts the message against its sender's limit; false (replied to at most once) if over it. */
  private boolean admit(String assemblyCode, String inboundKey, String senderMsisdn) {
    PhoneRateLimit.Decision decision = senderLimit.check(senderMsisdn);
    if (decision.allowed()) {
      return true;
    }
    if (rateLimited != null) {
      rateLimited.increment();
    }
    log.info(
        "sms command refused in {}: sender over {} a minute",
        assemblyCode,
        senderLimit.perMinute());
    if (decision == PhoneRateLimit.Decision.REFUSED_FIRST) {
      new Sender(ledger.assembly(assemblyCode), senderMsisdn, inboundKey)
          .reply("sms_rate_limited", Map.of());
    }
    return false;
  }

  private void run(Sender sender, String assemblyCode, String text) {
    SmsCommand command = SmsCommandParser.parse(text);
    log.info("sms command {} in {}", command.getClass().getSimpleName(), assemblyCode);
    if (command instanceof SmsCommand.Pay pay) {
      pay(sender, pay);
    } else if (command instanceof SmsCommand.Confirm confirm) {
      confirm(sender, confirm);
    } else if (command instanceof SmsCommand.Check check) {
      check(sender, check);
    } else if (command instanceof SmsCommand.Total) {
      total(sender);
    } else if (command instanceof SmsCommand.Verify verify) {
      verify(sender, verify);
    } else if (command instanceof SmsCommand.Balance) {
      balance(sender);
    } else if (command instanceof SmsCommand.Help) {
      help(sender);
    } else if (command instanceof SmsCommand.Unreadable unreadable) {
      sender.reply(unreadable.hint(), Map.of());
    }
  }

  private void pay(Sender s, SmsCommand.Pay pay) {
    PinCheck pin = s.ledger.checkCollectorPin(s.msisdn, pay.pin());
    if (pin instanceof PinCheck.UnknownCollector) {
      s.reply("col_not_collector", Map.of());
      return;
    }
    if (pin instanceof PinCheck.Wrong wrong) {
      s.reply("col_wrong_pin", Map.of("left", Integer.toString(wrong.attemptsLeft())));
      return;
    }
    if (pin instanceof PinCheck.Locked locked) {
      s.reply("col_locked", Map.of("time", s.time(locked.until())));
      if (locked.justLocked()) {
        notifyOfficeOfLock(s, locked.until());
      }
      return;
    }
    Collector collector = ((PinCheck.Accepted) pin).collector();
    Optional<Trader> trader = tradableFor(s, collector, pay.customerNumber());
    if (trader.isEmpty()) {
      return;
    }
    if (pay.amountPesewas() > s.assembly.maxPaymentPesewas()) {
      s.reply(
          "col_amount_too_large",
          Map.of(
              "amount", Money.format(pay.amountPesewas()),
              "max", Money.format(s.assembly.maxPaymentPesewas())));
      return;
    }
    Optional<Receipt> repeat = recentSame(s, collector, trader.get(), pay.amountPesewas());
    if (repeat.isPresent()) {
      String code =
          s.ledger.requestCashConfirmation(
              collector.id(),
              trader.get().id(),
              pay.amountPesewas(),
              clock.instant().plus(REPEAT_WINDOW));
      Map<String, String> vars = traderVars(trader.get());
      vars.put("amount", Money.format(pay.amountPesewas()));
      vars.put("time", s.time(repeat.get().issuedAt()));
      vars.put("code", code);
      s.reply("col_pay_repeat", vars);
      return;
    }
    post(s, collector, trader.get(), pay.amountPesewas(), "sms:" + s.inboundKey);
  }

  private void confirm(Sender s, SmsCommand.Confirm confirm) {
    Optional<Collector> collector = activeCollector(s);
    if (collector.isEmpty()) {
      return;
    }
    Optional<PendingCash> pending =
        s.ledger.takeCashConfirmation(collector.get().id(), confirm.code(), clock.instant());
    if (pending.isEmpty()) {
      s.reply("col_yes_unknown", Map.of("code", confirm.code()));
      return;
    }
    Trader trader = s.ledger.trader(pending.get().traderId()).orElseThrow();
    post(
        s,
        collector.get(),
        trader,
        pending.get().amountPesewas(),
        "sms-yes:" + collector.get().id() + ":" + pending.get().code());
  }

  private void post(Sender s, Collector collector, Trader trader, long pesewas, String key) {
    // The trader's receipt and the collector's confirmation are queued in the same transaction.
    s.ledger.postCashPayment(
        new CashPayment(key, collector.id(), trader.id(), pesewas),
        ReceiptNotifier.forAssembly(translations, s.assembly));
  }

  private void check(Sender s, SmsCommand.Check check) {
    Optional<Collector> collector = activeCollector(s);
    if (collector.isEmpty()) {
      return;
    }
    Optional<Trader> trader = tradableFor(s, collector.get(), check.customerNumber());
    if (trader.isEmpty()) {
      return;
    }
    Arrears arrears = s.ledger.arrears(trader.get().id());
    Map<String, String> vars = traderVars(trader.get());
    vars.put("total", Money.format(arrears.totalPesewas()));
    vars.put("days", Integer.toString(arrears.daysOwed()));
    vars.put("lastPaid", arrears.lastPaymentDate().map(Dates::format).orElse("never"));
    s.reply(arrears.totalPesewas() == 0 ? "col_check_none" : "col_check", vars);
  }

  private void total(Sender s) {
    Optional<Collector> collector = activeCollector(s);
    if (collector.isEmpty()) {
      return;
    }
    LocalDate today = LocalDate.now(clock.withZone(s.zone()));
    CollectorDay day = s.ledger.collectorDay(collector.get().id(), today);
    s.reply(
        "col_total",
        Map.of(
            "date", Dates.format(today),
            "count", Integer.toString(day.paymentCount()),
            "total", Money.format(day.totalPesewas())));
  }

  private void verify(Sender s, SmsCommand.Verify verify) {
    Optional<ReceiptVerification> found = s.ledger.verifyReceipt(verify.receiptOrCode());
    Map<String, String> vars = new HashMap<>();
    vars.put("sender", s.assembly.smsSenderId());
    vars.put("receipt", verify.receiptOrCode());
    if (found.isEmpty()) {
      s.reply("sms_verify_unknown", vars);
      return;
    }
    Receipt receipt = found.get().receipt();
    vars.put("receipt", receipt.number());
    vars.put("amount", Money.format(receipt.amountPesewas()));
    vars.put("date", Dates.format(receipt.issuedAt().atZone(s.zone()).toLocalDate()));
    vars.put("name", found.get().traderName());
    s.reply(found.get().reversed() ? "sms_verify_reversed" : "sms_verify_ok", vars);
  }

  private void balance(Sender s) {
    List<Trader> traders = s.traders();
    if (traders.isEmpty()) {
      s.reply("sms_not_registered", s.assemblyVars());
      return;
    }
    for (Trader trader : traders.subList(0, Math.min(3, traders.size()))) {
      Arrears arrears = s.ledger.arrears(trader.id());
      Map<String, String> vars = traderVars(trader);
      vars.put("total", Money.format(arrears.totalPesewas()));
      vars.put("days", Integer.toString(arrears.daysOwed()));
      s.reply(arrears.totalPesewas() == 0 ? "sms_bal_none" : "sms_bal", vars);
    }
  }

  private void help(Sender s) {
    if (s.ledger
        .collectorByPhone(s.msisdn)
        .filter(c -> c.status() == ActiveStatus.ACTIVE)
        .isPresent()) {
      s.reply("col_help", Map.of());
    } else {
      s.reply("sms_help_trader", s.assemblyVars());
    }
  }

  private Optional<Collector> activeCollector(Sender s) {
    Optional<Collector> collector =
        s.ledger.collectorByPhone(s.msisdn).filter(c -> c.status() == ActiveStatus.ACTIVE);
    if (collector.isEmpty()) {
      s.reply("col_not_collector", Map.of());
    } else if (collector.get().lockedUntil().filter(u -> u.isAfter(clock.instant())).isPresent()) {
      s.reply("col_locked", Map.of("time", s.time(collector.get().lockedUntil().get())));
      return Optional.empty();
    }
    return collector;
  }

  /** The trader, if they exist, are active and trade in one of the collector's markets. */
  private Optional<Trader> tradableFor(Sender s, Collector collector, String customerNumber) {
    Optional<Trader> trader = s.ledger.traderByCustomerNumber(customerNumber);
    if (trader.isEmpty()) {
      s.reply("col_unknown_customer", Map.of("customer", customerNumber));
      return Optional.empty();
    }
    if (!collector.marketIds().contains(trader.get().marketId())) {
      s.reply(
          "col_not_your_market",
          Map.of("customer", customerNumber, "market", trader.get().marketName()));
      return Optional.empty();
    }
    if (trader.get().status() != ActiveStatus.ACTIVE) {
      s.reply("col_trader_suspended", Map.of("customer", customerNumber));
      return Optional.empty();
    }
    return trader;
  }

  private Optional<Receipt> recentSame(Sender s, Collector c, Trader t, long pesewas) {
    Instant since = clock.instant().minus(REPEAT_WINDOW);
    return s.ledger.recentReceipts(t.id(), 10).stream()
        .filter(r -> r.collectorId().filter(id -> id == c.id()).isPresent())
        .filter(r -> r.amountPesewas() == pesewas && r.issuedAt().isAfter(since))
        .findFirst();
  }

  private void notifyOfficeOfLock(Sender s, Instant until) {
    String office = s.assembly.officePhone();
    Optional<Collector> collector = s.ledger.collectorByPhone(s.msisdn);
    if (office == null || office.isBlank() || collector.isEmpty()) {
      return;
    }
    s.ledger.enqueueSms(
        new OutboundSmsDraft(
            office,
            translations.render(
                "col_locked_office",
                "en",
                Map.of(
                    "sender", s.assembly.smsSenderId(),
                    "name", collector.get().name(),
                    "staff", collector.get().staffNumber(),
                    "time", s.time(until))),
            Language.EN,
            s.inboundKey));
  }

  private static Map<String, String> traderVars(Trader trader) {
    Map<String, String> vars = new HashMap<>();
    vars.put("name", trader.name());
    vars.put("customer", trader.customerNumber());
    return vars;
  }

  private static String firstUssdCode(Assembly assembly) {
    return assembly.ussdServiceCodes().isEmpty() ? "" : assembly.ussdServiceCodes().get(0);
  }

  /** Who sent the message, in which assembly, and how to answer them. */
  private final class Sender {
    final AssemblyLedger ledger;
    final Assembly assembly;
    final String msisdn;
    final String inboundKey;
    private List<Trader> traders;

    Sender(AssemblyLedger ledger, String msisdn, String inboundKey) {
      this.ledger = ledger;
      this.assembly = ledger.assembly();
      this.msisdn = msisdn;
      this.inboundKey = inboundKey;
    }

    List<Trader> traders() {
      if (traders == null) {
        traders = ledger.tradersByPhone(msisdn);
      }
      return traders;
    }

    /** Collector texts are English; a trader reads their own language. */
    Language language() {
      return traders().isEmpty() ? Language.EN : traders().get(0).language();
    }

    ZoneId zone() {
      return assembly.timeZone();
    }

    String time(Instant instant) {
      return TIME.format(instant.atZone(zone()));
    }

    Map<String, String> assemblyVars() {
      Map<String, String> vars = new HashMap<>();
      vars.put("sender", assembly.smsSenderId());
      vars.put("ussd", firstUssdCode(assembly));
      return vars;
    }

    void reply(String key, Map<String, String> vars) {
      Map<String, String> all = new HashMap<>(vars);
      all.putIfAbsent(
          "office",
          assembly.officePhone() == null ? "the assembly office" : assembly.officePhone());
      String language = key.startsWith("col_") ? "en" : language().code();
      ledger.enqueueSms(
          new OutboundSmsDraft(
              msisdn,
              translations.render(key, language, all),
              Language.ofCode(language),
              inboundKey));
    }
  }
}
