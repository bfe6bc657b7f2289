package org.assemblypay.ussd.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assemblypay.ussd.ScreenBudget;
import org.assemblypay.ussd.TestMenu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests an aggregator (or an attacker) gets wrong: each a clear 4xx or END, nothing stored. */
class FrontBadInputTest {

  private final TestMenu menu = new TestMenu();
  private final UssdFront front =
      new UssdFront(
          menu.engine,
          List.of(
              AggregatorConfig.of("africastalking", Phone.SECRET),
              AggregatorConfig.of("hubtel", Phone.SECRET),
              AggregatorConfig.of("nalo", Phone.SECRET).withServiceCode(Phone.SERVICE_CODE),
              AggregatorConfig.of("arkesel", Phone.SECRET)
                  .withServiceCode(Phone.SERVICE_CODE)
                  .withAllowedAddresses(Set.of("10.0.0.1"))),
          Dialects.standard());

  @AfterEach
  void close() {
    menu.close();
  }

  private DialectResponse send(String route, DialectRequest request) {
    try {
      return front.handle(route, request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static DialectRequest json(String body) {
    return new DialectRequest(
        "application/json",
        Map.of("X-Ussd-Secret", Phone.SECRET),
        body.getBytes(StandardCharsets.UTF_8),
        "10.0.0.1");
  }

  private static DialectRequest form(String body) {
    return new DialectRequest(
        "application/x-www-form-urlencoded",
        Map.of("x-ussd-secret", Phone.SECRET),
        body.getBytes(StandardCharsets.UTF_8),
        "10.0.0.1");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("hubtel", json("{not json")),
        Arguments.of("hubtel", json("[1,2]")),
        Arguments.of("hubtel", json("")),
        Arguments.of("hubtel", json("{\"Type\":\"Initiation\",\"Mobile\":\"233244000001\"}")),
        Arguments.of(
            "hubtel",
            json("{\"Type\":\"Bogus\",\"Mobile\":\"233244000001\",\"SessionId\":\"bad-1\"}")),
        Arguments.of(
            "hubtel",
            json(
                "{\"Type\":\"Response\",\"Mobile\":\"233244000001\",\"SessionId\":\"bad-1\","
                    + "\"Sequence\":\"two\"}")),
        Arguments.of("nalo", json("{\"MSISDN\":\"233244000001\",\"USERDATA\":\"1\"}")),
        Arguments.of("nalo", json("{\"SESSIONID\":\"bad-1\",\"MSGTYPE\":true}")),
        Arguments.of("arkesel", json("{\"sessionID\":\"bad-1\",\"msisdn\":\"233244000001\"}")),
        Arguments.of("arkesel", json("{\"sessionID\":{\"x\":1},\"newSession\":true}")),
        Arguments.of("africastalking", form("serviceCode=*713*44%23&phoneNumber=0244000001")),
        Arguments.of("africastalking", form("sessionId=bad-1&phoneNumber=%ZZ&serviceCode=x")),
        Arguments.of(
            "africastalking",
            new DialectRequest(
                "application/json",
                Map.of("X-Ussd-Secret", Phone.SECRET),
                "{}".getBytes(StandardCharsets.UTF_8),
                "10.0.0.1")));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedBodiesAndMissingFieldsGet400AndWriteNothing(String route, DialectRequest request) {
    DialectResponse response = send(route, request);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).isEqualTo("application/json");
    JsonNode error = Json.object(response.body()).orElseThrow();
    assertThat(error.get("error").asText()).isEqualTo("bad_request");
    assertThat(error.get("message").asText()).isNotBlank();
    assertNothingStored();
  }

  @Test
  void aOneMebibyteBodyGets413() {
    byte[] huge = new byte[1024 * 1024];
    Arrays.fill(huge, (byte) 'a');
    DialectResponse response =
        send(
            "hubtel",
            new DialectRequest(
                "application/json", Map.of("X-Ussd-Secret", Phone.SECRET), huge, "10.0.0.1"));
    assertThat(response.status()).isEqualTo(413);
    assertNothingStored();
  }

  @Test
  void anUnknownDialectGets404() {
    assertThat(send("mtn-direct", json("{}")).status()).isEqualTo(404);
    assertThat(send(null, json("{}")).status()).isEqualTo(404);
  }

  @Test
  void aWrongOrMissingSecretGets401() {
    String body =
        "{\"Type\":\"Initiation\",\"Mobile\":\"233244000001\",\"SessionId\":\"bad-1\","
            + "\"ServiceCode\":\"*713*44#\",\"Message\":\"*713*44#\",\"Sequence\":1}";
    DialectRequest wrong =
        new DialectRequest(
            "application/json",
            Map.of("X-Ussd-Secret", "s3cres"),
            body.getBytes(StandardCharsets.UTF_8),
            "10.0.0.1");
    DialectRequest missing =
        new DialectRequest(
            "application/json", Map.of(), body.getBytes(StandardCharsets.UTF_8), "10.0.0.1");
    assertThat(send("hubtel", wrong).status()).isEqualTo(401);
    assertThat(send("hubtel", missing).status()).isEqualTo(401);
    assertNothingStored();
    assertThat(send("hubtel", json(body)).status()).isEqualTo(200);
    assertThat(load("bad-1")).isPresent();
  }

  @Test
  void anAddressOutsideTheAllowListGets403() {
    String body =
        "{\"sessionID\":\"bad-1\",\"userID\":\"u\",\"newSession\":true,"
            + "\"msisdn\":\"233244000001\",\"userData\":\"*713*44#\",\"network\":\"MTN\"}";
    DialectRequest elsewhere =
        new DialectRequest(
            "application/json",
            Map.of("X-Ussd-Secret", Phone.SECRET),
            body.getBytes(StandardCharsets.UTF_8),
            "192.0.2.9");
    assertThat(send("arkesel", elsewhere).status()).isEqualTo(403);
    assertNothingStored();
  }

  @Test
  void aForeignNumberGetsTheDialectsEndAndNothingIsStored() {
    DialectResponse at =
        send(
            "africastalking",
            form(
                "sessionId=bad-1&serviceCode=*713*44%23&phoneNumber=%2B2348031234567"
                    + "&networkCode=62001&text="));
    assertThat(at.status()).isEqualTo(200);
    assertThat(at.bodyText()).isEqualTo("END This service is only for Ghanaian mobile numbers.");
    DialectResponse nalo =
        send(
            "nalo",
            json(
                "{\"USERID\":\"u\",\"MSISDN\":\"447700900123\",\"USERDATA\":\"*713*44#\","
                    + "\"MSGTYPE\":true,\"NETWORK\":\"MTN\",\"SESSIONID\":\"bad-1\"}"));
    JsonNode reply = Json.object(nalo.body()).orElseThrow();
    assertThat(reply.get("MSGTYPE").asBoolean()).isFalse();
    assertThat(reply.get("MSISDN").asText()).isEqualTo("447700900123");
    DialectResponse garbage =
        send(
            "hubtel",
            json("{\"Type\":\"Initiation\",\"Mobile\":\"not-a-phone\",\"SessionId\":\"bad-1\"}"));
    assertThat(Json.object(garbage.body()).orElseThrow().get("Type").asText()).isEqualTo("Release");
    assertNothingStored();
  }

  @Test
  void aRouteMayHaveItsOwnBudget() {
    UssdFront narrow =
        new UssdFront(
            menu.engine,
            List.of(
                AggregatorConfig.of("africastalking", null).withBudget(new ScreenBudget(40, 30))),
            Dialects.standard());
    DialectResponse response;
    try {
      response =
          narrow
              .handle(
                  "africastalking",
                  form(
                      "sessionId=narrow-1&serviceCode=*713*44%23&phoneNumber=0244000001"
                          + "&text="))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(response.bodyText()).isEqualTo("CON Welcome Ama\n1. Check balance\n98. More");
  }

  private Optional<?> load(String sessionId) {
    return menu.store.load(sessionId).toCompletableFuture().join();
  }

  private void assertNothingStored() {
    assertThat(load("bad-1")).isEmpty();
    assertThat(menu.store.lastSession("233244000001").toCompletableFuture().join()).isEmpty();
    assertThat(menu.registry.get("ussd.session.store.size").gauge().value()).isZero();
  }
}
