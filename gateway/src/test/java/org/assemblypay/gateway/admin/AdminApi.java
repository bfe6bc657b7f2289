package org.assemblypay.gateway.admin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.assemblypay.gateway.http.GatewayHttpServer;
import org.assemblypay.gateway.runtime.BoundedWorkers;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.testing.TestDatabase;

/**
 * A running admin API for tests: a real PostgreSQL ledger, a real HTTP server on a free port, two
 * freshly registered assemblies (A and B) and one credential per role and assembly.
 */
final class AdminApi implements AutoCloseable {
  /** One HTTP answer: status, headers we look at, and the body. */
  record Response(int status, String body, HttpResponse<String> raw) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray jsonArray() {
      return new JsonArray(body);
    }

    String errorCode() {
      return json().getString("code");
    }
  }

  final TestDatabase db = TestDatabase.get();
  final Ledger ledger;
  final Vertx vertx;
  final ExecutorService workers;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final GatewayHttpServer server;
  final String a;
  final String b;

  /** Credential name → plain key, e.g. "a-finance" → "k-…". */
  final Map<String, String> keys = new LinkedHashMap<>();

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String> assembliesToDrop = new ArrayList<>();

  AdminApi(AdminSettings settings) throws Exception {
    this(settings, null);
  }

  /** With {@code workerPool} (null: a fresh bounded pool) running the ledger calls. */
  AdminApi(AdminSettings settings, ExecutorService workerPool) throws Exception {
    ledger =
        Ledger.open(
            LedgerSettings.of(db.jdbcUrl(), db.user(), db.password())
                .withMaxPoolSizePerDatabase(4));
    a = register("TA");
    b = register("TB");
    List<AdminCredential> credentials = new ArrayList<>();
    credentials.add(credential("platform", AdminRole.PLATFORM_ADMIN, "*"));
    for (String code : List.of(a, b)) {
      String prefix = code.equals(a) ? "a-" : "b-";
      credentials.add(credential(prefix + "admin", AdminRole.ASSEMBLY_ADMIN, code));
      credentials.add(credential(prefix + "finance", AdminRole.FINANCE_OFFICER, code));
      credentials.add(credential(prefix + "finance2", AdminRole.FINANCE_OFFICER, code));
      credentials.add(credential(prefix + "auditor", AdminRole.AUDITOR, code));
    }
    vertx = Vertx.vertx();
    workers =
        workerPool != null
            ? workerPool
            : BoundedWorkers.create("admin-test-workers", 4, 100, registry);
    AdminRoutes routes = new AdminRoutes(vertx, ledger, credentials, workers, registry, settings);
    server = GatewayHttpServer.start(vertx, "127.0.0.1", 0, List.of(routes));
  }

  String register(String prefix) {
    String code = TestDatabase.uniqueAssemblyCode(prefix);
    assembliesToDrop.add(code);
    ledger
        .assemblies()
        .register(NewAssembly.inMainDatabase(code, "Test " + code, TestDatabase.uniqueUssdCode()));
    return code;
  }

  /** Marks an assembly created through the API for removal at the end. */
  void dropLater(String code) {
    assembliesToDrop.add(code.toUpperCase(Locale.ROOT));
  }

  private AdminCredential credential(String name, AdminRole role, String assembly) {
    String key = "k-" + UUID.randomUUID() + UUID.randomUUID();
    keys.put(name, key);
    return new AdminCredential(name, sha256Hex(key), role, assembly);
  }

  static String sha256Hex(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  AssemblyLedger ledgerOf(String code) {
    return ledger.assembly(code);
  }

  /** A market with every day a market day, registered straight in the ledger. */
  void market(String assembly, String code) {
    ledger
        .assembly(assembly)
        .registerMarket(
            new NewMarket(
                code, code + " Market", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
  }

  Response get(String credential, String path) throws Exception {
    return send("GET", path, credential, null, null);
  }

  Response post(String credential, String path, String json) throws Exception {
    return send("POST", path, credential, json, "application/json");
  }

  Response put(String credential, String path, String json) throws Exception {
    return send("PUT", path, credential, json, "application/json");
  }

  Response send(String method, String path, String credential, String body, String contentType)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (credential != null) {
      r.header("Authorization", "Bearer " + keys.getOrDefault(credential, credential));
    }
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    HttpResponse<String> response = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body(), response);
  }

  /** The assembly's audit rows, oldest first: actor, action, entity, before, after. */
  List<Map<String, String>> auditRows(String assembly) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "select actor, action, entity, at::text, before::text, after::text from "
                    + schema(assembly)
                    + ".audit_log order by id")) {
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          row.put("actor", rs.getString(1));
          row.put("action", rs.getString(2));
          row.put("entity", rs.getString(3));
          row.put("at", rs.getString(4));
          row.put("before", rs.getString(5));
          row.put("after", rs.getString(6));
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** The texts queued in the assembly's SMS outbox for one recipient, oldest first. */
  List<String> outboxTexts(String assembly, String msisdn) throws Exception {
    List<String> texts = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "select text from "
                    + schema(assembly)
                    + ".sms_outbox where recipient_msisdn = ? order by id")) {
      s.setString(1, msisdn);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          texts.add(rs.getString(1));
        }
      }
    }
    return texts;
  }

  long count(String assembly, String table) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement("select count(*) from " + schema(assembly) + "." + table);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String schema(String assembly) {
    if (!assembly.matches("[A-Z][A-Z0-9]{1,15}")) {
      throw new IllegalArgumentException(assembly);
    }
    return "asm_" + assembly.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    try {
      server.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      workers.shutdownNow();
      ledger.close();
      for (String code : assembliesToDrop) {
        db.dropAssembly(code);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("test cleanup failed", e);
    }
  }
}
