package org.assemblypay.ussd.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A feature phone talking to the front through one aggregator's wire format (test support). */
public final class Phone {

  public static final String SECRET = "s3cret";
  public static final String SERVICE_CODE = "*713*44#";

  /** A screen as the phone shows it. */
  public record Screen(boolean continues, String text) {}

  private final UssdFront front;
  private final String dialect;
  private final String msisdn;
  private final String sessionId = "sess-" + UUID.randomUUID();
  private String cumulative = "";
  private int sequence;
  private DialectRequest last;
  private final Runnable pause;
  private final String serviceCode;

  /** A phone whose user takes {@code pause} (e.g. moving a test clock) before each input. */
  public Phone(UssdFront front, String dialect, String msisdn, Runnable pause) {
    this(front, dialect, msisdn, SERVICE_CODE, pause);
  }

  /**
   * A phone dialling an assembly whose base code is {@code serviceCode} (e.g. {@code *713*44#}).
   */
  public Phone(UssdFront front, String dialect, String msisdn, String serviceCode, Runnable pause) {
    this.pause = pause;
    this.front = front;
    this.dialect = dialect;
    this.msisdn = msisdn;
    this.serviceCode = serviceCode;
  }

  public String sessionId() {
    return sessionId;
  }

  public Screen dial(String dialString) {
    String extra = dialString.equals(serviceCode) ? "" : extraDigits(dialString);
    sequence = 1;
    last =
        switch (dialect) {
          case "africastalking" -> {
            cumulative = extra;
            yield form(cumulative);
          }
          case "hubtel" -> hubtel("Initiation", dialString);
          case "nalo" -> nalo(true, dialString);
          case "arkesel" -> arkesel(true, dialString);
          default -> throw new IllegalArgumentException(dialect);
        };
    return send(last);
  }

  public Screen type(String input) {
    pause.run();
    return send(prepare(input));
  }

  /** Builds the request for the next input without sending it. */
  public DialectRequest prepare(String input) {
    sequence++;
    last =
        switch (dialect) {
          case "africastalking" -> {
            cumulative = cumulative.isEmpty() ? input : cumulative + "*" + input;
            yield form(cumulative);
          }
          case "hubtel" -> hubtel("Response", input);
          case "nalo" -> nalo(false, input);
          case "arkesel" -> arkesel(false, input);
          default -> throw new IllegalArgumentException(dialect);
        };
    return last;
  }

  /** The aggregator retries the last request unchanged. */
  public Screen retry() {
    return send(last);
  }

  public DialectRequest lastRequest() {
    return last;
  }

  private String extraDigits(String dialString) {
    String base = serviceCode.substring(0, serviceCode.length() - 1);
    return dialString.substring(base.length() + 1, dialString.length() - 1);
  }

  public java.util.concurrent.CompletableFuture<DialectResponse> sendAsync(DialectRequest request) {
    return front.handle(dialect, request).toCompletableFuture();
  }

  public Screen send(DialectRequest request) {
    DialectResponse response;
    try {
      response = front.handle(dialect, request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(response.status()).isEqualTo(200);
    return read(response);
  }

  public Screen read(DialectResponse response) {
    String body = response.bodyText();
    if (dialect.equals("africastalking")) {
      assertThat(response.contentType()).startsWith("text/plain");
      assertThat(body).matches("(?s)(CON|END) .*");
      return new Screen(body.startsWith("CON "), body.substring(4));
    }
    JsonNode json = Json.object(response.body()).orElseThrow();
    return switch (dialect) {
      case "hubtel" ->
          new Screen(json.get("Type").asText().equals("Response"), json.get("Message").asText());
      case "nalo" -> new Screen(json.get("MSGTYPE").asBoolean(), json.get("MSG").asText());
      case "arkesel" ->
          new Screen(json.get("continueSession").asBoolean(), json.get("message").asText());
      default -> throw new IllegalArgumentException(dialect);
    };
  }

  private DialectRequest form(String text) {
    String body =
        "sessionId="
            + enc(sessionId)
            + "&serviceCode="
            + enc(serviceCode)
            + "&phoneNumber="
            + enc("+" + msisdn)
            + "&networkCode=62001&text="
            + enc(text);
    return new DialectRequest(
        "application/x-www-form-urlencoded",
        Map.of("X-Ussd-Secret", SECRET),
        body.getBytes(StandardCharsets.UTF_8),
        "10.0.0.1");
  }

  private DialectRequest hubtel(String type, String message) {
    return json(
        Json.newObject()
            .put("Type", type)
            .put("Mobile", msisdn)
            .put("SessionId", sessionId)
            .put("ServiceCode", serviceCode)
            .put("Message", message)
            .put("Operator", "mtn")
            .put("Sequence", sequence)
            .put("ClientState", ""));
  }

  private DialectRequest nalo(boolean first, String data) {
    return json(
        Json.newObject()
            .put("USERID", "nalo_user")
            .put("MSISDN", msisdn)
            .put("USERDATA", data)
            .put("MSGTYPE", first)
            .put("NETWORK", "MTN")
            .put("SESSIONID", sessionId));
  }

  private DialectRequest arkesel(boolean first, String data) {
    return json(
        Json.newObject()
            .put("sessionID", sessionId)
            .put("userID", "ark_user")
            .put("newSession", first)
            .put("msisdn", msisdn)
            .put("userData", data)
            .put("network", "MTN"));
  }

  public static DialectRequest json(JsonNode node) {
    return new DialectRequest(
        "application/json", Map.of("X-Ussd-Secret", SECRET), Json.bytes(node), "10.0.0.1");
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
