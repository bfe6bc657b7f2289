package org.assemblypay.menus.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.assemblypay.ledger.FailedPaymentFacts;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.menus.Translations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SMS a payer gets when a mobile-money payment expires or fails, in each language. */
class PaymentProblemSmsTest {

  /** GSM-7's basic set without the escape characters: one SMS stays one SMS. */
  private static final String GSM7 =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
          + "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  private static final Translations TRANSLATIONS = Translations.load();
  private static final ReceiptNotifier NOTIFIER =
      new ReceiptNotifier(TRANSLATIONS, "AMA", "*713*44#");

  private static FailedPaymentFacts facts(Language language, String reason) {
    return new FailedPaymentFacts(
        UUID.fromString("5e0c1a52-6a1f-4b7e-9c1d-2f3a4b5c6d7e"),
        1_250,
        "Ama Mensah",
        "C000123",
        "233244123456",
        language,
        reason);
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void anExpiredPaymentIsExplainedInTheTradersLanguageInOneSms(Language language) {
    OutboundSmsDraft sms = NOTIFIER.expiryMessagesFor(facts(language, "EXPIRED")).get(0);

    assertThat(NOTIFIER.expiryMessagesFor(facts(language, "EXPIRED"))).hasSize(1);
    assertThat(sms.recipientMsisdn()).isEqualTo("233244123456");
    assertThat(sms.text())
        .startsWith("AMA: ")
        .contains("GHS 12.50", "*713*44#")
        .doesNotContain("{", "}");
    assertThat(sms.text().length()).isLessThanOrEqualTo(160);
    assertThat(sms.text().chars()).allMatch(c -> GSM7.indexOf(c) >= 0);
    assertThat(TRANSLATIONS.missingKeys(language.code())).doesNotContain("sms_payment_expired");
  }

  @Test
  void theEnglishExpirySmsSaysWhatHappenedAndWhatToDo() {
    String text = NOTIFIER.expiryMessagesFor(facts(Language.EN, "EXPIRED")).get(0).text();

    assertThat(text)
        .isEqualTo(
            "AMA: your payment of GHS 12.50 was not approved in time. If your wallet was"
                + " charged, your receipt still comes by SMS. If not, dial *713*44# to pay again.");
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void aFailedPaymentSaysWhyInOneSms(Language language) {
    OutboundSmsDraft sms = NOTIFIER.failureMessagesFor(facts(language, "NOT_ENOUGH_FUNDS")).get(0);

    assertThat(sms.text()).contains("GHS 12.50", "*713*44#").doesNotContain("{", "}");
    assertThat(sms.text().length()).isLessThanOrEqualTo(160);
    assertThat(sms.text().chars()).allMatch(c -> GSM7.indexOf(c) >= 0);
  }
}
