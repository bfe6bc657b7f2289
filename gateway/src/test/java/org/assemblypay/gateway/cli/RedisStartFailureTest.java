package org.assemblypay.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assemblypay.gateway.Main;
import org.assemblypay.gateway.config.ConfigException;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.ledger.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run} with an unreachable Redis: a few attempts, then one clear line and exit code 3. */
class RedisStartFailureTest {

  @Test
  void anUnreachableRedisStopsTheStartWithOneLine(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TestDatabase db = TestDatabase.get();
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "http: {port: 0, host: 127.0.0.1}",
            "database: {url: \"" + db.jdbcUrl() + "\"}",
            "sessions: {store: redis, redisUrl: \"redis://:hunter2@127.0.0.1:" + port + "\",",
            "           redisConnectTimeoutMillis: 300, redisConnectAttempts: 2}",
            "accrual: {enabled: false}",
            ""));
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("run", "--config", config.toString());
    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(err.toString().strip().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith(
                        "start: cannot connect to the Redis session store at 127.0.0.1:"
                            + port
                            + " after 2 attempt(s) of up to 300 ms each")
                    .doesNotContain("hunter2"));
  }

  @Test
  void badConnectSettingsAreConfigProblems() {
    try {
      new ConfigLoader(
              Map.of(
                  "GATEWAY_SESSIONS_REDIS_CONNECT_ATTEMPTS", "-1",
                  "GATEWAY_SESSIONS_REDIS_CONNECT_TIMEOUT_MILLIS", "-5"))
          .loadText("database: {url: \"jdbc:postgresql://db/gw\"}\n");
      throw new AssertionError("expected a ConfigException");
    } catch (ConfigException e) {
      assertThat(e.problems())
          .containsExactly(
              "sessions.redisConnectTimeoutMillis must be between 1 and 120000 (got -5)",
              "sessions.redisConnectAttempts must be between 1 and 20 (got -1)");
    }
  }
}
