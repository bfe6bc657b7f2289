package org.assemblypay.menus.collector;

/** One SMS command, as understood from what a collector or trader typed. */
public sealed interface SmsCommand {

  /** {@code PAY <customer no> <amount> <PIN>}: the collector took cash. */
  record Pay(String customerNumber, long amountPesewas, String pin) implements SmsCommand {
    @Override
    public String toString() {
      return "Pay[customer=" + customerNumber + ", amountPesewas=" + amountPesewas + "]";
    }
  }

  /** {@code YES <code>}: record a PAY that looked like a repeat after all. */
  record Confirm(String code) implements SmsCommand {}

  /** {@code CHECK <customer no>}: a trader's arrears. */
  record Check(String customerNumber) implements SmsCommand {}

  /** {@code VERIFY <receipt no or code>}: is a receipt genuine. */
  record Verify(String receiptOrCode) implements SmsCommand {}

  /** {@code TOTAL}: the collector's day. */
  record Total() implements SmsCommand {}

  /** {@code HELP}: the list of commands. */
  record Help() implements SmsCommand {}

  /** {@code BAL}: a trader asks for their own arrears. */
  record Balance() implements SmsCommand {}

  /**
   * Something we could not read; {@code hint} is the text key of a short reply saying how to write
   * it.
   */
  record Unreadable(String hint) implements SmsCommand {}
}
