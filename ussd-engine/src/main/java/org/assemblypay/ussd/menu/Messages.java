package org.assemblypay.ussd.menu;

import java.util.Map;
import java.util.Optional;

/** Translated texts by key and language code; {@code {name}} placeholders take variables. */
@FunctionalInterface
public interface Messages {

  /** The text for {@code key} in {@code language}, if there is one. */
  Optional<String> find(String key, String language);

  /** No texts at all. */
  static Messages none() {
    return (key, language) -> Optional.empty();
  }

  /** Texts from a map of language → key → text. */
  static Messages of(Map<String, Map<String, String>> byLanguage) {
    Map<String, Map<String, String>> copy = Map.copyOf(byLanguage);
    return (key, language) -> Optional.ofNullable(copy.getOrDefault(language, Map.of()).get(key));
  }

  /** These texts, then {@code fallback}'s. */
  default Messages orElse(Messages fallback) {
    return (key, language) -> {
      Optional<String> found = find(key, language);
      return found.isPresent() ? found : fallback.find(key, language);
    };
  }
}
