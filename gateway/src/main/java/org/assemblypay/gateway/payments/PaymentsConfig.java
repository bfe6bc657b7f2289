package org.assemblypay.gateway.payments;

import java.util.List;
import java.util.Map;
import org.assemblypay.gateway.config.Required;
import org.assemblypay.gateway.config.Secret;

/**
 * Mobile-money configuration: the providers (each a named, configured object) and which provider
 * serves each network, plus the local expiry of a payment nobody confirmed.
 */
public record PaymentsConfig(
    List<Provider> providers, Map<String, String> providerByNetwork, int localExpiryMinutes) {

  public PaymentsConfig {
    providers = providers == null ? List.of() : List.copyOf(providers);
    providerByNetwork = providerByNetwork == null ? Map.of() : Map.copyOf(providerByNetwork);
    localExpiryMinutes = localExpiryMinutes == 0 ? 10 : localExpiryMinutes;
  }

  /** No providers: payments are answered "not available" until some are configured. */
  public static PaymentsConfig defaults() {
    return new PaymentsConfig(null, null, 0);
  }

  /**
   * One provider account. {@code kind} is {@code mtn_momo}, {@code hubtel} or {@code simulator};
   * {@code settings} holds adapter-specific values (e.g. Hubtel's {@code merchantAccount}).
   */
  public record Provider(
      @Required String name,
      @Required String kind,
      String baseUrl,
      String apiUser,
      @Secret String apiKey,
      @Secret String subscriptionKey,
      String targetEnvironment,
      long connectTimeoutMillis,
      long requestTimeoutMillis,
      String callbackUrl,
      String currency,
      Map<String, String> settings) {
    public Provider {
      connectTimeoutMillis = connectTimeoutMillis == 0 ? 5_000 : connectTimeoutMillis;
      requestTimeoutMillis = requestTimeoutMillis == 0 ? 15_000 : requestTimeoutMillis;
      currency = currency == null ? "GHS" : currency;
      settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
  }
}
