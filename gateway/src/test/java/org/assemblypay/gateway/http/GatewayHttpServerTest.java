package org.assemblypay.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One port, one server instance per core (D193): new connections land on different event loops. */
class GatewayHttpServerTest {
  private final Vertx vertx = Vertx.vertx();
  private GatewayHttpServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void connectionsAreSpreadOverOneEventLoopPerCore() throws Exception {
    server =
        GatewayHttpServer.start(
            vertx,
            "127.0.0.1",
            0,
            List.of(
                router ->
                    router
                        .get("/thread")
                        .handler(ctx -> ctx.response().end(Thread.currentThread().getName()))));
    int expected =
        Math.min(GatewayHttpServer.MAX_INSTANCES, Runtime.getRuntime().availableProcessors());
    assertThat(server.instances()).isEqualTo(expected);
    Set<String> threads = new HashSet<>();
    for (int i = 0; i < 4 * expected; i++) {
      threads.add(threadOfNewConnection(server.port()));
    }
    assertThat(threads).hasSize(expected).allMatch(name -> name.startsWith("vert.x-eventloop"));
  }

  /** One request on a fresh connection; the body names the thread that answered it. */
  private static String threadOfNewConnection(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /thread HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }
}
