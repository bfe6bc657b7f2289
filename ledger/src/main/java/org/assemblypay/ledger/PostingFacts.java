package org.assemblypay.ledger;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Everything a receipt SMS may say about a posted payment; the wording lives in menus. */
public record PostingFacts(
    Channel channel,
    String receiptNumber,
    String verificationCode,
    long amountPesewas,
    String traderName,
    String traderPhone,
    Language traderLanguage,
    String customerNumber,
    String marketName,
    List<ChargeItem> itemsPaid,
    long arrearsAfterPesewas,
    long creditAfterPesewas,
    LocalDate date,
    Optional<String> payerMsisdn,
    Optional<Language> payerLanguage,
    Optional<CollectorRef> collector) {
  /** Copies the list. */
  public PostingFacts {
    itemsPaid = List.copyOf(itemsPaid);
  }

  /** How the money came in. */
  public enum Channel {
    MOBILE_MONEY,
    CASH
  }

  /** The collector who took cash, and their cash total for the day including this payment. */
  public record CollectorRef(
      long id, String name, String phone, String staffNumber, long dayTotalPesewas) {}
}
