package org.assemblypay.gateway.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar gateway.jar demo} as a person runs it: a real process, stopped with Ctrl-C
 * (SIGINT). It must exit cleanly, free its port, stop its PostgreSQL, and remove its data unless
 * {@code --data-dir} was given, in which case the data survives a restart.
 */
class DemoProcessIT {
  /** 128 + SIGINT: the JVM's exit status after its shutdown hooks ran on Ctrl-C. */
  private static final int EXIT_AFTER_SIGINT = 130;

  private static final Pattern HEALTH_PORT =
      Pattern.compile("Health: http://localhost:(\\d+)/health/ready");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void ctrlCStopsTheDemoCleanlyAndRemovesItsData(@TempDir Path dir) throws Exception {
    try (GatewayProcess demo =
        GatewayProcess.start(
            List.of("-Xmx256m"),
            // Port 0: the demo picks a free port and its banner names it.
            List.of("demo", "--port", "0"),
            Map.of(),
            dir.resolve("out"))) {
      int port = Integer.parseInt(demo.awaitOutput(HEALTH_PORT));
      assertThat(port).isPositive().isNotEqualTo(8080);
      Path data = Path.of(demo.awaitOutput(Pattern.compile("Data: in (\\S+), removed when")));
      demo.awaitReady(port);
      assertThat(Files.isDirectory(data)).as("embedded data directory while running").isTrue();
      // pg_ctl detaches the postmaster; its PID is the first line of postmaster.pid.
      long postmaster =
          Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);

      demo.interrupt();

      assertThat(demo.awaitExit(STOP_TIMEOUT)).as(demo.output()).isEqualTo(EXIT_AFTER_SIGINT);
      assertThat(demo.output()).contains("Demo stopped; data removed from " + data);
      assertThat(demo.output()).doesNotContain("\"level\":\"ERROR\"");
      // Background jobs start after seeding: the poller never meets a half-made assembly.
      assertThat(demo.output()).doesNotContain("does not exist");
      assertThat(GatewayProcess.portInUse(port)).as("port %d released", port).isFalse();
      assertThat(Files.exists(data)).as("data directory removed").isFalse();
      // pg_ctl stop returns once the postmaster has removed its pid file, a moment before the
      // process itself is gone: give it a few seconds (a zombie awaiting its reaper counts as
      // gone).
      assertThat(postmasterGone(postmaster, Duration.ofSeconds(15)))
          .as("embedded PostgreSQL stopped")
          .isTrue();
    }
  }

  @Test
  void withDataDirTheDataSurvivesARestart(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("pg");
    String market = "{\"code\":\"KEPT1\",\"name\":\"Kept Market\",\"kind\":\"MARKET\"}";
    try (GatewayProcess first = startWithDataDir(data, dir.resolve("first.out"))) {
      int port = Integer.parseInt(first.awaitOutput(HEALTH_PORT));
      first.awaitReady(port);
      assertThat(first.output()).contains("Seeded the demo assembly");
      HttpResponse<String> created = admin(port, "POST", market);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      first.interrupt();
      assertThat(first.awaitExit(STOP_TIMEOUT)).isEqualTo(EXIT_AFTER_SIGINT);
      assertThat(first.output()).contains("Demo stopped; data kept in " + data);
      assertThat(GatewayProcess.portInUse(port)).isFalse();
    }
    assertThat(Files.isDirectory(data)).as("kept after Ctrl-C").isTrue();

    try (GatewayProcess second = startWithDataDir(data, dir.resolve("second.out"))) {
      int port = Integer.parseInt(second.awaitOutput(HEALTH_PORT));
      second.awaitReady(port);
      assertThat(second.output())
          .as("not seeded a second time")
          .contains("Found the demo assembly")
          .contains("50 traders");
      HttpResponse<String> markets = admin(port, "GET", null);
      assertThat(markets.statusCode()).isEqualTo(200);
      assertThat(markets.body()).contains("\"code\":\"KEPT1\"").contains("Makola");

      second.interrupt();
      assertThat(second.awaitExit(STOP_TIMEOUT)).isEqualTo(EXIT_AFTER_SIGINT);
    }
    assertThat(Files.isDirectory(data)).isTrue();
  }

  private static boolean postmasterGone(long pid, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (!alive || isZombie(pid)) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) STATE ...: the state follows the last ')'.
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private static GatewayProcess startWithDataDir(Path data, Path out) throws Exception {
    return GatewayProcess.start(
        List.of("-Xmx256m"),
        List.of(
            "demo",
            "--port",
            Integer.toString(GatewayProcess.freePort()),
            "--data-dir",
            data.toString()),
        Map.of(),
        out);
  }

  private HttpResponse<String> admin(int port, String method, String body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/assemblies/AMA/markets"))
            .header("Authorization", "Bearer demo-platform-key")
            .timeout(Duration.ofSeconds(30));
    if (body == null) {
      r.GET();
    } else {
      r.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
