package org.assemblypay.session.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * A real Redis for tests: {@code GATEWAY_TEST_REDIS_URL} when set, else one embedded Redis started
 * once per JVM. Tests share it, so each run uses its own {@link #randomKeyPrefix() key prefix}.
 */
public final class TestRedis {

  /** The environment variable naming an external Redis, e.g. {@code redis://127.0.0.1:6379}. */
  public static final String URL_VARIABLE = "GATEWAY_TEST_REDIS_URL";

  private static String url;

  private TestRedis() {}

  /** The URL of the test Redis, starting the embedded one on first use if none is configured. */
  public static synchronized String url() {
    if (url != null) {
      return url;
    }
    String configured = System.getenv(URL_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      url = configured.trim();
      return url;
    }
    int port = freePort();
    try {
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .build();
      server.start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.stop();
                    } catch (IOException e) {
                      // The JVM is exiting; the child process dies with it.
                    }
                  },
                  "embedded-redis-stop"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not start an embedded Redis on port " + port, e);
    }
    url = "redis://127.0.0.1:" + port;
    return url;
  }

  /** A fresh key prefix, unique to this call, so parallel test runs never see each other's keys. */
  public static String randomKeyPrefix() {
    return "test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
