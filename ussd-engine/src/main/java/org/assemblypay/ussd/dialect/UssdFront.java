package org.assemblypay.ussd.dialect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.assemblypay.ussd.HopCorrelation;
import org.assemblypay.ussd.PhoneRateLimit;
import org.assemblypay.ussd.UssdEngine;
import org.assemblypay.ussd.UssdReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code POST /ussd/{name}} calls: body limit → source address → shared secret → dialect
 * parsing → per-phone hop limit → engine → dialect reply. A caller's mistake gets a 4xx JSON error
 * (or the dialect's END for a foreign number) and writes nothing; the stage never completes
 * exceptionally.
 */
public final class UssdFront {

  private static final Logger LOG = LoggerFactory.getLogger(UssdFront.class);
  private static final String FOREIGN_TEXT = "This service is only for Ghanaian mobile numbers.";
  private static final String ERROR_TEXT =
      "Sorry, the service is not available now. Please try again later.";

  /** The text key of the END sent to a phone over its hop limit. */
  public static final String RATE_LIMITED_KEY = "ussd.rate_limited";

  /** Hops a phone may make a minute unless configured otherwise. */
  public static final int DEFAULT_HOPS_PER_MINUTE = 30;

  private final UssdEngine engine;
  private final Map<String, AggregatorConfig> aggregators = new HashMap<>();
  private final Map<String, Dialect> dialectOf = new HashMap<>();
  private final PhoneRateLimit hopLimit;
  private final MeterRegistry registry;
  private final Map<String, Counter> rateLimited = new ConcurrentHashMap<>();

  /**
   * A front for these aggregator routes with the default hop limit ({@value
   * #DEFAULT_HOPS_PER_MINUTE} a minute per phone, on the engine's clock); each route must name a
   * dialect in {@code dialects}.
   */
  public UssdFront(UssdEngine engine, List<AggregatorConfig> routes, Dialects dialects) {
    this(
        engine,
        routes,
        dialects,
        new PhoneRateLimit(
            DEFAULT_HOPS_PER_MINUTE, PhoneRateLimit.DEFAULT_MAX_PHONES, engine.clock()));
  }

  /** A front for these aggregator routes with this per-phone hop limit. */
  public UssdFront(
      UssdEngine engine,
      List<AggregatorConfig> routes,
      Dialects dialects,
      PhoneRateLimit hopLimit) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.hopLimit = Objects.requireNonNull(hopLimit, "hopLimit");
    this.registry = engine.meterRegistry();
    Gauge.builder("ussd.rate_limit.phones", hopLimit, PhoneRateLimit::size)
        .description("Phones the USSD hop limit is tracking")
        .register(registry);
    for (AggregatorConfig route : routes) {
      Dialect dialect =
          dialects
              .find(route.dialect())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "aggregator " + route.name() + ": unknown dialect " + route.dialect()));
      if (aggregators.put(route.name(), route) != null) {
        throw new IllegalArgumentException("aggregator " + route.name() + " configured twice");
      }
      dialectOf.put(route.name(), dialect);
    }
  }

  /** The largest body any route accepts, for the HTTP server's own limit. */
  public int maxBodyBytes() {
    return aggregators.values().stream()
        .mapToInt(AggregatorConfig::maxBodyBytes)
        .max()
        .orElse(AggregatorConfig.DEFAULT_MAX_BODY_BYTES);
  }

  /** Answers one aggregator request sent to the route {@code name}. */
  public CompletionStage<DialectResponse> handle(String name, DialectRequest request) {
    AggregatorConfig aggregator = name == null ? null : aggregators.get(name);
    if (aggregator == null) {
      return now(DialectResponse.error(404, "unknown_dialect", "no USSD route with that name"));
    }
    if (request.body().length > aggregator.maxBodyBytes()) {
      return now(
          DialectResponse.error(
              413, "body_too_large", "body over " + aggregator.maxBodyBytes() + " bytes"));
    }
    if (!aggregator.allowedAddresses().isEmpty()
        && !aggregator.allowedAddresses().contains(request.remoteAddress())) {
      return now(DialectResponse.error(403, "forbidden", "source address not allowed"));
    }
    if (aggregator.secret().isPresent()
        && !secretMatches(aggregator.secret().get(), request, aggregator)) {
      return now(DialectResponse.error(401, "unauthorized", "missing or wrong shared secret"));
    }
    Dialect dialect = dialectOf.get(name);
    Parsed parsed;
    try {
      parsed = dialect.parse(aggregator, request);
    } catch (RuntimeException e) {
      LOG.warn("{} request could not be read: {}", name, e.toString());
      parsed = new Parsed.Invalid("malformed request");
    }
    if (parsed instanceof Parsed.Invalid invalid) {
      return now(DialectResponse.error(400, "bad_request", invalid.reason()));
    }
    if (parsed instanceof Parsed.ForeignNumber foreign) {
      return now(dialect.reply(UssdReply.end(FOREIGN_TEXT), foreign.echo()));
    }
    if (parsed instanceof Parsed.Ended ended) {
      String endedId = HopCorrelation.of(name, ended.sessionId());
      return HopCorrelation.call(
          endedId,
          () ->
              engine
                  .end(name, ended.sessionId(), ended.msisdn(), ended.serviceCode(), ended.reason())
                  .handle(
                      (ignored, failure) ->
                          dialect
                              .reply(UssdReply.end(""), ended.echo())
                              .withCorrelationId(endedId)));
    }
    Parsed.Hop hop = (Parsed.Hop) parsed;
    String correlationId = hop.request().correlationId();
    return HopCorrelation.call(correlationId, () -> answer(dialect, aggregator, hop))
        .thenApply(
            response -> {
              // Whichever thread finished the hop: the line carries the session's id, then none.
              if (LOG.isDebugEnabled()) {
                HopCorrelation.run(
                    correlationId,
                    () ->
                        LOG.debug(
                            "USSD hop answered: route {} phone {} status {}",
                            name,
                            hop.request().msisdn().masked(),
                            response.status()));
              }
              return response.withCorrelationId(correlationId);
            });
  }

  private CompletionStage<DialectResponse> answer(
      Dialect dialect, AggregatorConfig aggregator, Parsed.Hop hop) {
    if (!hopLimit.check(hop.request().msisdn().value()).allowed()) {
      // A real person on a real phone: a polite END with 200, and no session touched.
      rateLimited
          .computeIfAbsent(
              hop.request().dialect(),
              d ->
                  Counter.builder("ussd.rate_limited")
                      .description("Hops refused because the phone was over its limit")
                      .tag("dialect", d)
                      .register(registry))
          .increment();
      return now(dialect.reply(UssdReply.end(engine.text(RATE_LIMITED_KEY)), hop.echo()));
    }
    return engine
        .handle(hop.request(), aggregator.budget())
        .handle(
            (reply, failure) ->
                dialect.reply(failure == null ? reply : UssdReply.end(ERROR_TEXT), hop.echo()));
  }

  /**
   * Compares in constant time (for equal lengths; {@link MessageDigest#isEqual} does not reveal how
   * much of the secret matched). The secret comes from the route's header, or from its query
   * parameter when one is configured; it is never logged.
   */
  private static boolean secretMatches(
      String secret, DialectRequest request, AggregatorConfig aggregator) {
    byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
    Optional<String> sent =
        aggregator.secretQueryParam() == null
            ? request.header(aggregator.secretHeader())
            : request.queryParam(aggregator.secretQueryParam());
    byte[] given = sent.orElse("").getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }

  private static CompletionStage<DialectResponse> now(DialectResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
