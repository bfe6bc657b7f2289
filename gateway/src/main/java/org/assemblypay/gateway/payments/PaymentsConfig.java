package org.assemblypay.gateway.payments;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assemblypay.gateway.config.Required;
import org.assemblypay.gateway.config.Secret;
import org.assemblypay.gateway.config.Validated;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.RetryCause;
import org.assemblypay.payments.RetryRule;
import org.assemblypay.payments.RetryTable;

/**
 * Mobile-money configuration: the providers (each a named, configured object), which provider
 * serves each network, and the payment lifecycle's timings. A timing left out takes its default;
 * {@link #problems} names every value out of range.
 *
 * @param localExpiryMinutes a payment with no final answer this long after the trader confirmed is
 *     marked EXPIRED and the trader is told by SMS (default 10)
 * @param pollIntervalMillis pause between poll rounds on each node (default 1,000)
 * @param pollJitterPercent each payment's poll pause varies at random by up to this share either
 *     way, 0..50 (default 20)
 * @param firstPollDelaySeconds a new payment is first polled this long after its intent, if no
 *     callback settled it (default 20)
 * @param earlyCallbackWindowSeconds a callback naming a payment not yet visible is retried this
 *     long before the poller is left to it (default 60)
 * @param expiredRecheckMinutes an EXPIRED payment is asked about again this often, so a late
 *     success whose callback was lost still settles (default 30)
 * @param expiredRecheckWindowHours ... until this long after it was created; 0 turns re-checks off
 *     (default 48)
 * @param expiredRecheckBatchSize most EXPIRED payments re-checked per assembly per sweep, 1..1000
 *     (default 20)
 * @param expiredRecheckSweepSeconds least time between two sweeps for due re-checks (default 60)
 * @param prefixes number prefixes ("0249") to networks, added to (or replacing entries of) Ghana's
 *     table; the longest matching prefix wins
 * @param routingByAssembly per assembly code: its own provider per network and prefixes, over the
 *     ones above
 * @param retry the poller's retry table by cause (PENDING, TIMEOUT, SERVER_ERROR, NETWORK,
 *     AUTHENTICATION_FAILED, RATE_LIMITED, MALFORMED_RESPONSE, UNEXPECTED_RESPONSE): the first
 *     pause, doubling up to the longest, for so many attempts; rows and values left out keep the
 *     built-in table's
 */
public record PaymentsConfig(
    List<Provider> providers,
    Map<String, String> providerByNetwork,
    Integer localExpiryMinutes,
    Long pollIntervalMillis,
    Integer pollJitterPercent,
    Integer firstPollDelaySeconds,
    Integer earlyCallbackWindowSeconds,
    Integer expiredRecheckMinutes,
    Integer expiredRecheckWindowHours,
    Integer expiredRecheckBatchSize,
    Integer expiredRecheckSweepSeconds,
    Map<String, String> prefixes,
    Map<String, AssemblyRouting> routingByAssembly,
    Map<String, RetryRow> retry)
    implements Validated {

  /** Applies the defaults to what was left out; range checks are in {@link #problems}. */
  public PaymentsConfig {
    providers = providers == null ? List.of() : List.copyOf(providers);
    providerByNetwork = providerByNetwork == null ? Map.of() : Map.copyOf(providerByNetwork);
    localExpiryMinutes = orDefault(localExpiryMinutes, 10);
    pollIntervalMillis = pollIntervalMillis == null ? 1_000L : pollIntervalMillis;
    pollJitterPercent = orDefault(pollJitterPercent, 20);
    firstPollDelaySeconds = orDefault(firstPollDelaySeconds, 20);
    earlyCallbackWindowSeconds = orDefault(earlyCallbackWindowSeconds, 60);
    expiredRecheckMinutes = orDefault(expiredRecheckMinutes, 30);
    expiredRecheckWindowHours = orDefault(expiredRecheckWindowHours, 48);
    expiredRecheckBatchSize = orDefault(expiredRecheckBatchSize, 20);
    expiredRecheckSweepSeconds = orDefault(expiredRecheckSweepSeconds, 60);
    prefixes = prefixes == null ? Map.of() : Map.copyOf(prefixes);
    routingByAssembly = routingByAssembly == null ? Map.of() : Map.copyOf(routingByAssembly);
    retry = withDefaultRows(retry);
  }

  /** One row of the retry table; a value left out keeps the built-in one. */
  public record RetryRow(Long firstPauseMillis, Long maxPauseMillis, Integer maxAttempts) {}

  /** Every cause's row: the configured values over the built-in table's (unknown causes kept). */
  private static Map<String, RetryRow> withDefaultRows(Map<String, RetryRow> configured) {
    Map<String, RetryRow> rows = new TreeMap<>();
    RetryTable builtIn = RetryTable.defaults();
    for (RetryCause cause : RetryCause.values()) {
      RetryRule rule = builtIn.rule(cause);
      rows.put(
          cause.name(),
          new RetryRow(rule.firstPauseMillis(), rule.maxPauseMillis(), rule.maxAttempts()));
    }
    if (configured != null) {
      configured.forEach(
          (cause, row) -> {
            RetryRow base = rows.get(cause);
            RetryRow given = row == null ? new RetryRow(null, null, null) : row;
            rows.put(
                cause,
                base == null
                    ? given
                    : new RetryRow(
                        given.firstPauseMillis() != null
                            ? given.firstPauseMillis()
                            : base.firstPauseMillis(),
                        given.maxPauseMillis() != null
                            ? given.maxPauseMillis()
                            : base.maxPauseMillis(),
                        given.maxAttempts() != null ? given.maxAttempts() : base.maxAttempts()));
          });
    }
    return Collections.unmodifiableMap(rows);
  }

  /** The retry table these rows describe (call only when {@link #problems} found none). */
  public RetryTable retryTable() {
    Map<RetryCause, RetryRule> rules = new EnumMap<>(RetryCause.class);
    retry.forEach(
        (cause, row) ->
            rules.put(
                RetryCause.valueOf(cause),
                new RetryRule(row.firstPauseMillis(), row.maxPauseMillis(), row.maxAttempts())));
    return new RetryTable(rules);
  }

  /**
   * One assembly's own routing: which provider serves each network there, and extra prefixes.
   * Either may be left out; the payments-wide values then apply.
   */
  public record AssemblyRouting(
      Map<String, String> providerByNetwork, Map<String, String> prefixes) {
    public AssemblyRouting {
      providerByNetwork = providerByNetwork == null ? Map.of() : Map.copyOf(providerByNetwork);
      prefixes = prefixes == null ? Map.of() : Map.copyOf(prefixes);
    }
  }

  /** No providers: payments are answered "not available" until some are configured. */
  public static PaymentsConfig defaults() {
    return new PaymentsConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The same timings with other providers and routing (the demo's simulator). */
  public PaymentsConfig withProviders(
      List<Provider> otherProviders, Map<String, String> otherProviderByNetwork) {
    return new PaymentsConfig(
        otherProviders,
        otherProviderByNetwork,
        localExpiryMinutes,
        pollIntervalMillis,
        pollJitterPercent,
        firstPollDelaySeconds,
        earlyCallbackWindowSeconds,
        expiredRecheckMinutes,
        expiredRecheckWindowHours,
        expiredRecheckBatchSize,
        expiredRecheckSweepSeconds,
        prefixes,
        routingByAssembly,
        retry);
  }

  @Override
  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    range(problems, path, "localExpiryMinutes", localExpiryMinutes, 1, 24 * 60);
    range(problems, path, "pollIntervalMillis", pollIntervalMillis, 10, 3_600_000);
    range(problems, path, "pollJitterPercent", pollJitterPercent, 0, 50);
    range(problems, path, "firstPollDelaySeconds", firstPollDelaySeconds, 0, 3_600);
    range(problems, path, "earlyCallbackWindowSeconds", earlyCallbackWindowSeconds, 1, 3_600);
    range(problems, path, "expiredRecheckMinutes", expiredRecheckMinutes, 1, 24 * 60);
    range(problems, path, "expiredRecheckWindowHours", expiredRecheckWindowHours, 0, 30 * 24);
    range(problems, path, "expiredRecheckBatchSize", expiredRecheckBatchSize, 1, 1_000);
    range(problems, path, "expiredRecheckSweepSeconds", expiredRecheckSweepSeconds, 1, 86_400);
    routing(problems, path, providerByNetwork, prefixes);
    retry.forEach((cause, row) -> retryRow(problems, path + ".retry." + cause, cause, row));
    routingByAssembly.forEach(
        (code, routing) -> {
          String at = path + ".routingByAssembly." + code;
          if (!code.matches("[A-Za-z][A-Za-z0-9]{1,15}")) {
            problems.add(at + ": not an assembly code (2-16 letters or digits)");
          }
          routing(problems, at, routing.providerByNetwork(), routing.prefixes());
        });
    return problems;
  }

  private void routing(
      List<String> problems,
      String path,
      Map<String, String> byNetwork,
      Map<String, String> extraPrefixes) {
    Set<String> names = new TreeSet<>();
    providers.forEach(p -> names.add(p.name()));
    byNetwork.forEach(
        (network, provider) -> {
          if (network(network).isEmpty()) {
            problems.add(
                path + ".providerByNetwork: unknown network '" + network + "' " + NETWORKS);
          } else if (!names.contains(provider)) {
            problems.add(
                path
                    + ".providerByNetwork."
                    + network
                    + ": no provider named '"
                    + provider
                    + "' (configured: "
                    + String.join(", ", names)
                    + ")");
          }
        });
    extraPrefixes.forEach(
        (prefix, network) -> {
          if (!prefix.matches("0[0-9]{1,9}")) {
            problems.add(path + ".prefixes: '" + prefix + "' is not a local prefix like 024");
          } else if (network(network).isEmpty()) {
            problems.add(
                path + ".prefixes." + prefix + ": unknown network '" + network + "' " + NETWORKS);
          }
        });
  }

  private static void retryRow(List<String> problems, String at, String cause, RetryRow row) {
    boolean known = false;
    for (RetryCause c : RetryCause.values()) {
      known |= c.name().equals(cause);
    }
    if (!known) {
      List<String> causes = new ArrayList<>();
      for (RetryCause c : RetryCause.values()) {
        causes.add(c.name());
      }
      problems.add(at + ": unknown cause (one of " + String.join(", ", causes) + ")");
      return;
    }
    if (row.firstPauseMillis() == null || row.firstPauseMillis() < 100) {
      problems.add(
          at + ".firstPauseMillis must be at least 100 (got " + row.firstPauseMillis() + ")");
    } else if (row.maxPauseMillis() == null
        || row.maxPauseMillis() < row.firstPauseMillis()
        || row.maxPauseMillis() > 86_400_000) {
      problems.add(
          at
              + ".maxPauseMillis must be between firstPauseMillis and 86400000 (got "
              + row.maxPauseMillis()
              + ")");
    }
    if (row.maxAttempts() == null || row.maxAttempts() < 1 || row.maxAttempts() > 10_000) {
      problems.add(at + ".maxAttempts must be between 1 and 10000 (got " + row.maxAttempts() + ")");
    }
  }

  private static final String NETWORKS = "(one of MTN, TELECEL, AIRTELTIGO)";

  /** The network a configured name stands for ("mtn", "Telecel"), if it is one. */
  static Optional<Network> network(String name) {
    for (Network n : Network.values()) {
      if (name != null && n.name().equalsIgnoreCase(name.trim())) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /**
   * The ledger's part of the lifecycle timings (first poll, re-check of EXPIRED payments) applied
   * to {@code base}.
   */
  public LedgerSettings ledgerSettings(LedgerSettings base) {
    return new LedgerSettings(
        base.jdbcUrl(),
        base.user(),
        base.password(),
        base.maxPoolSizePerDatabase(),
        base.claimLeaseSeconds(),
        firstPollDelaySeconds,
        expiredRecheckMinutes * 60,
        expiredRecheckWindowHours * 3_600);
  }

  private static Integer orDefault(Integer value, int fallback) {
    return value == null ? Integer.valueOf(fallback) : value;
  }

  private static void range(
      List<String> problems, String path, String key, long value, long min, long max) {
    if (value < min || value > max) {
      problems.add(
          path + "." + key + " must be between " + min + " and " + max + " (got " + value + ")");
    }
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
