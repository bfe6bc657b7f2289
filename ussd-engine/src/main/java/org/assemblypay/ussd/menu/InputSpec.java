package org.assemblypay.ussd.menu;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A free input: the variable it fills, its type and limits, an optional regular expression, and the
 * text key of the short reason shown when it is refused.
 */
public record InputSpec(
    String var,
    InputType type,
    Integer minLength,
    Integer maxLength,
    BigDecimal min,
    BigDecimal max,
    String pattern,
    String invalid) {

  /** Longest input the engine accepts at all. */
  public static final int MAX_INPUT_LENGTH = 160;

  /** Defaults the type to text. */
  public InputSpec {
    Objects.requireNonNull(var, "input.var");
    type = type == null ? InputType.TEXT : type;
    if (pattern != null) {
      Pattern.compile(pattern);
    }
  }

  /** The value to store if {@code raw} is acceptable, else empty. */
  public Optional<String> accept(String raw) {
    String value = raw.trim();
    int length = value.length();
    if (length == 0 || length > MAX_INPUT_LENGTH) {
      return Optional.empty();
    }
    if ((minLength != null && length < minLength) || (maxLength != null && length > maxLength)) {
      return Optional.empty();
    }
    if (pattern != null && !value.matches(pattern)) {
      return Optional.empty();
    }
    return switch (type) {
      case TEXT -> Optional.of(value);
      case DIGITS ->
          value.chars().allMatch(c -> c >= '0' && c <= '9') ? Optional.of(value) : none();
      case NUMBER -> value.matches("\\d{1,15}") ? inRange(new BigDecimal(value), value) : none();
      case DECIMAL -> {
        if (!value.matches("\\d{1,12}(\\.\\d{1,2})?")) {
          yield none();
        }
        BigDecimal amount = new BigDecimal(value).setScale(2);
        yield inRange(amount, amount.toPlainString());
      }
    };
  }

  private Optional<String> inRange(BigDecimal number, String stored) {
    if ((min != null && number.compareTo(min) < 0) || (max != null && number.compareTo(max) > 0)) {
      return Optional.empty();
    }
    return Optional.of(stored);
  }

  private static Optional<String> none() {
    return Optional.empty();
  }
}
