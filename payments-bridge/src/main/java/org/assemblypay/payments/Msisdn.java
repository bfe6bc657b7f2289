package org.assemblypay.payments;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Ghanaian mobile number in international form without the plus ({@code 233XXXXXXXXX}); {@link
 * #toString()} is masked so a number never reaches a log whole.
 */
public record Msisdn(String digits) {

  private static final Pattern INTERNATIONAL = Pattern.compile("233[1-9][0-9]{8}");

  /** Checks the form; use {@link #parse} for numbers typed or sent in other forms. */
  public Msisdn {
    Objects.requireNonNull(digits, "digits");
    if (!INTERNATIONAL.matcher(digits).matches()) {
      throw new IllegalArgumentException("not a Ghanaian MSISDN (233XXXXXXXXX)");
    }
  }

  /**
   * Reads {@code 0244123456}, {@code 233244123456}, {@code +233244123456} or {@code 00233...}
   * (spaces and dashes ignored); empty when it is not a Ghanaian mobile number.
   */
  public static Optional<Msisdn> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String compact = text.replaceAll("[\\s-]", "");
    if (compact.startsWith("+")) {
      compact = compact.substring(1);
    } else if (compact.startsWith("00")) {
      compact = compact.substring(2);
    } else if (compact.length() == 10 && compact.startsWith("0")) {
      compact = "233" + compact.substring(1);
    }
    return INTERNATIONAL.matcher(compact).matches()
        ? Optional.of(new Msisdn(compact))
        : Optional.empty();
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
