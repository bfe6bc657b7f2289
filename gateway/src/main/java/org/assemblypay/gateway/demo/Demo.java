package org.assemblypay.gateway.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.gateway.runtime.GatewayNode;
import org.assemblypay.gateway.sms.SmsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running demo: embedded PostgreSQL, a gateway node in demo mode and the seeded assembly. */
public final class Demo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Demo.class);

  private final EmbeddedDatabase database;
  private final GatewayNode node;
  private final DemoSeed.Summary summary;

  private Demo(EmbeddedDatabase database, GatewayNode node, DemoSeed.Summary summary) {
    this.database = database;
    this.node = node;
    this.summary = summary;
  }

  /** Starts everything; {@code dataDirectory} null means throw-away data. */
  public static Demo start(int port, Path dataDirectory) throws Exception {
    EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory);
    GatewayNode node = null;
    try {
      GatewayConfig config =
          new GatewayConfig(
              new GatewayConfig.Http(port, "0.0.0.0", 0, 0),
              new GatewayConfig.Database(database.jdbcUrl(), "postgres", null, 10, 0),
              null,
              null,
              demoAggregators(),
              new GatewayConfig.Admin(0, 0, demoCredentials()),
              null,
              SmsConfig.defaults()
                  .withInboundNumbers(
                      List.of(
                          new SmsConfig.InboundNumber(GatewayNode.DEMO_SHORT_CODE, DemoSeed.CODE))),
              null);
      node = GatewayNode.start(config, new GatewayNode.Options(true));
      DemoSeed.Summary summary =
          DemoSeed.seed(node.ledger(), LocalDate.now(ZoneId.of("Africa/Accra")));
      node.startBackgroundJobs();
      return new Demo(database, node, summary);
    } catch (Exception | Error e) {
      if (node != null) {
        node.close();
      }
      closeDatabase(database);
      throw e;
    }
  }

  /**
   * All four dialects at {@code /ussd/<dialect>}, without shared secrets (demo only: the browser
   * phone plays the aggregator). Nalo and Arkesel send no service code, so the route names it.
   */
  static List<GatewayConfig.Aggregator> demoAggregators() {
    return List.of("africastalking", "hubtel", "nalo", "arkesel").stream()
        .map(
            d ->
                new GatewayConfig.Aggregator(
                    d, d, null, null, null, DemoSeed.USSD_CODE, 0, 0, 0, null))
        .toList();
  }

  /** Demo API keys (printed at start; a real deployment configures hashed keys of its own). */
  public static final String DEMO_PLATFORM_KEY = "demo-platform-key";

  public static final String DEMO_FINANCE_KEY = "demo-ama-finance-key";

  static List<GatewayConfig.Credential> demoCredentials() {
    return List.of(
        new GatewayConfig.Credential(
            "demo-platform-admin", sha256Hex(DEMO_PLATFORM_KEY), "platform-admin", "*"),
        new GatewayConfig.Credential(
            "demo-ama-finance", sha256Hex(DEMO_FINANCE_KEY), "finance-officer", DemoSeed.CODE));
  }

  private static String sha256Hex(String key) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public int httpPort() {
    return node.httpPort();
  }

  public DemoSeed.Summary summary() {
    return summary;
  }

  public GatewayNode node() {
    return node;
  }

  public boolean keepsData() {
    return database.keepsData();
  }

  public Path dataDirectory() {
    return database.dataDirectory();
  }

  /** Stops the node and the database; removes the data unless it was asked to be kept. */
  @Override
  public void close() {
    node.close();
    closeDatabase(database);
  }

  private static void closeDatabase(EmbeddedDatabase database) {
    try {
      database.close();
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
    }
    if (!database.keepsData()) {
      deleteRecursively(database.dataDirectory());
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Demo::deleteQuietly);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("could not remove {}: {}", p, e.toString());
    }
  }
}
