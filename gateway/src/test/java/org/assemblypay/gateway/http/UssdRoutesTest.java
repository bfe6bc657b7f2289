package org.assemblypay.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.memory.InMemorySessionStore;
import org.assemblypay.ussd.UssdEngine;
import org.assemblypay.ussd.dialect.AggregatorConfig;
import org.assemblypay.ussd.dialect.Dialects;
import org.assemblypay.ussd.dialect.UssdFront;
import org.assemblypay.ussd.menu.MenuLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /ussd/{name}} served ahead of the router (D220) behaves exactly as through the
 * router: every case runs on the plain path ({@code /ussd/africastalking}, which the router never
 * sees) and on a percent-encoded path ({@code /ussd/%61fricastalking}, which only the router
 * decodes).
 */
class UssdRoutesTest {
  private static final String SECRET = "s3cret-for-the-front";
  private static final String MENU =
      """
      start: main
      languages: [en]
      screens:
        main:
          text: hello
          options:
            - {label: bye, next: bye}
        bye:
          text: goodbye
          end: true
      messages:
        en:
          hello: Hello trader
          bye: Leave
          goodbye: Goodbye
      """;

  private static final HttpClient client = HttpClient.newHttpClient();
  private static final ConcurrentLinkedQueue<String> routed = new ConcurrentLinkedQueue<>();
  private static Vertx vertx;
  private static GatewayHttpServer server;
  private static SessionStore store;
  private static ExecutorService workers;

  @BeforeAll
  static void start() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    store = new InMemorySessionStore(SessionStoreSettings.DEFAULTS, Clock.systemUTC(), registry);
    workers = Executors.newFixedThreadPool(2);
    UssdEngine engine =
        UssdEngine.builder()
            .menu(
                MenuLoader.load(
                    new ByteArrayInputStream(MENU.getBytes(StandardCharsets.UTF_8)), "test"))
            .store(store)
            .actionExecutor(workers)
            .meterRegistry(registry)
            .build();
    UssdFront front =
        new UssdFront(
            engine,
            List.of(
                AggregatorConfig.of("africastalking", SECRET),
                AggregatorConfig.of("hubtel", SECRET).withAllowedAddresses(Set.of("10.9.9.9"))),
            Dialects.standard());
    vertx = Vertx.vertx();
    // Records every request the router sees, then lets it through to the real routes.
    Routes spy =
        router ->
            router
                .route()
                .order(-1_000)
                .handler(
                    ctx -> {
                      routed.add(ctx.request().path());
                      ctx.next();
                    });
    server =
        GatewayHttpServer.start(vertx, "127.0.0.1", 0, List.of(spy, new UssdRoutes(vertx, front)));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    workers.shutdownNow();
    store.close();
  }

  private static HttpResponse<String> post(String path, String secret, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      request.header("X-Ussd-Secret", secret);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String form(String sessionId, String text) {
    return "sessionId="
        + sessionId
        + "&serviceCode=*713*44%23&phoneNumber=%2B233244000001&networkCode=62001&text="
        + text;
  }

  private static boolean stored(String sessionId) {
    return store.load(sessionId).toCompletableFuture().join().isPresent();
  }

  /** Whether the router saw a request for this path since the test began. */
  private static boolean sawRouter(String path) {
    return routed.contains(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ussd/africastalking", "/ussd/%61fricastalking"})
  void aHopIsAnsweredWithTheScreenAndItsCorrelationId(String path) throws Exception {
    String session = "rt-" + path.length() + "-" + System.nanoTime();
    HttpResponse<String> first = post(path, SECRET, form(session, ""));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("CON Hello trader\n1. Leave");
    assertThat(first.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    String id = first.headers().firstValue("X-Correlation-Id").orElseThrow();
    HttpResponse<String> second = post(path, SECRET, form(session, "1"));
    assertThat(second.body()).isEqualTo("END Goodbye");
    assertThat(second.headers().firstValue("X-Correlation-Id")).contains(id);
    assertThat(sawRouter(path)).isEqualTo(path.contains("%"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ussd/africastalking", "/ussd/%61fricastalking"})
  void aWrongOrMissingSecretIs401JsonAndWritesNothing(String path) throws Exception {
    String session = "rt-secret-" + System.nanoTime();
    for (String secret : new String[] {null, "", SECRET + "x", SECRET.replace('3', '4')}) {
      HttpResponse<String> refused = post(path, secret, form(session, ""));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("content-type")).contains("application/json");
      assertThat(refused.body()).contains("\"error\":\"unauthorized\"").doesNotContain(SECRET);
    }
    assertThat(stored(session)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ussd/africastalking", "/ussd/%61fricastalking"})
  void anOversizeBodyIs413JsonWhetherDeclaredOrChunkedAndTheConnectionStaysUsable(String path)
      throws Exception {
    String session = "rt-big-" + System.nanoTime();
    String huge = form(session, "1".repeat(1024 * 1024));
    HttpResponse<String> declared = post(path, SECRET, huge);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).contains("\"code\":\"body_too_large\"");
    // No Content-Length: the body arrives in chunks and the limit is found while reading.
    HttpResponse<String> chunked =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("X-Ussd-Secret", SECRET)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (path.contains("%")) {
      // Through the router, Netty's form decoder gives up on the 1 MiB field first: a bare 400.
      assertThat(chunked.statusCode()).isIn(400, 413);
    } else {
      assertThat(chunked.statusCode()).isEqualTo(413);
      assertThat(chunked.body()).contains("\"code\":\"body_too_large\"");
    }
    assertThat(stored(session)).isFalse();
    // Just under the limit is read whole (and is a hop like any other).
    // (Padding fields of 4,000 bytes: the router's form decoder refuses one field over 8 KiB.)
    StringBuilder padded = new StringBuilder(form(session, ""));
    for (int i = 0; padded.length() < AggregatorConfig.DEFAULT_MAX_BODY_BYTES; i++) {
      String field = "&p" + i + "=";
      int room = AggregatorConfig.DEFAULT_MAX_BODY_BYTES - padded.length() - field.length();
      padded.append(field).append("x".repeat(Math.max(0, Math.min(4_000, room))));
    }
    String near = padded.toString();
    assertThat(near.length()).isEqualTo(AggregatorConfig.DEFAULT_MAX_BODY_BYTES);
    HttpResponse<String> fits = post(path, SECRET, near);
    assertThat(fits.statusCode()).isEqualTo(200);
    assertThat(fits.body()).startsWith("CON Hello trader");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ussd/nosuchdialect", "/ussd/nosuch%64ialect"})
  void anUnknownRouteIs404Json(String path) throws Exception {
    HttpResponse<String> unknown = post(path, SECRET, form("rt-unknown", ""));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"error\":\"unknown_dialect\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ussd/africastalking", "/ussd/%61fricastalking"})
  void aMalformedBodyIs400Json(String path) throws Exception {
    HttpResponse<String> garbage = post(path, SECRET, "sessionId=&&&");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("\"error\":\"bad_request\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ussd/hubtel", "/ussd/%68ubtel"})
  void aSourceOutsideTheAllowListIs403Json(String path) throws Exception {
    HttpResponse<String> refused = post(path, SECRET, "{}");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("\"error\":\"forbidden\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ussd/africastalking", "/ussd/africastalking/x", "/ussd/"})
  void otherMethodsAndPathsAreLeftToTheRouter(String path) throws Exception {
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isIn(404, 405);
    assertThat(get.headers().firstValue("content-type")).contains("application/json");
    assertThat(sawRouter(path)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void onlyPlainRouteNamesAreServedAhead() {
    int from = UssdRoutes.PREFIX.length();
    assertThat(UssdRoutes.plainName("/ussd/africastalking", from)).isTrue();
    assertThat(UssdRoutes.plainName("/ussd/nalo_v2-test", from)).isTrue();
    assertThat(UssdRoutes.plainName("/ussd/", from)).isFalse();
    assertThat(UssdRoutes.plainName("/ussd/a/b", from)).isFalse();
    assertThat(UssdRoutes.plainName("/ussd/%61t", from)).isFalse();
    assertThat(UssdRoutes.plainName("/ussd/..", from)).isFalse();
    assertThat(UssdRoutes.plainName("/ussd/" + "a".repeat(65), from)).isFalse();
  }
}
