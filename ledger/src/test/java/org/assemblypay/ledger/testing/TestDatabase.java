package org.assemblypay.ledger.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL that tests use: {@code GATEWAY_TEST_DATABASE_URL} when set (a shared, long-lived
 * database: create uniquely named things and drop them), otherwise one embedded PostgreSQL per JVM.
 */
public final class TestDatabase {
  private static TestDatabase instance;

  private final String jdbcUrl;
  private final String user;
  private final String password;

  private TestDatabase(String jdbcUrl, String user, String password) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /** The database for this JVM, starting an embedded server the first time if needed. */
  public static synchronized TestDatabase get() {
    if (instance == null) {
      String url = System.getenv("GATEWAY_TEST_DATABASE_URL");
      if (url != null && !url.isBlank()) {
        instance =
            new TestDatabase(
                url,
                System.getenv().getOrDefault("GATEWAY_TEST_DATABASE_USER", null),
                System.getenv().getOrDefault("GATEWAY_TEST_DATABASE_PASSWORD", null));
      } else {
        instance = startEmbedded();
      }
    }
    return instance;
  }

  private static TestDatabase startEmbedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      pg.close();
                    } catch (IOException e) {
                      // The JVM is exiting; nothing more to do.
                    }
                  }));
      return new TestDatabase(pg.getJdbcUrl("postgres", "postgres"), "postgres", null);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL", e);
    }
  }

  /** JDBC URL of the main test database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** User name, or null when the URL carries it. */
  public String user() {
    return user;
  }

  /** Password, or null. */
  public String password() {
    return password;
  }

  /** A fresh JDBC connection (the caller closes it). */
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(jdbcUrl, p);
  }

  /** A random assembly code such as {@code T4KQ9ZP2}, unlikely to collide across runs. */
  public static String uniqueAssemblyCode(String prefix) {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    StringBuilder sb = new StringBuilder(prefix.toUpperCase(Locale.ROOT));
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (sb.length() < 12) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** A random USSD code such as {@code *713*48123#}. */
  public static String uniqueUssdCode() {
    return "*713*" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999) + "#";
  }

  /**
   * Creates a second database on the same server and returns its JDBC URL, for assemblies kept in
   * their own database.
   */
  public String createDatabase(String name) throws SQLException {
    if (!name.matches("[a-z][a-z0-9_]{1,40}")) {
      throw new IllegalArgumentException("database name");
    }
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    int q = jdbcUrl.indexOf('?');
    String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    String params = q < 0 ? "" : jdbcUrl.substring(q);
    return base.substring(0, base.lastIndexOf('/') + 1) + name + params;
  }

  /** Drops a database created with {@link #createDatabase}. */
  public void dropDatabase(String name) throws SQLException {
    if (!name.matches("[a-z][a-z0-9_]{1,40}")) {
      throw new IllegalArgumentException("database name");
    }
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  /** Removes an assembly created by a test: its schema and its registry row. */
  public void dropAssembly(String code) throws SQLException {
    String upper = code.toUpperCase(Locale.ROOT);
    if (!upper.matches("[A-Z][A-Z0-9]{1,15}")) {
      throw new IllegalArgumentException("assembly code");
    }
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS asm_" + upper.toLowerCase(Locale.ROOT) + " CASCADE");
      s.execute("DELETE FROM control.assemblies WHERE code = '" + upper + "'");
    }
  }
}
