package org.assemblypay.session.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** Start-up connection to Redis: a timeout per attempt, retries with back-off, one clear line. */
class RedisConnectTest {

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void nobodyListeningFailsAfterEveryAttemptWithOneLineAndNoPassword() throws Exception {
    int port = freePort();
    List<Long> pauses = new ArrayList<>();
    RedisSessionStoreConfig config =
        RedisSessionStoreConfig.standalone("redis://:s3cret@127.0.0.1:" + port).withConnect(500, 3);
    assertThatThrownBy(() -> RedisSessionStore.connect(config, pauses::add))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageStartingWith(
            "cannot connect to the Redis session store at 127.0.0.1:"
                + port
                + " after 3 attempt(s) of up to 500 ms each: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("\n"));
    assertThat(pauses).containsExactly(250L, 500L);
  }

  @Test
  void aServerThatNeverAnswersTheHandshakeCountsAsAFailedAttempt() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException e) {
                  // closed at the end of the test
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      List<Long> pauses = new ArrayList<>();
      RedisSessionStoreConfig config =
          RedisSessionStoreConfig.standalone("redis://127.0.0.1:" + silent.getLocalPort())
              .withConnect(300, 2);
      assertThatThrownBy(() -> RedisSessionStore.connect(config, pauses::add))
          .isInstanceOf(RedisUnavailableException.class)
          .hasMessageContaining("after 2 attempt(s) of up to 300 ms each");
      assertThat(pauses).containsExactly(250L);
    }
  }

  @Test
  void aRedisThatComesUpDuringTheRetriesIsUsed() throws Exception {
    int port = freePort();
    List<RedisServer> started = new ArrayList<>();
    List<Long> pauses = new ArrayList<>();
    RedisSessionStore.Pause startRedisOnFirstPause =
        millis -> {
          pauses.add(millis);
          if (started.isEmpty()) {
            try {
              RedisServer server =
                  RedisServer.newRedisServer()
                      .port(port)
                      .bind("127.0.0.1")
                      .setting("save \"\"")
                      .setting("appendonly no")
                      .build();
              server.start();
              started.add(server);
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    try (RedisSessionStore store =
        RedisSessionStore.connect(
            RedisSessionStoreConfig.standalone("redis://127.0.0.1:" + port).withConnect(2_000, 4),
            startRedisOnFirstPause)) {
      assertThat(pauses).containsExactly(250L);
      assertThat(store.load("no-such-session").toCompletableFuture().get()).isEmpty();
    } finally {
      for (RedisServer s : started) {
        s.stop();
      }
    }
  }
}
