package org.assemblypay.ussd.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ussd.TestMenu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Africa's Talking cannot send a custom header: its route takes the shared secret from a query
 * parameter of the callback URL it is given ({@code /ussd/africastalking?key=…}).
 */
class SecretInQueryTest {

  private static final String PARAM = "key";
  private static final String BODY =
      "sessionId=q-1&serviceCode=*713*44%23&phoneNumber=0244000001&networkCode=62001&text=";

  private final TestMenu menu = new TestMenu();
  private final UssdFront front =
      new UssdFront(
          menu.engine,
          List.of(AggregatorConfig.of("africastalking", Phone.SECRET).withSecretQueryParam(PARAM)),
          Dialects.standard());

  @AfterEach
  void close() {
    menu.close();
  }

  private DialectResponse send(Map<String, String> headers, Map<String, String> query) {
    try {
      return front
          .handle(
              "africastalking",
              new DialectRequest(
                  "application/x-www-form-urlencoded",
                  headers,
                  BODY.getBytes(StandardCharsets.UTF_8),
                  "127.0.0.1",
                  query))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private boolean stored() {
    return menu.store.load("q-1").toCompletableFuture().join().isPresent();
  }

  @Test
  void theRightSecretInTheQueryIsAccepted() {
    DialectResponse response = send(Map.of(), Map.of(PARAM, Phone.SECRET));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).startsWith("CON Welcome Ama");
    assertThat(stored()).isTrue();
  }

  @Test
  void aWrongSecretIsRefusedAndNothingIsStored() {
    assertThat(send(Map.of(), Map.of(PARAM, Phone.SECRET + "x")).status()).isEqualTo(401);
    assertThat(send(Map.of(), Map.of(PARAM, "")).status()).isEqualTo(401);
    // Same length, one character off.
    String near = Phone.SECRET.substring(0, Phone.SECRET.length() - 1) + "?";
    assertThat(send(Map.of(), Map.of(PARAM, near)).status()).isEqualTo(401);
    assertThat(stored()).isFalse();
  }

  @Test
  void aMissingSecretIsRefusedEvenWhenSentInTheHeaderOrUnderAnotherName() {
    DialectResponse none = send(Map.of(), Map.of());
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.bodyText()).doesNotContain(Phone.SECRET);
    // The route reads the query parameter only: the header that other routes use does not count.
    assertThat(send(Map.of("X-Ussd-Secret", Phone.SECRET), Map.of()).status()).isEqualTo(401);
    assertThat(send(Map.of(), Map.of("KEY", Phone.SECRET)).status()).isEqualTo(401);
    assertThat(stored()).isFalse();
  }

  @Test
  void theSecretNeverAppearsWhenTheRouteOrRequestIsPrinted() {
    AggregatorConfig route =
        AggregatorConfig.of("africastalking", Phone.SECRET).withSecretQueryParam(PARAM);
    assertThat(route.toString()).doesNotContain(Phone.SECRET).contains("query parameter key");
    DialectRequest request =
        new DialectRequest(
            "application/x-www-form-urlencoded",
            Map.of("X-Ussd-Secret", Phone.SECRET),
            BODY.getBytes(StandardCharsets.UTF_8),
            "127.0.0.1",
            Map.of(PARAM, Phone.SECRET));
    assertThat(request.toString()).doesNotContain(Phone.SECRET);
  }
}
