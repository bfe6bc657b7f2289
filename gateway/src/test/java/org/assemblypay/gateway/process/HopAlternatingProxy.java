package org.assemblypay.gateway.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The load balancer of the two-node test: an HTTP-aware proxy on 127.0.0.1 that sends hop {@code k}
 * of a USSD session to node {@code (hash(sessionId) + k) mod n}, so consecutive hops of every
 * session alternate between nodes (a plain round robin would not guarantee that under concurrent
 * load). Like nginx's {@code proxy_next_upstream error}, a request whose connection is refused goes
 * to the next node and the refusing node is left out for a while; a POST that reached a node which
 * then died is answered 502 and not re-sent (it may have run).
 */
final class HopAlternatingProxy implements AutoCloseable {
  private static final long DOWN_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(64);
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final List<URI> backends;
  private final long[] downUntil;
  private final AtomicLongArray served;
  private final AtomicLong failedOver = new AtomicLong();
  private final AtomicLong badGateway = new AtomicLong();
  private final AtomicLong roundRobin = new AtomicLong();
  private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> inFlight =
      new java.util.concurrent.ConcurrentHashMap<>();

  private HopAlternatingProxy(List<URI> backends) throws IOException {
    this.backends = List.copyOf(backends);
    this.downUntil = new long[backends.size()];
    this.served = new AtomicLongArray(backends.size());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  static HopAlternatingProxy start(List<URI> backends) throws IOException {
    return new HopAlternatingProxy(backends);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Requests node {@code i} answered. */
  long served(int i) {
    return served.get(i);
  }

  /** Requests sent on to another node because theirs refused the connection. */
  long failedOver() {
    return failedOver.get();
  }

  /** Requests answered 502 because the node died with them. */
  long badGateway() {
    return badGateway.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int first = preferredBackend(exchange, body);
      for (int attempt = 0; attempt < backends.size(); attempt++) {
        int b = (first + attempt) % backends.size();
        if (attempt == 0 && isDown(b) && backends.size() > 1) {
          continue;
        }
        AtomicLong busy =
            inFlight.computeIfAbsent(b + "/" + hopOf(exchange, body), k -> new AtomicLong());
        busy.incrementAndGet();
        try {
          HttpResponse<byte[]> response = forward(exchange, body, backends.get(b));
          served.incrementAndGet(b);
          reply(
              exchange,
              response.statusCode(),
              response.headers().firstValue("Content-Type"),
              response.body());
          return;
        } catch (ConnectException | HttpConnectTimeoutException e) {
          markDown(b);
          failedOver.incrementAndGet();
        } catch (IOException e) {
          markDown(b);
          badGateway.incrementAndGet();
          reply(exchange, 502, java.util.Optional.of("text/plain"), bytes("node failed"));
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          reply(exchange, 502, java.util.Optional.of("text/plain"), bytes("interrupted"));
          return;
        } finally {
          busy.decrementAndGet();
        }
      }
      badGateway.incrementAndGet();
      reply(exchange, 502, java.util.Optional.of("text/plain"), bytes("no node up"));
    }
  }

  /** USSD requests now waiting on node {@code backend} for hop {@code hop} of their session. */
  long inFlight(int backend, int hop) {
    AtomicLong n = inFlight.get(backend + "/" + hop);
    return n == null ? 0 : n.get();
  }

  /** The hop index of a USSD request (0 = the dial), or -1 for any other request. */
  private static int hopOf(HttpExchange exchange, byte[] body) {
    if (!exchange.getRequestURI().getPath().startsWith("/ussd/")) {
      return -1;
    }
    String text = form(new String(body, StandardCharsets.UTF_8)).getOrDefault("text", "");
    return text.isEmpty() ? 0 : text.split("\\*", -1).length;
  }

  private int preferredBackend(HttpExchange exchange, byte[] body) {
    if (exchange.getRequestURI().getPath().startsWith("/ussd/")) {
      Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
      String session = form.get("sessionId");
      if (session != null) {
        String text = form.getOrDefault("text", "");
        int hop = text.isEmpty() ? 0 : text.split("\\*", -1).length;
        return Math.floorMod(session.hashCode() + hop, backends.size());
      }
    }
    return (int) Math.floorMod(roundRobin.getAndIncrement(), (long) backends.size());
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body, URI backend)
      throws IOException, InterruptedException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(backend.resolve(exchange.getRequestURI().toString()))
            .timeout(Duration.ofSeconds(20))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    for (String h : List.of("Content-Type", "Authorization", "Accept")) {
      String v = exchange.getRequestHeaders().getFirst(h);
      if (v != null) {
        r.header(h, v);
      }
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private synchronized boolean isDown(int b) {
    return downUntil[b] - System.nanoTime() > 0;
  }

  private synchronized void markDown(int b) {
    downUntil[b] = System.nanoTime() + DOWN_NANOS;
  }

  private static void reply(
      HttpExchange exchange, int status, java.util.Optional<String> type, byte[] body)
      throws IOException {
    type.ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> values = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
