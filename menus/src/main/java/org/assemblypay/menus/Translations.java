package org.assemblypay.menus;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.assemblypay.ussd.menu.Messages;

/**
 * Every text a trader or collector reads, by language, from {@code /menus/messages/<code>.yaml}.
 *
 * <p>Each file says in {@code _meta.reviewed} whether a fluent speaker has checked it. English is
 * the source; a key missing in another language falls back to English at run time, and {@code menus
 * lint} reports it as an error.
 */
public final class Translations implements Messages {
  /** The languages every trader screen must be translated into. */
  public static final List<String> LANGUAGES = List.of("en", "tw", "ee", "gaa", "ha");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, Map<String, String>> textsByLanguage;
  private final Map<String, Meta> metaByLanguage;

  /** What a translation file says about itself. */
  public record Meta(String language, boolean reviewed) {}

  private Translations(
      Map<String, Map<String, String>> textsByLanguage, Map<String, Meta> metaByLanguage) {
    this.textsByLanguage = textsByLanguage;
    this.metaByLanguage = metaByLanguage;
  }

  /** Loads the project's translations from the classpath. */
  public static Translations load() {
    Map<String, Map<String, String>> texts = new LinkedHashMap<>();
    Map<String, Meta> metas = new LinkedHashMap<>();
    for (String language : LANGUAGES) {
      Map<String, Object> raw = read("/menus/messages/" + language + ".yaml");
      Map<String, String> strings = new LinkedHashMap<>();
      Meta meta = new Meta(language, false);
      for (var entry : raw.entrySet()) {
        if (entry.getKey().equals("_meta") && entry.getValue() instanceof Map<?, ?> m) {
          meta =
              new Meta(String.valueOf(m.get("language")), Boolean.TRUE.equals(m.get("reviewed")));
        } else {
          strings.put(entry.getKey(), String.valueOf(entry.getValue()));
        }
      }
      texts.put(language, Map.copyOf(strings));
      metas.put(language, meta);
    }
    return new Translations(Map.copyOf(texts), Map.copyOf(metas));
  }

  private static Map<String, Object> read(String resource) {
    try (InputStream in = Translations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing translation file " + resource);
      }
      return YAML.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text in exactly this language (the engine falls back to English by itself). */
  @Override
  public Optional<String> find(String key, String language) {
    return Optional.ofNullable(textsByLanguage.getOrDefault(language, Map.of()).get(key));
  }

  /**
   * The text for {@code key} in {@code language} (English when that language lacks it) with {@code
   * {name}} placeholders filled in.
   */
  public String render(String key, String language, Map<String, String> vars) {
    String template =
        find(key, language)
            .or(() -> find(key, "en"))
            .orElseThrow(() -> new IllegalArgumentException("no text " + key));
    return Template.fill(template, vars);
  }

  /**
   * Keys that English has and {@code language} lacks; collector replies ({@code col_*}) are
   * English-only by design.
   */
  public Set<String> missingKeys(String language) {
    Set<String> missing = new TreeSet<>(textsByLanguage.get("en").keySet());
    missing.removeIf(key -> key.startsWith("col_"));
    missing.removeAll(textsByLanguage.getOrDefault(language, Map.of()).keySet());
    return missing;
  }

  /** Every key English has. */
  public Set<String> keys() {
    return new TreeSet<>(textsByLanguage.get("en").keySet());
  }

  public Meta meta(String language) {
    return metaByLanguage.get(language);
  }
}
