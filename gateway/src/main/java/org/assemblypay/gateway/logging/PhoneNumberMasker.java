package org.assemblypay.gateway.logging;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.regex.Pattern;
import net.logstash.logback.mask.ValueMasker;
import org.assemblypay.ledger.Correlation;

/**
 * Masks phone numbers anywhere inside logged strings: {@code 233244123678} and {@code 0244123678}
 * become {@code 0244***678}; other international numbers keep only their last three digits.
 *
 * <p>The encoder's own regex masker replaces whole values only; a log message carries a number in
 * the middle of a sentence, so this masker replaces every match inside the value.
 */
public final class PhoneNumberMasker implements ValueMasker {
  private static final Pattern GHANA =
      Pattern.compile("(?<![\\d*])(?:\\+?233|0)(\\d{3})\\d{3}(\\d{3})(?!\\d)");
  private static final Pattern INTERNATIONAL =
      Pattern.compile("(?<![\\w*])\\+\\d{6,12}(\\d{3})(?!\\d)");

  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (context != null && Correlation.MDC_KEY.equals(context.getCurrentName())) {
      // Hex ids may hold a run of digits that looks like a number; no phone number can be in one
      // (Correlation.accept refuses long digit runs), and a mangled id could not be searched for.
      return null;
    }
    if (value instanceof CharSequence text) {
      String masked = maskText(text.toString());
      return masked.contentEquals(text) ? null : masked;
    }
    return null;
  }

  /** Masks every phone number inside {@code text}. */
  public static String maskText(String text) {
    String once = GHANA.matcher(text).replaceAll("0$1***$2");
    return INTERNATIONAL.matcher(once).replaceAll("+***$1");
  }
}
