package org.assemblypay.menus;

import static org.assertj.core.api.Assertions.assertThat;

import org.assemblypay.menus.collector.SmsCommand;
import org.assemblypay.menus.collector.SmsCommandParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmsCommandParserTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PAY AMA-T0001 5 1234",
        "pay ama-t0001 5.00 1234",
        "  Pay   AMA-T0001   5,00  1234 ",
        "PAY AMA-T0001 GHS5 1234",
        "PAY AMA-T0001 GHS 5 1234",
        "PAY AMA-T0001 ghs5.00 1234"
      })
  void readsPayHoweverItIsTyped(String text) {
    assertThat(SmsCommandParser.parse(text))
        .isEqualTo(new SmsCommand.Pay("AMA-T0001", 500, "1234"));
  }

  @Test
  void readsTheOtherCommands() {
    assertThat(SmsCommandParser.parse("check ama-t0002"))
        .isEqualTo(new SmsCommand.Check("AMA-T0002"));
    assertThat(SmsCommandParser.parse("VERIFY AMA-2026-000123"))
        .isEqualTo(new SmsCommand.Verify("AMA-2026-000123"));
    assertThat(SmsCommandParser.parse("verify 7kq2-9d"))
        .isEqualTo(new SmsCommand.Verify("7KQ2-9D"));
    assertThat(SmsCommandParser.parse("Total")).isEqualTo(new SmsCommand.Total());
    assertThat(SmsCommandParser.parse("help")).isEqualTo(new SmsCommand.Help());
    assertThat(SmsCommandParser.parse("bal")).isEqualTo(new SmsCommand.Balance());
    assertThat(SmsCommandParser.parse("yes 4821")).isEqualTo(new SmsCommand.Confirm("4821"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PAY AMA-T0001 1234",
        "PAY AMA-T0001 five 1234",
        "PAY AMA-T0001 5 12",
        "PAY AMA-T0001 0 1234",
        "PAY AMA-T0001 -5 1234",
        "PAY AMA-T0001 5.005 1234"
      })
  void aBrokenPayGetsTheUsageHint(String text) {
    assertThat(SmsCommandParser.parse(text)).isEqualTo(new SmsCommand.Unreadable("col_pay_usage"));
  }

  @Test
  void anythingElseGetsHelpAndNeverAnException() {
    assertThat(SmsCommandParser.parse("")).isEqualTo(new SmsCommand.Unreadable("sms_unreadable"));
    assertThat(SmsCommandParser.parse(null)).isEqualTo(new SmsCommand.Unreadable("sms_unreadable"));
    assertThat(SmsCommandParser.parse("hello there"))
        .isEqualTo(new SmsCommand.Unreadable("sms_unreadable"));
    assertThat(SmsCommandParser.parse("x".repeat(10_000)))
        .isEqualTo(new SmsCommand.Unreadable("sms_unreadable"));
  }

  @Test
  void thePinNeverShowsInTheCommandsText() {
    assertThat(SmsCommandParser.parse("PAY AMA-T0001 5 9876").toString()).doesNotContain("9876");
  }
}
