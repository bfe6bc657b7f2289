package org.assemblypay.menus.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.assemblypay.menus.Money;

/**
 * Reads SMS commands the way people type them: any case, extra spaces, and amounts as {@code 5},
 * {@code 5.00}, {@code 5,00}, {@code GHS 5} or {@code GHS5}. Never throws: what it cannot read
 * becomes {@link SmsCommand.Unreadable} with a hint for the reply.
 */
public final class SmsCommandParser {
  static final int MAX_TEXT_LENGTH = 480;
  private static final Pattern PIN = Pattern.compile("\\d{4,6}");
  private static final Pattern CUSTOMER = Pattern.compile("[A-Z0-9][A-Z0-9/-]{0,19}");

  private SmsCommandParser() {}

  /** Parses one message. */
  public static SmsCommand parse(String text) {
    if (text == null || text.isBlank() || text.length() > MAX_TEXT_LENGTH) {
      return new SmsCommand.Unreadable("sms_unreadable");
    }
    List<String> words = words(text);
    String verb = words.get(0);
    List<String> args = words.subList(1, words.size());
    return switch (verb) {
      case "PAY" -> pay(args);
      case "YES" ->
          args.size() == 1 && args.get(0).matches("[A-Z0-9-]{3,12}")
              ? new SmsCommand.Confirm(args.get(0))
              : new SmsCommand.Unreadable("col_yes_usage");
      case "CHECK" ->
          args.size() == 1 && CUSTOMER.matcher(args.get(0)).matches()
              ? new SmsCommand.Check(args.get(0))
              : new SmsCommand.Unreadable("col_check_usage");
      case "VERIFY" ->
          args.size() == 1
              ? new SmsCommand.Verify(args.get(0))
              : new SmsCommand.Unreadable("sms_verify_usage");
      case "TOTAL" ->
          args.isEmpty() ? new SmsCommand.Total() : new SmsCommand.Unreadable("sms_unreadable");
      case "HELP" -> new SmsCommand.Help();
      case "BAL", "BALANCE" -> new SmsCommand.Balance();
      default -> new SmsCommand.Unreadable("sms_unreadable");
    };
  }

  private static SmsCommand pay(List<String> args) {
    // PAY <customer> <amount> <PIN>, where the amount may be written "GHS 5" (two words).
    List<String> rest = new ArrayList<>(args);
    if (rest.size() == 4 && rest.get(1).equals("GHS")) {
      rest.set(1, "GHS" + rest.get(2));
      rest.remove(2);
    }
    if (rest.size() != 3) {
      return new SmsCommand.Unreadable("col_pay_usage");
    }
    String customer = rest.get(0);
    Optional<Long> amount = Money.parse(rest.get(1));
    String pin = rest.get(2);
    if (!CUSTOMER.matcher(customer).matches() || amount.isEmpty() || !PIN.matcher(pin).matches()) {
      return new SmsCommand.Unreadable("col_pay_usage");
    }
    if (amount.get() <= 0) {
      return new SmsCommand.Unreadable("col_pay_usage");
    }
    return new SmsCommand.Pay(customer, amount.get(), pin);
  }

  private static List<String> words(String text) {
    String normalised = text.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
    return List.of(normalised.split(" "));
  }
}
