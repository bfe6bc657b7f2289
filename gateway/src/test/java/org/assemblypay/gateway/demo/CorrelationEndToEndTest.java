package org.assemblypay.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.assemblypay.ussd.HopCorrelation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One trader's payment and one collector's cash report through the whole demo gateway (embedded
 * PostgreSQL, the USSD route, the simulated provider's settlement, the SMSC simulator over TCP),
 * read back from the JSON log lines the gateway really writes: every step carries the action's
 * correlation id, and no line shows a full phone number, a PIN or a key.
 */
class CorrelationEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static final String TRADER = "+233244000041";
  static final String COLLECTOR = "0244100001";

  static Demo demo;
  static JsonLines lines;
  static Level previousLevel;
  static Level previousFrontLevel;

  @BeforeAll
  static void start() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("org.assemblypay");
    Logger front = (Logger) LoggerFactory.getLogger("org.assemblypay.ussd.dialect.UssdFront");
    previousLevel = ours.getLevel();
    previousFrontLevel = front.getLevel();
    ours.setLevel(Level.INFO);
    front.setLevel(Level.DEBUG);
    @SuppressWarnings("unchecked")
    Encoder<ILoggingEvent> encoder =
        ((OutputStreamAppender<ILoggingEvent>) root.getAppender("JSON")).getEncoder();
    lines = new JsonLines(encoder);
    lines.setContext(root.getLoggerContext());
    lines.start();
    root.addAppender(lines);
    // An ephemeral port: port 0 means the default 8080 to the gateway, which other runs may hold.
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    demo = Demo.start(port, null);
  }

  @AfterAll
  static void stop() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    try {
      if (demo != null) {
        demo.close();
      }
    } finally {
      root.detachAppender(lines);
      ((Logger) LoggerFactory.getLogger("org.assemblypay")).setLevel(previousLevel);
      ((Logger) LoggerFactory.getLogger("org.assemblypay.ussd.dialect.UssdFront"))
          .setLevel(previousFrontLevel);
    }
  }

  @Test
  void oneIdFollowsTheTraderFromDialToTheReceiptSubmittedToTheSmsc() throws Exception {
    String session = "corr-" + UUID.randomUUID();
    HttpResponse<String> first = hop(session, "");
    assertThat(first.body()).startsWith("CON ");
    String id = first.headers().firstValue("X-Correlation-Id").orElseThrow();
    assertThat(id)
        .matches("u-[0-9a-f]{20}")
        .isEqualTo(HopCorrelation.of("africastalking", session));
    assertThat(hop(session, "2").headers().firstValue("X-Correlation-Id")).contains(id);
    HttpResponse<String> confirm = hop(session, "2*1");
    assertThat(confirm.body()).startsWith("END ");
    assertThat(confirm.headers().firstValue("X-Correlation-Id")).contains(id);

    awaitSms("0244000041", inbox -> inbox.contains("AMA receipt AMA-"));
    List<JsonNode> mine =
        awaitLines(
            id,
            found ->
                has(found, "Message \\d+ submitted on .*")
                    && has(found, "SMS \\d+ delivery report DELIVERED recorded"));

    assertThat(has(mine, "USSD hop answered: route africastalking phone 0244\\*\\*\\*041 .*"))
        .as("each hop")
        .isTrue();
    assertThat(mine.stream().filter(l -> message(l).startsWith("USSD hop answered")).count())
        .isEqualTo(3);
    assertThat(has(mine, "payment started")).as("the payment intent").isTrue();
    assertThat(has(mine, "collection request answered")).as("the provider request").isTrue();
    assertThat(has(mine, "payment settled")).as("the settlement").isTrue();
    assertThat(has(mine, "Message \\d+ submitted on .*")).as("the SMS submit").isTrue();
    // The lines are the gateway's JSON, threads and all: the id crossed the event loop, the
    // action workers, the provider's scheduler, the payment workers and the SMPP responders.
    assertThat(mine.stream().map(l -> l.path("thread_name").asText()).distinct().count())
        .isGreaterThanOrEqualTo(3);

    // The operator's view: the payment's representation names the id; the API echoes a given id.
    String reference =
        mine.stream()
            .filter(l -> message(l).equals("payment started"))
            .map(l -> l.path("reference").asText())
            .findFirst()
            .orElseThrow();
    HttpResponse<String> payment =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/assemblies/AMA/payments/" + reference))
                .header("Authorization", "Bearer " + Demo.DEMO_FINANCE_KEY)
                .header("X-Correlation-Id", "ops-ticket-42")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(payment.statusCode()).isEqualTo(200);
    assertThat(payment.headers().firstValue("X-Correlation-Id")).contains("ops-ticket-42");
    assertThat(JSON.readTree(payment.body()).path("correlationId").asText()).isEqualTo(id);
    for (String given : new String[] {null, "0244000041", "bad id; drop"}) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri("/api/v1/assemblies/AMA/payments/" + reference))
              .header("Authorization", "Bearer " + Demo.DEMO_FINANCE_KEY);
      if (given != null) {
        request.header("X-Correlation-Id", given);
      }
      HttpResponse<String> answered =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(answered.headers().firstValue("X-Correlation-Id").orElseThrow())
          .as("a fresh id when none or an unsafe one is given: %s", given)
          .matches("a-[0-9a-f]{20}");
    }

    assertClean(lines.all());
  }

  @Test
  void aCollectorsSmsCommandHasItsOwnIdThatFollowsTheCashToBothMessages() throws Exception {
    HttpResponse<String> sent =
        http.send(
            HttpRequest.newBuilder(uri("/simulator/api/sms"))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"from\":\"" + COLLECTOR + "\",\"text\":\"PAY AMA-T0005 1.50 1234\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).isEqualTo(202);
    awaitSms(COLLECTOR, inbox -> inbox.contains("Recorded GHS 1.50"));

    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    String id = null;
    List<JsonNode> mine = List.of();
    while (Instant.now().isBefore(deadline)) {
      id =
          lines.all().stream()
              .filter(l -> message(l).matches("SMS command .* of assembly AMA handled"))
              .map(l -> l.path("correlationId").asText(""))
              .filter(s -> s.startsWith("s-"))
              .findFirst()
              .orElse(null);
      if (id != null) {
        String wanted = id;
        mine =
            lines.all().stream()
                .filter(l -> wanted.equals(l.path("correlationId").asText()))
                .toList();
        if (mine.stream().filter(l -> message(l).matches("Message \\d+ submitted on .*")).count()
            >= 2) {
          break;
        }
      }
      Thread.sleep(200);
    }
    assertThat(id).as("the command's id").matches("s-[0-9a-f]{20}");
    // The collector's confirmation and the trader's cash receipt went out under the command's id.
    assertThat(mine.stream().filter(l -> message(l).matches("Message \\d+ submitted on .*")))
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(mine).noneMatch(l -> message(l).startsWith("USSD hop answered"));
    assertClean(lines.all());
  }

  /** No line shows a full phone number, the collector's PIN or an API key. */
  private static void assertClean(List<JsonNode> all) {
    String text = all.toString();
    assertThat(text)
        .doesNotContainPattern("0244000041|233244000041|0244100001|233244100001")
        .doesNotContain("1.50 1234")
        .doesNotContainPattern("(?i)pin\\W{0,3}1234")
        .doesNotContain(Demo.DEMO_FINANCE_KEY)
        .doesNotContain(Demo.DEMO_PLATFORM_KEY);
  }

  private static boolean has(List<JsonNode> lines, String messageRegex) {
    return lines.stream().anyMatch(l -> message(l).matches(messageRegex));
  }

  private static String message(JsonNode line) {
    return line.path("message").asText("");
  }

  /** Waits up to 30 s until the lines carrying {@code id} satisfy {@code done}. */
  private static List<JsonNode> awaitLines(String id, Predicate<List<JsonNode>> done)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    List<JsonNode> mine = List.of();
    while (Instant.now().isBefore(deadline)) {
      mine = lines.all().stream().filter(l -> id.equals(l.path("correlationId").asText())).toList();
      if (done.test(mine)) {
        return mine;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("lines for " + id + " never complete: " + mine);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + demo.httpPort() + path);
  }

  private static HttpResponse<String> hop(String sessionId, String text) throws Exception {
    String form =
        "sessionId="
            + sessionId
            + "&serviceCode="
            + enc(DemoSeed.USSD_CODE)
            + "&phoneNumber="
            + enc(TRADER)
            + "&networkCode=62001&text="
            + enc(text);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/ussd/africastalking"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void awaitSms(String msisdn, Predicate<String> wanted) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    String inbox = "";
    while (Instant.now().isBefore(deadline)) {
      inbox =
          http.send(
                  HttpRequest.newBuilder(uri("/simulator/api/sms?msisdn=" + msisdn)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (wanted.test(inbox)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no matching SMS; inbox: " + inbox);
  }

  /** Encodes each event at once with the gateway's own JSON encoder, as stdout gets it. */
  static final class JsonLines extends AppenderBase<ILoggingEvent> {
    private final Encoder<ILoggingEvent> encoder;
    private final List<JsonNode> lines = new ArrayList<>();

    JsonLines(Encoder<ILoggingEvent> encoder) {
      this.encoder = encoder;
    }

    @Override
    protected void append(ILoggingEvent event) {
      String json = new String(encoder.encode(event), StandardCharsets.UTF_8);
      try {
        lines.add(JSON.readTree(json));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("not a JSON log line: " + json, e);
      }
    }

    List<JsonNode> all() {
      synchronized (this) {
        return List.copyOf(lines);
      }
    }
  }
}
