package org.assemblypay.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void aSmallFileGetsDefaultsForEverythingElse() {
    GatewayConfig config =
        new ConfigLoader(Map.of()).loadText("database:\n  url: jdbc:postgresql://db/gw\n");

    assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db/gw");
    assertThat(config.database().poolSize()).isEqualTo(10);
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().maxBodyBytes()).isEqualTo(16 * 1024);
    assertThat(config.sessions().ttlSeconds()).isEqualTo(180);
    assertThat(config.ussd().hopDeadlineMillis()).isEqualTo(2_000);
    assertThat(config.ussd().maxHopsPerPhonePerMinute()).isEqualTo(30);
    assertThat(config.ussd().maxRateLimitedPhones()).isEqualTo(100_000);
  }

  @Test
  void environmentOverridesEveryKindOfField() {
    var env =
        Map.of(
            "GATEWAY_DATABASE_URL", "jdbc:postgresql://other/gw",
            "GATEWAY_DATABASE_POOL_SIZE", "32",
            "GATEWAY_HTTP_PORT", "9090",
            "GATEWAY_SESSIONS_REDIS_CLUSTER_SEEDS", "redis://a:7000, redis://b:7000",
            "GATEWAY_AGGREGATORS_0_SHARED_SECRET", "s3cret",
            "GATEWAY_TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1/test",
            "GATEWAY_LOG_LEVEL", "WARN",
            "PATH", "/usr/bin");
    GatewayConfig config =
        new ConfigLoader(env)
            .loadText(
                """
                database:
                  url: jdbc:postgresql://db/gw
                aggregators:
                  - name: at
                    dialect: africastalking
                """);

    assertThat(config.database().url()).isEqualTo("jdbc:postgresql://other/gw");
    assertThat(config.database().poolSize()).isEqualTo(32);
    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.sessions().redisClusterSeeds())
        .containsExactly("redis://a:7000", "redis://b:7000");
    assertThat(config.aggregators().get(0).sharedSecret()).isEqualTo("s3cret");
    assertThat(config.aggregators().get(0).dialect()).isEqualTo("africastalking");
  }

  @Test
  void secretsCanComeFromFiles(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("db-password");
    Files.writeString(secret, "from-a-file\n");
    GatewayConfig config =
        new ConfigLoader(
                Map.of(
                    "GATEWAY_DATABASE_URL",
                    "jdbc:postgresql://db/gw",
                    "GATEWAY_DATABASE_PASSWORD_FILE",
                    secret.toString()))
            .load(null);

    assertThat(config.database().password()).isEqualTo("from-a-file");
  }

  @Test
  void everyUnknownKeyAndMissingValueIsReportedOnItsOwnLine() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("GATEWAY_NO_SUCH_THING", "1"))
                    .loadText(
                        """
                        databse:
                          url: x
                        http:
                          prot: 1
                        aggregators:
                          - dialect: hubtel
                        """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "GATEWAY_NO_SUCH_THING: names no configuration value",
                        "unknown key 'databse' (known here: accrual, admin, aggregators, database, http, payments, sessions, smsc, ussd)",
                        "unknown key 'http.prot' (known here: host, maxBodyBytes, port, workerPoolSize)"));

    assertThatThrownBy(
            () -> new ConfigLoader(Map.of()).loadText("aggregators:\n  - dialect: hubtel\n"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "missing required value 'database.url' (set it in the file or as GATEWAY_DATABASE_URL)",
                        "missing required value 'aggregators[0].name' (set it in the file or as GATEWAY_AGGREGATORS_0_NAME)"));
  }

  @Test
  void badValuesAndBadYamlAreClearLines() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).loadText("http:\n  port: eighty\n"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.problems()).singleElement().asString().contains("http.port"));
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).loadText("http: [\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Path.of("/nonexistent/gw.yaml")))
        .hasMessage("config file not found: /nonexistent/gw.yaml");
  }

  @Test
  void describeMasksEverySecret() {
    ConfigLoader loader = new ConfigLoader(Map.of());
    GatewayConfig config =
        loader.loadText(
            """
            database:
              url: jdbc:postgresql://db/gw
              password: hunter2
            sessions:
              redisUrl: redis://:pw@cache:6379
            aggregators:
              - name: at
                dialect: africastalking
                sharedSecret: topsecret
            """);

    String shown = loader.describe(config);

    assertThat(shown)
        .doesNotContain("hunter2", "topsecret", ":pw@")
        .contains("jdbc:postgresql://db/gw");
    assertThat(shown).contains("password: \"****\"");
  }

  @Test
  void portLeftOutIs8080AndZeroPicksAFreePort() {
    String db = "database: {url: \"jdbc:postgresql://db/gw\"}\n";
    assertThat(new ConfigLoader(Map.of()).loadText(db).http().port()).isEqualTo(8080);
    assertThat(new ConfigLoader(Map.of("GATEWAY_HTTP_PORT", "0")).loadText(db).http().port())
        .isZero();
    assertThatThrownBy(() -> new ConfigLoader(Map.of("GATEWAY_HTTP_PORT", "70000")).loadText(db))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "http.port must be between 0 and 65535, 0 picks a free port (got 70000)"));
  }
}
