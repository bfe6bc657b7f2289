package org.assemblypay.payments;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Configurations and requests shared by the adapter tests. */
public final class TestProviders {

  /** A trader's MTN number, 0244 123 678. */
  public static final Msisdn MTN_PAYER = Msisdn.parse("0244123678").orElseThrow();

  /** A trader's Telecel number, 0201 234 567. */
  public static final Msisdn TELECEL_PAYER = Msisdn.parse("0201234567").orElseThrow();

  /** The MTN API key used in tests; must never appear in a log. */
  public static final String MTN_API_KEY = "mtn-api-key-7f3a";

  /** The subscription key used in tests; must never appear in a log. */
  public static final String SUBSCRIPTION_KEY = "sub-key-91c2";

  private TestProviders() {}

  /** An MTN configuration against {@code baseUrl} with the given settings. */
  public static ProviderConfig mtn(
      String baseUrl, long requestTimeoutMillis, Map<String, String> settings) {
    return new ProviderConfig(
        "mtn-gh",
        ProviderKind.MTN_MOMO,
        URI.create(baseUrl),
        "0b7c1a3e-8f47-4d1e-9a0b-2f5c6d7e8f90",
        new Secret(MTN_API_KEY),
        new Secret(SUBSCRIPTION_KEY),
        "mtnghana",
        1_000,
        requestTimeoutMillis,
        Optional.of(URI.create("https://pay.example.gov.gh/payments/callback/mtn-gh")),
        "GHS",
        settings);
  }

  /** A Hubtel configuration with both roots at {@code baseUrl}. */
  public static ProviderConfig hubtel(String baseUrl, long requestTimeoutMillis) {
    return new ProviderConfig(
        "hubtel",
        ProviderKind.HUBTEL,
        URI.create(baseUrl),
        "hubtel-client",
        new Secret("hubtel-secret"),
        new Secret(""),
        "",
        1_000,
        requestTimeoutMillis,
        Optional.of(URI.create("https://pay.example.gov.gh/payments/callback/hubtel")),
        "GHS",
        Map.of("merchantAccount", "HM1234567", "statusBaseUrl", baseUrl));
  }

  /** A simulator configuration with the given settings. */
  public static ProviderConfig simulator(Map<String, String> settings) {
    return new ProviderConfig(
        "simulator",
        ProviderKind.SIMULATOR,
        URI.create("http://simulator.invalid"),
        "",
        new Secret(""),
        new Secret(""),
        "",
        1_000,
        1_000,
        Optional.empty(),
        "GHS",
        settings);
  }

  /** A GHS 5.00 daily-toll request from {@code payer}. */
  public static CollectionRequest toll(Msisdn payer, Network network) {
    return new CollectionRequest(
        UUID.randomUUID(),
        payer,
        network,
        500,
        "GHS",
        "Makola daily toll 21/11/2026",
        "AMA market toll");
  }
}
