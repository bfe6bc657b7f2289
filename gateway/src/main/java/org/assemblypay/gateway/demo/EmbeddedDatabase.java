package org.assemblypay.gateway.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server from Maven Central (io.zonky.test) for {@code demo}: nothing to install.
 *
 * <p>With a data directory the data survives a restart; without one, a temporary directory is used
 * and removed on {@link #close()}.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final boolean keepData;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, boolean keepData) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.keepData = keepData;
  }

  /** Starts PostgreSQL; {@code dataDirectory} null means a throw-away directory. */
  public static EmbeddedDatabase start(Path dataDirectory) throws IOException {
    boolean keep = dataDirectory != null;
    Path dir = keep ? dataDirectory : Files.createTempDirectory("gateway-demo-pg");
    Files.createDirectories(dir);
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(!keep)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("max_connections", "100")
            .start();
    return new EmbeddedDatabase(postgres, dir, keep);
  }

  /** A JDBC URL for the {@code postgres} database as user {@code postgres}. */
  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public boolean keepsData() {
    return keepData;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
