package org.assemblypay.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files (Dockerfile, docker-compose.yml, deploy/, k8s/) are not built or applied on
 * the development machines (no Docker engine, no cluster), so this checks what can be checked
 * without one: they parse, the image runs as a non-root user, the probes point at {@code
 * /health/live} and {@code /health/ready}, the load balancer knows both nodes, every secret they
 * name exists, and the gateway's own config loader accepts the configuration and environment they
 * give a node.
 */
class DeploymentFilesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String UID = "10001";

  @Test
  void theImageIsMultiStageAndRunsAsANonRootUser() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
    List<Integer> froms = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ")) {
        froms.add(i);
      }
    }
    assertThat(froms).as("build and run stages").hasSizeGreaterThanOrEqualTo(2);
    List<String> runStage = lines.subList(froms.get(froms.size() - 1), lines.size());
    List<String> users = runStage.stream().filter(l -> l.startsWith("USER ")).toList();
    assertThat(users).hasSize(1);
    String user = users.get(0).substring("USER ".length()).trim().split(":")[0];
    assertThat(user).isEqualTo(UID).isNotIn("root", "0");
    assertThat(runStage).anyMatch(l -> l.startsWith("COPY --from="));
    assertThat(runStage).anyMatch(l -> l.startsWith("ENTRYPOINT [\"java\", \"-jar\""));
    assertThat(String.join("\n", runStage)).contains("HEALTHCHECK").contains("/health/live");
    for (String l : runStage) {
      if (l.startsWith("COPY ") && !l.contains("--from=")) {
        String source = l.trim().split("\\s+")[l.trim().split("\\s+").length - 2];
        assertThat(ROOT.resolve(source)).as(l).exists();
      }
    }
  }

  @Test
  void composeRunsTwoHealthCheckedNodesBehindNginxWithSharedDatabaseAndRedis(@TempDir Path tmp)
      throws IOException {
    Map<String, Object> compose = load(ROOT.resolve("docker-compose.yml"));
    Map<String, Object> services = map(compose.get("services"));
    assertThat(services).containsKeys("postgres", "redis", "migrate", "gateway1", "gateway2", "lb");

    for (String node : List.of("gateway1", "gateway2")) {
      Map<String, Object> s = map(services.get(node));
      assertThat(s.get("user")).isEqualTo(UID + ":" + UID);
      assertThat(String.valueOf(map(s.get("healthcheck")).get("test"))).contains("/health/ready");
      assertThat(map(s.get("depends_on"))).containsKeys("migrate", "redis");
      Map<String, String> env = strings(map(s.get("environment")));
      assertThat(env.get("GATEWAY_SESSIONS_REDIS_URL")).isEqualTo("redis://redis:6379");
      assertThat(env.get("GATEWAY_DATABASE_URL")).contains("//postgres:5432/");

      // The node's configuration and environment, as the container sees them, are accepted.
      Map<String, String> hostEnv = new HashMap<>();
      Map<String, Object> secrets = map(compose.get("secrets"));
      env.forEach(
          (k, v) -> {
            if (v.startsWith("/run/secrets/")) {
              String secret = v.substring("/run/secrets/".length());
              assertThat(secrets).as(k).containsKey(secret);
              Path file = ROOT.resolve(String.valueOf(map(secrets.get(secret)).get("file")));
              assertThat(file).as(k).exists();
              hostEnv.put(k, file.toString());
            } else {
              hostEnv.put(k, v);
            }
          });
      GatewayConfig config =
          new ConfigLoader(hostEnv).load(ROOT.resolve("deploy/compose/gateway.yaml"));
      assertThat(config.sessions().store()).isEqualTo("redis");
      assertThat(config.database().password()).isNotBlank();
      assertThat(config.admin().credentials().get(0).keySha256()).matches("[0-9a-f]{64}");
      assertThat(String.valueOf(s.get("volumes"))).contains("deploy/compose/gateway.yaml");
    }
    Map<String, Object> migrate = map(services.get("migrate"));
    assertThat(String.valueOf(migrate.get("command"))).startsWith("[migrate");
    assertThat(map(migrate.get("depends_on"))).containsKey("postgres");

    String nginx = Files.readString(ROOT.resolve("deploy/nginx/gateway.conf"));
    assertThat(String.valueOf(map(services.get("lb")).get("volumes")))
        .contains("./deploy/nginx/gateway.conf");
    assertThat(nginx).contains("server gateway1:8080").contains("server gateway2:8080");
    assertThat(nginx).contains("proxy_next_upstream error timeout;");
  }

  @Test
  void kubernetesProbesSecurityContextAndConfigurationAreConsistent(@TempDir Path tmp)
      throws IOException {
    Map<String, Map<String, Object>> byKind = new HashMap<>();
    List<String> kustomized =
        stringList(load(ROOT.resolve("k8s/kustomization.yaml")).get("resources"));
    for (String file : kustomized) {
      assertThat(ROOT.resolve("k8s").resolve(file)).exists();
    }
    List<Path> manifests = new ArrayList<>();
    try (var files = Files.list(ROOT.resolve("k8s"))) {
      files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(manifests::add);
    }
    for (Path p : manifests) {
      try (Reader r = Files.newBufferedReader(p)) {
        for (Object doc : new Yaml().loadAll(r)) {
          Map<String, Object> m = map(doc);
          if (m.containsKey("kind") && m.containsKey("metadata")) {
            byKind.put(m.get("kind") + "/" + map(m.get("metadata")).get("name"), m);
          }
        }
      }
    }
    assertThat(byKind)
        .containsKeys(
            "Deployment/gateway",
            "Service/gateway",
            "ConfigMap/gateway-config",
            "ConfigMap/gateway-env",
            "Secret/gateway-secrets",
            "PodDisruptionBudget/gateway");

    Map<String, Object> pod =
        map(map(map(byKind.get("Deployment/gateway").get("spec")).get("template")).get("spec"));
    Map<String, Object> podSecurity = map(pod.get("securityContext"));
    assertThat(podSecurity.get("runAsNonRoot")).isEqualTo(true);
    assertThat(String.valueOf(podSecurity.get("runAsUser"))).isEqualTo(UID);

    List<Map<String, Object>> containers = maps(pod.get("containers"));
    Map<String, Object> gateway = containers.get(0);
    assertThat(path(gateway, "livenessProbe")).isEqualTo("/health/live");
    assertThat(path(gateway, "readinessProbe")).isEqualTo("/health/ready");
    assertThat(String.valueOf(gateway.get("ports"))).contains("containerPort=8080");
    List<Map<String, Object>> all = new ArrayList<>(containers);
    all.addAll(maps(pod.get("initContainers")));
    for (Map<String, Object> c : all) {
      Map<String, Object> security = map(c.get("securityContext"));
      assertThat(security.get("allowPrivilegeEscalation")).isEqualTo(false);
      assertThat(security.get("readOnlyRootFilesystem")).isEqualTo(true);
      assertThat(String.valueOf(c.get("envFrom"))).contains("gateway-env");
    }
    assertThat(String.valueOf(maps(pod.get("initContainers")).get(0).get("args")))
        .startsWith("[migrate");

    // The ConfigMap's file with the environment and the example Secret's files is accepted.
    Map<String, String> secretValues =
        strings(map(byKind.get("Secret/gateway-secrets").get("stringData")));
    Map<String, String> env = strings(map(byKind.get("ConfigMap/gateway-env").get("data")));
    Map<String, String> hostEnv = new HashMap<>();
    for (var e : env.entrySet()) {
      String v = e.getValue();
      if (e.getKey().endsWith("_FILE")) {
        assertThat(v).startsWith("/run/secrets/gateway/");
        String key = v.substring("/run/secrets/gateway/".length());
        assertThat(secretValues).as(e.getKey()).containsKey(key);
        Path file = tmp.resolve(key);
        Files.writeString(file, secretValues.get(key));
        hostEnv.put(e.getKey(), file.toString());
      } else if (e.getKey().startsWith("GATEWAY_")) {
        hostEnv.put(e.getKey(), v);
      }
    }
    Path configFile = tmp.resolve("gateway.yaml");
    Files.writeString(
        configFile,
        String.valueOf(
            map(byKind.get("ConfigMap/gateway-config").get("data")).get("gateway.yaml")));
    GatewayConfig config = new ConfigLoader(hostEnv).load(configFile);
    assertThat(config.sessions().store()).isEqualTo("redis");
    assertThat(config.sessions().redisUrl()).startsWith("redis://");
    assertThat(config.payments().providers().get(0).apiKey()).isEqualTo("change-me");
    assertThat(config.smsc().connections().get(0).systemId()).isEqualTo("ama");
    assertThat(String.valueOf(pod.get("volumes"))).contains("secretName=gateway-secrets");
  }

  /** The HTTP path of a container's probe. */
  private static String path(Map<String, Object> container, String probe) {
    return String.valueOf(map(map(container.get(probe)).get("httpGet")).get("path"));
  }

  private static Map<String, Object> load(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return map(new Yaml().load(r));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<Map<String, Object>>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<String> stringList(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<String>) o;
  }

  private static Map<String, String> strings(Map<String, Object> m) {
    Map<String, String> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
