package org.assemblypay.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assemblypay.gateway.http.Routes;
import org.assemblypay.ledger.Correlation;
import org.assemblypay.ledger.Ledger;

/**
 * The admin REST API: {@code GET /api/openapi.yaml} (the contract) and {@code /api/v1/...}, built
 * from that contract. Each request passes authentication, the rate limit, authorisation, a body
 * limit and contract validation before its ledger work runs on the worker pool.
 *
 * <p>Construct it off the event loop: it loads and checks the contract, waiting up to 30 seconds.
 */
public final class AdminRoutes implements Routes {
  static final String CONTRACT_RESOURCE = "api/openapi.yaml";
  private static final String IMPORT_PATH_SUFFIX = "/trader-imports";

  private final String contractText;
  private final Router api;

  /**
   * Builds the routes; {@code credentials} are the configured API keys (hashes only), {@code
   * workers} the bounded pool that runs ledger calls.
   */
  public AdminRoutes(
      Vertx vertx,
      Ledger ledger,
      List<AdminCredential> credentials,
      ExecutorService workers,
      MeterRegistry registry,
      AdminSettings settings) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("construct AdminRoutes off the event loop");
    }
    this.contractText = readContract();
    OpenAPIContract contract = loadContract(vertx, contractText);

    PendingReversals pending =
        new PendingReversals(
            settings.maxPendingReversals(),
            Duration.ofSeconds(settings.pendingReversalTtlSeconds()),
            Clock.systemUTC());
    Gauge.builder("admin.reversals.pending", pending, PendingReversals::size)
        .description("Reversal requests waiting for a second officer")
        .register(registry);
    AccessControl access =
        new AccessControl(
            credentials,
            new TokenBuckets(settings.requestsPerSecond(), settings.burst(), System::nanoTime),
            contract,
            registry);

    Map<String, Operation> operations = new HashMap<>();
    operations.putAll(new AssemblyOperations(ledger).operations());
    operations.putAll(new DirectoryOperations(ledger).operations());
    operations.putAll(new MoneyOperations(ledger).operations());
    operations.putAll(new ReversalOperations(ledger, pending).operations());
    operations.putAll(new ReportOperations(ledger).operations());
    checkEveryOperationIsBound(contract, operations.keySet());

    BodyHandler jsonBody = BodyHandler.create(false).setBodyLimit(settings.maxJsonBodyBytes());
    BodyHandler importBody = BodyHandler.create(false).setBodyLimit(settings.maxImportBodyBytes());
    RouterBuilder builder =
        RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler())
            .rootHandler(access::authenticate)
            .rootHandler(access::rateLimit)
            .rootHandler(access::authorize)
            .rootHandler(
                ctx -> {
                  if (ctx.normalizedPath().endsWith(IMPORT_PATH_SUFFIX)) {
                    importBody.handle(ctx);
                  } else {
                    jsonBody.handle(ctx);
                  }
                });
    Replies replies = new Replies(vertx, workers);
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Operation op = operations.get(operationId);
      // The bearer scheme in the contract is enforced by AccessControl, a root handler that runs
      // before the body is read; the library's own security step (vertx-auth) is not used.
      route.setDoSecurity(false).addHandler(ctx -> replies.run(ctx, operationId, bind(op, ctx)));
    }
    this.api = builder.createRouter();
    api.route().failureHandler(Replies::onFailure);
  }

  private static java.util.concurrent.Callable<Replies.Reply> bind(
      Operation op, RoutingContext ctx) {
    Call call = Call.of(ctx);
    return () -> op.handle(call);
  }

  @Override
  public void mount(Router router) {
    router
        .get("/api/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "application/yaml; charset=utf-8")
                    .end(contractText));
    router.route("/api/v1/*").handler(AdminRoutes::correlate);
    router.route("/api/v1/*").subRouter(api);
  }

  /** The call's correlation id: the caller's {@code X-Correlation-Id} if safe, else a new one. */
  private static void correlate(RoutingContext ctx) {
    String id =
        Correlation.accept(ctx.request().getHeader(Correlation.HEADER))
            .orElseGet(() -> Correlation.fresh("a"));
    ctx.put(Correlation.MDC_KEY, id);
    ctx.response().putHeader(Correlation.HEADER, id);
    Correlation.run(id, ctx::next);
  }

  static String readContract() {
    try (InputStream in =
        AdminRoutes.class.getClassLoader().getResourceAsStream(CONTRACT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CONTRACT_RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OpenAPIContract loadContract(Vertx vertx, String yaml) {
    JsonObject json;
    try {
      Object tree = new YAMLMapper().readValue(yaml, Object.class);
      json = new JsonObject(new ObjectMapper().writeValueAsString(tree));
    } catch (IOException e) {
      throw new IllegalStateException(CONTRACT_RESOURCE + " is not valid YAML", e);
    }
    // vertx-openapi reads the base path only from an absolute server URL; the served document
    // keeps the relative one.
    JsonArray servers = json.getJsonArray("servers");
    JsonObject internal = json.copy();
    if (servers != null && !servers.isEmpty()) {
      String url = servers.getJsonObject(0).getString("url");
      if (url.startsWith("/")) {
        internal.put(
            "servers", new JsonArray().add(new JsonObject().put("url", "http://localhost" + url)));
      }
    }
    try {
      return OpenAPIContract.from(vertx, internal)
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the admin API contract", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the admin API contract is invalid: " + e.getMessage(), e);
    }
  }

  private static void checkEveryOperationIsBound(OpenAPIContract contract, Set<String> bound) {
    Set<String> declared = new TreeSet<>();
    for (io.vertx.openapi.contract.Operation op : contract.operations()) {
      declared.add(op.getOperationId());
      Object permission = op.getExtensions().get(AccessControl.PERMISSION);
      if (!Set.of(
              AccessControl.PLATFORM, AccessControl.WRITE, AccessControl.READ, AccessControl.SELF)
          .contains(permission)) {
        throw new IllegalStateException(
            "operation " + op.getOperationId() + " has no valid " + AccessControl.PERMISSION);
      }
    }
    if (!declared.equals(new TreeSet<>(bound))) {
      Set<String> missing = new TreeSet<>(declared);
      missing.removeAll(bound);
      Set<String> extra = new TreeSet<>(bound);
      extra.removeAll(declared);
      throw new IllegalStateException(
          "contract and handlers differ: unbound " + missing + ", undeclared " + extra);
    }
  }
}
