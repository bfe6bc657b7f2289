package org.assemblypay.payments;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured mobile-money provider: the data that makes an adapter a named object rather than a
 * code branch. {@link #toString()} never shows credentials.
 *
 * @param name unique name, used in callback routes ({@code /payments/callback/{name}}) and metrics
 * @param kind which adapter to build
 * @param baseUrl the provider's API root, e.g. {@code https://sandbox.momodeveloper.mtn.com}
 * @param apiUser MTN API user / Hubtel client id (empty for the simulator)
 * @param apiKey MTN API key / Hubtel client secret
 * @param subscriptionKey MTN's {@code Ocp-Apim-Subscription-Key} (empty for others)
 * @param targetEnvironment MTN's {@code X-Target-Environment}: "sandbox", "mtnghana"
 * @param connectTimeoutMillis TCP/TLS connect bound
 * @param requestTimeoutMillis whole-exchange bound for each provider request
 * @param callbackUrl where the provider should call back; empty for none
 * @param currency ISO 4217 code the provider expects
 * @param settings adapter-specific keys, documented on each adapter class
 */
public record ProviderConfig(
    String name,
    ProviderKind kind,
    URI baseUrl,
    String apiUser,
    Secret apiKey,
    Secret subscriptionKey,
    String targetEnvironment,
    long connectTimeoutMillis,
    long requestTimeoutMillis,
    Optional<URI> callbackUrl,
    String currency,
    Map<String, String> settings) {

  /** Checks names, bounds and nulls; copies the settings. */
  public ProviderConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(apiUser, "apiUser");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(subscriptionKey, "subscriptionKey");
    Objects.requireNonNull(targetEnvironment, "targetEnvironment");
    Objects.requireNonNull(callbackUrl, "callbackUrl");
    Objects.requireNonNull(currency, "currency");
    settings = Map.copyOf(settings);
    if (!name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException("provider name must be 1-32 of a-z, 0-9, '-'");
    }
    if (connectTimeoutMillis <= 0 || requestTimeoutMillis <= 0) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (!currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code");
    }
  }

  /** An adapter setting, or the default when absent. */
  public String setting(String key, String defaultValue) {
    return settings.getOrDefault(key, defaultValue);
  }

  /** A numeric adapter setting, or the default when absent; a malformed value is a config error. */
  public long longSetting(String key, long defaultValue) {
    String value = settings.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "provider " + name + ": setting " + key + " is not a number", e);
    }
  }

  /** An adapter setting that must be present. */
  public String requiredSetting(String key) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("provider " + name + ": setting " + key + " is required");
    }
    return value;
  }

  @Override
  public String toString() {
    return "ProviderConfig[name="
        + name
        + ", kind="
        + kind
        + ", baseUrl="
        + baseUrl
        + ", targetEnvironment="
        + targetEnvironment
        + ", currency="
        + currency
        + "]";
  }
}
