package org.assemblypay.ussd.dialect;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.assemblypay.ussd.ScreenBudget;

/**
 * One aggregator route ({@code POST /ussd/{name}}): its dialect, shared secret (checked in constant
 * time from {@code secretHeader}, or from the query parameter {@code secretQueryParam} when one is
 * named, for aggregators such as Africa's Talking that cannot send a custom header), optional
 * source-address allow-list (empty = any), screen budget, body limit, and the service code to
 * assume when the dialect does not send one (Nalo, Arkesel).
 */
public record AggregatorConfig(
    String name,
    String dialect,
    String secretHeader,
    Optional<String> secret,
    Set<String> allowedAddresses,
    ScreenBudget budget,
    int maxBodyBytes,
    String serviceCode,
    String secretQueryParam) {

  /** 16 KiB, the USSD route limit. */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

  /** Checks the fields. */
  public AggregatorConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dialect, "dialect");
    secretHeader = secretHeader == null ? "X-Ussd-Secret" : secretHeader;
    secret = Objects.requireNonNull(secret, "secret").filter(s -> !s.isEmpty());
    allowedAddresses = Set.copyOf(allowedAddresses);
    Objects.requireNonNull(budget, "budget");
    if (maxBodyBytes < 256 || maxBodyBytes > 1024 * 1024) {
      throw new IllegalArgumentException("maxBodyBytes out of range: " + maxBodyBytes);
    }
    serviceCode = serviceCode == null ? "" : serviceCode;
    secretQueryParam =
        secretQueryParam == null || secretQueryParam.isBlank() ? null : secretQueryParam.strip();
  }

  /** A route that reads its secret from {@code secretHeader}. */
  public AggregatorConfig(
      String name,
      String dialect,
      String secretHeader,
      Optional<String> secret,
      Set<String> allowedAddresses,
      ScreenBudget budget,
      int maxBodyBytes,
      String serviceCode) {
    this(
        name,
        dialect,
        secretHeader,
        secret,
        allowedAddresses,
        budget,
        maxBodyBytes,
        serviceCode,
        null);
  }

  /** Where the secret is read from, e.g. {@code header X-Ussd-Secret} (for logs and errors). */
  public String secretSource() {
    return secretQueryParam == null
        ? "header " + secretHeader
        : "query parameter " + secretQueryParam;
  }

  /** A copy that reads the shared secret from this query parameter instead of a header. */
  public AggregatorConfig withSecretQueryParam(String param) {
    return new AggregatorConfig(
        name,
        dialect,
        secretHeader,
        secret,
        allowedAddresses,
        budget,
        maxBodyBytes,
        serviceCode,
        param);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "AggregatorConfig[name="
        + name
        + ", dialect="
        + dialect
        + ", secret="
        + (secret.isPresent() ? "****" : "none")
        + " from "
        + secretSource()
        + "]";
  }

  /** A route named after its dialect, with this secret, default budget and body limit. */
  public static AggregatorConfig of(String dialect, String secret) {
    return new AggregatorConfig(
        dialect,
        dialect,
        "X-Ussd-Secret",
        Optional.ofNullable(secret),
        Set.of(),
        ScreenBudget.DEFAULT,
        DEFAULT_MAX_BODY_BYTES,
        "");
  }

  /** A copy with another service code. */
  public AggregatorConfig withServiceCode(String code) {
    return new AggregatorConfig(
        name,
        dialect,
        secretHeader,
        secret,
        allowedAddresses,
        budget,
        maxBodyBytes,
        code,
        secretQueryParam);
  }

  /** A copy with another screen budget. */
  public AggregatorConfig withBudget(ScreenBudget value) {
    return new AggregatorConfig(
        name,
        dialect,
        secretHeader,
        secret,
        allowedAddresses,
        value,
        maxBodyBytes,
        serviceCode,
        secretQueryParam);
  }

  /** A copy with an allow-list of source addresses. */
  public AggregatorConfig withAllowedAddresses(Set<String> addresses) {
    return new AggregatorConfig(
        name,
        dialect,
        secretHeader,
        secret,
        addresses,
        budget,
        maxBodyBytes,
        serviceCode,
        secretQueryParam);
  }
}
