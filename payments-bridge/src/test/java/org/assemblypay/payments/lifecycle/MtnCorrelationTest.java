package org.assemblypay.payments.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.Correlation;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Against MTN stood in for by WireMock: the id of the hop that started a payment is stored with it
 * and every later step (request, poll, callback on another node, settlement) logs under it; the
 * worker threads carry nothing over to the next payment.
 */
class MtnCorrelationTest {

  private static final String MTN = "mtn-gh";
  private static final String RTP = "/collection/v1_0/requesttopay";
  private static final String HOP_ID = "u-5e1f00c0ffee5e1f00c0";

  @RegisterExtension
  static WireMockExtension mtn =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static BridgeFixture world;

  /** One captured line: its message, its correlation id (null for none) and its reference. */
  record Line(String message, String correlationId, String reference) {}

  @BeforeAll
  static void openWorld() {
    world = new BridgeFixture("CORR");
  }

  @AfterAll
  static void closeWorld() throws Exception {
    world.close();
  }

  @Test
  void theHopsIdFollowsThePaymentToItsSettlementOnAnotherNodeAndGoesNoFurther() throws Exception {
    mtn.stubFor(
        post(urlEqualTo("/collection/token/"))
            .willReturn(
                okJson(
                    "{\"access_token\":\"t1\",\"token_type\":\"access_token\",\"expires_in\":3600}")));
    mtn.stubFor(post(urlEqualTo(RTP)).willReturn(aResponse().withStatus(202)));
    mtn.stubFor(get(urlPathMatching(RTP + "/.*")).willReturn(okJson("{\"status\":\"PENDING\"}")));
    MutableClock clock = new MutableClock(Instant.now());
    PaymentService first = node(clock);
    PaymentService second = node(clock);

    Logger payments = (Logger) LoggerFactory.getLogger("org.assemblypay.payments");
    Level before = payments.getLevel();
    List<Line> lines = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            String reference =
                e.getKeyValuePairs() == null
                    ? null
                    : e.getKeyValuePairs().stream()
                        .filter(kv -> kv.key.equals("reference"))
                        .map(kv -> String.valueOf(kv.value))
                        .findFirst()
                        .orElse(null);
            lines.add(
                new Line(
                    e.getFormattedMessage(),
                    e.getMDCPropertyMap().get(Correlation.MDC_KEY),
                    reference));
          }
        };
    capture.start();
    payments.setLevel(Level.INFO);
    payments.addAppender(capture);
    try {
      PaymentService.Dispatch dispatch =
          Correlation.call(HOP_ID, () -> first.dispatch(world.order("0244123678")));
      dispatch.sent().get(10, TimeUnit.SECONDS);
      UUID reference = ((StartResult.Started) dispatch.result()).reference();
      assertThat(Correlation.current()).isEmpty();
      assertThat(world.payment(reference).correlationId()).contains(HOP_ID);

      clock.advance(Duration.ofSeconds(21));
      first.pollOnce().get(20, TimeUnit.SECONDS);
      mtn.stubFor(
          get(urlPathMatching(RTP + "/.*"))
              .willReturn(
                  okJson(
                      "{\"amount\":\"5.00\",\"currency\":\"GHS\","
                          + "\"financialTransactionId\":\"1520369414\",\"status\":\"SUCCESSFUL\"}")));
      for (int i = 0; i < 3; i++) { // the callback, then two replays: counted once
        PaymentService.Intake intake = second.receive(MTN, Map.of(), callbackBody(reference));
        assertThat(intake.answer().statusCode()).isEqualTo(200);
        intake.confirmed().get(10, TimeUnit.SECONDS);
      }
      world.assertSettledOnce(MTN, reference);

      for (String step :
          List.of(
              "payment started",
              "mtn requesttopay",
              "collection request answered",
              "payment settled")) {
        assertThat(lines)
            .as(step)
            .filteredOn(l -> l.message().equals(step) && reference.toString().equals(l.reference()))
            .isNotEmpty()
            .allSatisfy(l -> assertThat(l.correlationId()).isEqualTo(HOP_ID));
      }
      assertThat(lines)
          .filteredOn(l -> reference.toString().equals(l.reference()))
          .allSatisfy(l -> assertThat(l.correlationId()).isEqualTo(HOP_ID));

      // A payment started outside any action, on the same worker threads: its own id, not HOP_ID.
      PaymentService.Dispatch other = first.dispatch(world.order("0244123679"));
      other.sent().get(10, TimeUnit.SECONDS);
      UUID otherReference = ((StartResult.Started) other.result()).reference();
      assertThat(world.payment(otherReference).correlationId()).isEmpty();
      assertThat(lines)
          .filteredOn(
              l ->
                  otherReference.toString().equals(l.reference())
                      && !l.message().equals("payment started"))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l.correlationId()).isEqualTo(otherReference.toString()));
    } finally {
      payments.detachAppender(capture);
      payments.setLevel(before);
    }
  }

  private static PaymentService node(MutableClock clock) {
    return world.service(
        List.of(
            TestProviders.mtn(mtn.baseUrl(), 2_000, Map.of("loginFailureBackoffMillis", "30000"))),
        BridgeFixture.routing(MTN, null),
        clock,
        settings -> settings);
  }

  private static byte[] callbackBody(UUID reference) {
    return ("{\"financialTransactionId\":\"1520369414\",\"externalId\":\""
            + reference
            + "\",\"amount\":\"5.00\",\"currency\":\"GHS\",\"status\":\"SUCCESSFUL\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
