package org.assemblypay.session.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import redis.embedded.RedisServer;

/**
 * A real Redis Cluster for tests: the seed URLs in {@code GATEWAY_TEST_REDIS_CLUSTER_URLS}
 * (comma-separated) when set, else three embedded masters sharing the 16384 slots, started once per
 * JVM.
 */
public final class TestRedisCluster {

  /** The environment variable naming an external cluster's seed URLs. */
  public static final String URLS_VARIABLE = "GATEWAY_TEST_REDIS_CLUSTER_URLS";

  private static final int MASTERS = 3;
  private static final int SLOTS = 16384;
  private static List<String> urls;

  private TestRedisCluster() {}

  /** Seed URLs of the test cluster, starting the embedded one on first use. */
  public static synchronized List<String> seedUrls() {
    if (urls != null) {
      return urls;
    }
    String configured = System.getenv(URLS_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      urls = List.of(configured.trim().split("\\s*,\\s*"));
      return urls;
    }
    try {
      urls = startEmbedded();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start an embedded Redis Cluster", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a Redis Cluster", e);
    }
    return urls;
  }

  private static List<String> startEmbedded() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("redis-cluster");
    List<Integer> ports = new ArrayList<>();
    List<RedisServer> servers = new ArrayList<>();
    for (int i = 0; i < MASTERS; i++) {
      int port = freePortWithFreeBus(ports);
      ports.add(port);
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("cluster-enabled yes")
              .setting("cluster-config-file nodes-" + port + ".conf")
              .setting("dir " + dir)
              .setting("save \"\"")
              .setting("appendonly no")
              .build();
      server.start();
      servers.add(server);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (RedisServer server : servers) {
                    try {
                      server.stop();
                    } catch (IOException e) {
                      // The JVM is exiting; the child processes die with it.
                    }
                  }
                },
                "embedded-redis-cluster-stop"));
    List<RedisClient> clients = new ArrayList<>();
    List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + ports.get(i));
        clients.add(client);
        connections.add(client.connect());
      }
      int perNode = SLOTS / MASTERS;
      for (int i = 0; i < MASTERS; i++) {
        int from = i * perNode;
        int to = i == MASTERS - 1 ? SLOTS : from + perNode;
        connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
      }
      for (int i = 1; i < MASTERS; i++) {
        connections.get(0).sync().clusterMeet("127.0.0.1", ports.get(i));
      }
      awaitClusterOk(connections);
    } finally {
      connections.forEach(StatefulRedisConnection::close);
      clients.forEach(RedisClient::shutdown);
    }
    return ports.stream().map(port -> "redis://127.0.0.1:" + port).toList();
  }

  /** Gossip takes a moment; wait (bounded) until every node sees all slots served. */
  private static void awaitClusterOk(List<StatefulRedisConnection<String, String>> connections)
      throws InterruptedException {
    for (int attempt = 0; attempt < 300; attempt++) {
      boolean ok = true;
      for (StatefulRedisConnection<String, String> connection : connections) {
        RedisCommands<String, String> sync = connection.sync();
        String info = sync.clusterInfo();
        ok &=
            info.contains("cluster_state:ok")
                && info.contains("cluster_known_nodes:" + connections.size());
      }
      if (ok) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("embedded Redis Cluster did not reach cluster_state:ok");
  }

  private static int freePortWithFreeBus(List<Integer> taken) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (!taken.contains(port) && free(port) && free(port + 10_000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair for a Redis Cluster node");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
