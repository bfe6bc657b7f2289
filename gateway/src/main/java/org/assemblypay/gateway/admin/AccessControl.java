package org.assemblypay.gateway.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three gates every admin request passes before its body is read or validated: who is it (401),
 * is it within its rate (429), and may it do this operation on this assembly (403).
 */
final class AccessControl {
  static final String PERMISSION = "x-permission";
  static final String PLATFORM = "platform";
  static final String WRITE = "write";
  static final String READ = "read";

  /** Any authenticated credential, about itself (who am I). */
  static final String SELF = "self";

  private static final Pattern ASSEMBLY_PATH =
      Pattern.compile("^/api/v1/assemblies/([^/]+)(/.*)?$");

  private final ApiKeys keys;
  private final TokenBuckets buckets;
  private final OpenAPIContract contract;
  private final MeterRegistry registry;
  private final Counter unauthenticated;
  private final Map<String, Counter> limited = new ConcurrentHashMap<>();

  AccessControl(
      List<AdminCredential> credentials,
      TokenBuckets buckets,
      OpenAPIContract contract,
      MeterRegistry registry) {
    this.keys = new ApiKeys(credentials);
    this.buckets = buckets;
    this.contract = contract;
    this.registry = registry;
    this.unauthenticated =
        Counter.builder("admin.api.unauthenticated")
            .description("Admin API requests refused for a missing or unknown API key")
            .register(registry);
  }

  void authenticate(RoutingContext ctx) {
    Optional<AdminCredential> who = keys.authenticate(ctx.request().getHeader("authorization"));
    if (who.isEmpty()) {
      unauthenticated.increment();
      ctx.response().putHeader("www-authenticate", "Bearer");
      ctx.fail(new ApiProblem(401, "unauthenticated", "A valid API key is required."));
      return;
    }
    ctx.put(Call.CALLER_KEY, who.get());
    ctx.next();
  }

  void rateLimit(RoutingContext ctx) {
    AdminCredential who = ctx.get(Call.CALLER_KEY);
    long waitNanos = buckets.tryTake(who.name());
    if (waitNanos > 0) {
      limited
          .computeIfAbsent(
              who.name(),
              name ->
                  Counter.builder("admin.api.rate.limited")
                      .description("Admin API requests refused by the per-credential rate limit")
                      .tag("credential", name)
                      .register(registry))
          .increment();
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1);
      ctx.fail(
          new ApiProblem(
              429,
              "rate_limited",
              "Too many requests for this API key; slow down.",
              new JsonObject().put("retryAfterSeconds", String.valueOf(seconds))));
      return;
    }
    ctx.next();
  }

  void authorize(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.equals(ctx.request().path())) {
      // Routing uses the normalised path; refuse anything where the two could disagree.
      ctx.fail(new ApiProblem(400, "non_canonical_path", "Use the canonical form of this path."));
      return;
    }
    Operation op = contract.findOperation(path, ctx.request().method());
    if (op == null) {
      ctx.next(); // not an operation: the router answers 404 or 405
      return;
    }
    AdminCredential who = ctx.get(Call.CALLER_KEY);
    Object permission = op.getExtensions().get(PERMISSION);
    if (PLATFORM.equals(permission)) {
      if (who.role() != AdminRole.PLATFORM_ADMIN) {
        ctx.fail(forbidden("platform_only", "Only a platform admin may do this."));
        return;
      }
      ctx.next();
      return;
    }
    if (SELF.equals(permission)) {
      ctx.next();
      return;
    }
    if (!READ.equals(permission) && !WRITE.equals(permission)) {
      ctx.fail(forbidden("forbidden", "This operation is not open to API keys."));
      return;
    }
    Matcher m = ASSEMBLY_PATH.matcher(path);
    if (!m.matches() || !who.covers(m.group(1))) {
      ctx.fail(forbidden("other_assembly", "This API key is not for that assembly."));
      return;
    }
    if (WRITE.equals(permission) && !who.role().mayWrite()) {
      ctx.fail(forbidden("read_only", "This API key may only read."));
      return;
    }
    ctx.next();
  }

  private static ApiProblem forbidden(String code, String message) {
    return new ApiProblem(403, code, message);
  }
}
