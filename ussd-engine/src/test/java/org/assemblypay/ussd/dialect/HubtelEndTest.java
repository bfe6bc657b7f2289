package org.assemblypay.ussd.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ussd.TestMenu;
import org.assemblypay.ussd.dialect.Phone.Screen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hubtel's Release and Timeout close the session cleanly; a timed-out one can be resumed. */
class HubtelEndTest {

  private final TestMenu menu = new TestMenu();
  private final UssdFront front = TranscriptTest.front(menu);

  @AfterEach
  void close() {
    menu.close();
  }

  private JsonNode end(Phone phone, String type) throws Exception {
    DialectRequest request =
        Phone.json(
            Json.newObject()
                .put("Type", type)
                .put("Mobile", TranscriptTest.TRADER)
                .put("SessionId", phone.sessionId())
                .put("ServiceCode", Phone.SERVICE_CODE)
                .put("Message", "")
                .put("Operator", "mtn")
                .put("Sequence", 9)
                .put("ClientState", "cs-1"));
    DialectResponse response =
        front.handle("hubtel", request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(200);
    return Json.object(response.body()).orElseThrow();
  }

  private Phone phone() {
    return new Phone(front, "hubtel", TranscriptTest.TRADER, () -> menu.clock.advanceMillis(4000));
  }

  @Test
  void releaseEndsTheSessionAndForgetsIt() throws Exception {
    Phone phone = phone();
    phone.dial("*713*44#");
    phone.type("2");
    JsonNode reply = end(phone, "Release");
    assertThat(reply.get("Type").asText()).isEqualTo("Release");
    assertThat(reply.get("ClientState").asText()).isEqualTo("cs-1");
    assertThat(menu.store.load(phone.sessionId()).toCompletableFuture().join()).isEmpty();
    assertThat(menu.counter("ussd.sessions.ended")).isEqualTo(1.0);
    assertThat(menu.counter("ussd.screen.dropoffs", "screen", "amount")).isEqualTo(1.0);
    assertThat(phone().dial("*713*44#")).isEqualTo(new Screen(true, TranscriptTest.MAIN));
  }

  @Test
  void timeoutEndsTheSessionButLetsThePhoneResume() throws Exception {
    Phone phone = phone();
    phone.dial("*713*44#");
    phone.type("2");
    assertThat(end(phone, "Timeout").get("Type").asText()).isEqualTo("Release");
    assertThat(menu.store.load(phone.sessionId()).toCompletableFuture().join()).isEmpty();
    assertThat(menu.counter("ussd.sessions.timed_out")).isEqualTo(1.0);
    Phone again = phone();
    assertThat(again.dial("*713*44#").text()).startsWith("You did not finish last time.");
    assertThat(again.type("1")).isEqualTo(new Screen(true, "Enter amount"));
  }

  @Test
  void endingAnUnknownSessionIsHarmless() throws Exception {
    Phone phone = phone();
    assertThat(end(phone, "Timeout").get("Type").asText()).isEqualTo("Release");
    assertThat(menu.store.load(phone.sessionId()).toCompletableFuture().join()).isEmpty();
  }
}
