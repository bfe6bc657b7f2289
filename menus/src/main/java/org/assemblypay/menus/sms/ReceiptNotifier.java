package org.assemblypay.menus.sms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.FailedPaymentFacts;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.ledger.PostingFacts;
import org.assemblypay.menus.Dates;
import org.assemblypay.menus.Money;
import org.assemblypay.menus.Translations;

/**
 * The wording of every SMS that money causes: receipts to the trader (and to whoever paid for
 * them), the collector's confirmation of cash, and the reason a mobile-money payment failed or
 * expired — each in the reader's language. The ledger calls it inside the money transaction.
 */
public final class ReceiptNotifier implements Notifier {
  private final Translations translations;
  private final String senderId;
  private final String ussdCode;

  /** One notifier per assembly: its SMS sender id and the USSD code people dial to retry. */
  public ReceiptNotifier(Translations translations, String senderId, String ussdCode) {
    this.translations = translations;
    this.senderId = senderId;
    this.ussdCode = ussdCode;
  }

  /** The notifier for an assembly: its SMS sender id, and its first USSD code for retries. */
  public static ReceiptNotifier forAssembly(Translations translations, Assembly assembly) {
    String ussd = assembly.ussdServiceCodes().isEmpty() ? "" : assembly.ussdServiceCodes().get(0);
    return new ReceiptNotifier(translations, assembly.smsSenderId(), ussd);
  }

  @Override
  public List<OutboundSmsDraft> messagesFor(PostingFacts facts) {
    List<OutboundSmsDraft> messages = new ArrayList<>();
    Language traderLanguage = facts.traderLanguage();
    boolean cash = facts.channel() == PostingFacts.Channel.CASH;
    String key =
        cash
            ? "sms_receipt_cash"
            : facts.arrearsAfterPesewas() == 0 && facts.creditAfterPesewas() > 0
                ? "sms_receipt_credit"
                : "sms_receipt";
    messages.add(
        new OutboundSmsDraft(
            facts.traderPhone(),
            translations.render(key, traderLanguage.code(), receiptVars(facts, traderLanguage)),
            traderLanguage,
            facts.receiptNumber()));
    facts
        .payerMsisdn()
        .filter(payer -> !cash && !payer.equals(facts.traderPhone()))
        .ifPresent(
            payer -> {
              Language payerLanguage = facts.payerLanguage().orElse(traderLanguage);
              messages.add(
                  new OutboundSmsDraft(
                      payer,
                      translations.render(
                          key, payerLanguage.code(), receiptVars(facts, payerLanguage)),
                      payerLanguage,
                      facts.receiptNumber()));
            });
    facts
        .collector()
        .filter(c -> cash)
        .ifPresent(
            collector -> {
              Map<String, String> vars = receiptVars(facts, Language.EN);
              vars.put("name", facts.traderName());
              vars.put("customer", facts.customerNumber());
              vars.put("total", Money.format(collector.dayTotalPesewas()));
              messages.add(
                  new OutboundSmsDraft(
                      collector.phone(),
                      translations.render("sms_collector_confirm", "en", vars),
                      Language.EN,
                      facts.receiptNumber()));
            });
    return messages;
  }

  @Override
  public List<OutboundSmsDraft> failureMessagesFor(FailedPaymentFacts facts) {
    Language language = facts.payerLanguage();
    String reasonKey = "reason_" + facts.reason();
    String reason =
        translations.keys().contains(reasonKey)
            ? translations.render(reasonKey, language.code(), Map.of())
            : translations.render("reason_OTHER", language.code(), Map.of());
    Map<String, String> vars = new HashMap<>();
    vars.put("sender", senderId);
    vars.put("amount", Money.format(facts.amountPesewas()));
    vars.put("reason", reason);
    vars.put("ussd", ussdCode);
    return List.of(
        new OutboundSmsDraft(
            facts.payerMsisdn(),
            translations.render("sms_payment_failed", language.code(), vars),
            language,
            facts.reference().toString()));
  }

  /**
   * No answer came before the local deadline: say so, that a charged wallet still gets its receipt
   * (a late success settles), and how to pay again.
   */
  @Override
  public List<OutboundSmsDraft> expiryMessagesFor(FailedPaymentFacts facts) {
    Language language = facts.payerLanguage();
    Map<String, String> vars = new HashMap<>();
    vars.put("sender", senderId);
    vars.put("amount", Money.format(facts.amountPesewas()));
    vars.put("ussd", ussdCode);
    return List.of(
        new OutboundSmsDraft(
            facts.payerMsisdn(),
            translations.render("sms_payment_expired", language.code(), vars),
            language,
            facts.reference().toString()));
  }

  private Map<String, String> receiptVars(PostingFacts facts, Language language) {
    Map<String, String> vars = new HashMap<>();
    vars.put("sender", senderId);
    vars.put("receipt", facts.receiptNumber());
    vars.put("amount", Money.format(facts.amountPesewas()));
    vars.put("what", whatWasPaid(facts, language));
    vars.put("date", Dates.format(facts.date()));
    vars.put("arrears", Money.format(facts.arrearsAfterPesewas()));
    vars.put("credit", Money.format(facts.creditAfterPesewas()));
    vars.put("code", facts.verificationCode());
    facts.collector().ifPresent(c -> vars.put("collector", c.name()));
    return vars;
  }

  /** "Makola Market daily toll, stall rent" — the market, then each item paid. */
  private String whatWasPaid(PostingFacts facts, Language language) {
    String items =
        facts.itemsPaid().stream()
            .map(item -> translations.render("item_" + item.name(), language.code(), Map.of()))
            .map(label -> language == Language.EN ? label.toLowerCase(Locale.ROOT) : label)
            .distinct()
            .collect(Collectors.joining(", "));
    return items.isEmpty() ? facts.marketName() : facts.marketName() + " " + items;
  }
}
