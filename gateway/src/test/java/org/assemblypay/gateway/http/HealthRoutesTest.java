package org.assemblypay.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assemblypay.gateway.health.Readiness;
import org.assemblypay.gateway.health.ReadinessCheck;
import org.assemblypay.gateway.runtime.BoundedWorkers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthRoutesTest {
  private final AtomicBoolean databaseUp = new AtomicBoolean(true);
  private final HttpClient client = HttpClient.newHttpClient();
  private Vertx vertx;
  private GatewayHttpServer server;
  private ExecutorService workers;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("ussd_hops_test").increment();
    workers = BoundedWorkers.create("test-workers", 2, 10, registry);
    ReadinessCheck database =
        new ReadinessCheck() {
          @Override
          public String name() {
            return "database";
          }

          @Override
          public String check() {
            if (!databaseUp.get()) {
              throw new IllegalStateException("connection refused");
            }
            return "ok";
          }
        };
    Readiness readiness = new Readiness(List.of(database), workers, 1_000);
    server =
        GatewayHttpServer.start(
            vertx, "127.0.0.1", 0, List.of(new HealthRoutes(vertx, readiness, registry)));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    workers.shutdownNow();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void livenessNeedsNothing() throws Exception {
    databaseUp.set(false);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void readinessFollowsTheDependencies() throws Exception {
    HttpResponse<String> up = get("/health/ready");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).contains("\"database\":{\"status\":\"UP\"");

    databaseUp.set(false);
    HttpResponse<String> down = get("/health/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("connection refused");
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(metrics.body())
        .contains("ussd_hops_test_total 1.0")
        .contains("executor_queued_tasks");
  }

  @Test
  void unknownPathsGetAJsonNotFound() throws Exception {
    HttpResponse<String> missing = get("/no/such/thing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("\"code\":\"not_found\"");
  }
}
