package org.assemblypay.bench.ussd;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The "bare Vert.x server doing one Redis read and write per request", built to measure
 * what this machine gives such a server: no gateway code, only a Vert.x HTTP server per core and
 * Lettuce, the gateway's Redis client.
 *
 * <p>Every {@code POST} takes an Africa's Talking form, reads the key of its {@code sessionId}
 * (GET), writes the newest text back under it with a 180 s expiry (SET EX), and answers {@code CON}
 * or, on a journey's fifth step (three {@code *} in the text), {@code END}, so that {@link
 * UssdLoadBenchmark} with {@code -Dbench.check=none} can drive it exactly as it drives the gateway.
 *
 * <p>Usage: {@code BareRedisServer <port> <redisUrl> [eventLoops, default the CPU count]}.
 */
public final class BareRedisServer {
  private static final SetArgs EXPIRY = SetArgs.Builder.ex(180);

  private BareRedisServer() {}

  /** Starts the server and serves until the process is stopped. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String redisUrl = args[1];
    int loops =
        args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    RedisClient redis = RedisClient.create(redisUrl);
    StatefulRedisConnection<String, String> connection = redis.connect();
    RedisAsyncCommands<String, String> commands = connection.async();
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            () -> new Instance(port, commands), new DeploymentOptions().setInstances(loops))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    System.out.printf(
        "bare Vert.x + Redis server on 127.0.0.1:%d, %d event loops, pid %d%n",
        port, loops, ProcessHandle.current().pid());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    stop.await();
    vertx.close();
    connection.close();
    redis.shutdown();
  }

  /** One HTTP server on its own event loop. */
  private static final class Instance extends VerticleBase {
    private final int port;
    private final RedisAsyncCommands<String, String> commands;

    Instance(int port, RedisAsyncCommands<String, String> commands) {
      this.port = port;
      this.commands = commands;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
          .requestHandler(this::handle)
          .listen();
    }

    private void handle(HttpServerRequest request) {
      request
          .body()
          .onSuccess(body -> hop(request, body))
          .onFailure(e -> request.response().setStatusCode(400).end());
    }

    private void hop(HttpServerRequest request, Buffer body) {
      String form = body.toString(StandardCharsets.US_ASCII);
      String key = "bare:" + field(form, "sessionId");
      String text = field(form, "text");
      commands
          .get(key)
          .thenCompose(previous -> commands.set(key, text, EXPIRY))
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  request.response().setStatusCode(503).end();
                } else {
                  boolean last = text.chars().filter(c -> c == '*').count() == 3;
                  request
                      .response()
                      .putHeader("content-type", "text/plain")
                      .end(last ? "END done" : "CON step");
                }
              });
    }

    private static String field(String form, String name) {
      int at = form.startsWith(name + "=") ? 0 : form.indexOf("&" + name + "=");
      if (at < 0) {
        return "";
      }
      int start = form.indexOf('=', at) + 1;
      int end = form.indexOf('&', start);
      return URLDecoder.decode(
          end < 0 ? form.substring(start) : form.substring(start, end), StandardCharsets.UTF_8);
    }
  }
}
