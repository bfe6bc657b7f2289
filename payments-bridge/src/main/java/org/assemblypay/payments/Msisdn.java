package org.assemblypay.payments;

import java.util.Objects;
import java.util.Optional;

/**
 * A Ghanaian mobile number in international form without the plus ({@code 233XXXXXXXXX}); {@link
 * #toString()} is masked so a number never reaches a log whole.
 */
public record Msisdn(String digits) {

  /** Checks the form; use {@link #parse} for numbers typed or sent in other forms. */
  public Msisdn {
    Objects.requireNonNull(digits, "digits");
    if (!org.assemblypay.ledger.Msisdn.isGhanaian(digits)) {
      throw new IllegalArgumentException("not a Ghanaian MSISDN (233XXXXXXXXX)");
    }
  }

  /**
   * Reads {@code 0244123456}, {@code 244123456}, {@code 233244123456}, {@code +233244123456} or
   * {@code 00233...} (spaces, dashes, dots and brackets ignored); empty when it is not a Ghanaian
   * number. The rule is the ledger's, so a number the ledger stores is always one this reads
   * (D240).
   */
  public static Optional<Msisdn> parse(String text) {
    return org.assemblypay.ledger.Msisdn.parse(text).map(Msisdn::new);
  }

  /** The local form with a leading zero: {@code 0244123456}. */
  public String local() {
    return "0" + digits.substring(3);
  }

  /** The masked local form for logs and screens: {@code 0244***456}. */
  public String masked() {
    String local = local();
    return local.substring(0, 4) + "***" + local.substring(local.length() - 3);
  }

  @Override
  public String toString() {
    return masked();
  }
}
