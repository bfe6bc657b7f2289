package org.assemblypay.payments.hubtel;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.assemblypay.payments.BoundedJson;

/** Hubtel's ClientReference for one of our payments: the UUID's 32 hex digits, no dashes. */
final class HubtelReference {

  private HubtelReference() {}

  /** {@code 3f2b...-...} → 32 lowercase hex characters (Hubtel allows at most 36 alphanumerics). */
  static String of(UUID reference) {
    return reference.toString().replace("-", "");
  }

  /** Reads a ClientReference back: 32 hex digits (or a dashed UUID); empty unless a UUID v4. */
  static Optional<UUID> parse(String clientReference) {
    if (clientReference == null) {
      return Optional.empty();
    }
    String text = clientReference.trim().toLowerCase(Locale.ROOT);
    if (text.matches("[0-9a-f]{32}")) {
      text =
          text.substring(0, 8)
              + "-"
              + text.substring(8, 12)
              + "-"
              + text.substring(12, 16)
              + "-"
              + text.substring(16, 20)
              + "-"
              + text.substring(20);
    }
    return BoundedJson.uuidV4(text);
  }
}
