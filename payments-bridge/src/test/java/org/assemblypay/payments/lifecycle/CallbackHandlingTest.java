package org.assemblypay.payments.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.search.RequiredSearch;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.LogCapture;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The callback route's answers, what it logs, and the lifecycle's metrics. */
class CallbackHandlingTest {

  private static final String SIM = "simulator";
  private static BridgeFixture world;
  private static PaymentService service;

  @BeforeAll
  static void openWorld() {
    world = new BridgeFixture("CBK");
    service =
        world.service(
            List.of(TestProviders.simulator(Map.of("approvalDelayMillis", "0"))),
            BridgeFixture.routing(SIM, null),
            Clock.systemUTC(),
            settings -> settings);
  }

  @AfterAll
  static void closeWorld() throws Exception {
    world.close();
  }

  private static double callbacks(String result) {
    return world.meters.find(PaymentMetrics.CALLBACKS).tag("result", result).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void aBodyOver16KiBIsRefusedWith413() {
    byte[] body = new byte[16 * 1024 + 1];
    Arrays.fill(body, (byte) ' ');

    CallbackAnswer answer = service.handleCallback(SIM, Map.of(), body);

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(callbacks("too_large")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void malformedAndUnknownReferencesGetTheSameAnswerAsARealOneAndALogLine() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      CallbackAnswer malformed =
          service.handleCallback(
              SIM,
              Map.of("Content-Type", "application/json"),
              "{not json".getBytes(StandardCharsets.UTF_8));
      PaymentService.Intake unknown =
          service.receive(
              SIM,
              Map.of(),
              ("{\"referenceId\":\"" + UUID.randomUUID() + "\",\"status\":\"SUCCESSFUL\"}")
                  .getBytes(StandardCharsets.UTF_8));
      unknown.confirmed().get(10, TimeUnit.SECONDS);

      assertThat(malformed).isEqualTo(CallbackAnswer.RECEIVED);
      assertThat(unknown.answer()).isEqualTo(CallbackAnswer.RECEIVED);
      assertThat(malformed.jsonBody()).isEqualTo("{\"status\":\"received\"}");
      assertThat(logs.lines()).anyMatch(line -> line.contains("callback refused"));
      assertThat(logs.lines())
          .anyMatch(line -> line.contains("callback for a reference not (yet) known here"));
    }
    assertThat(callbacks("malformed")).isGreaterThanOrEqualTo(1);
    assertThat(callbacks("unknown_reference")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void anUnknownProviderNameIsNotFound() {
    assertThat(service.handleCallback("no-such", Map.of(), new byte[0]).statusCode())
        .isEqualTo(404);
    assertThat(service.handleCallback(null, null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aPaymentsLogsNeverCarryTheWholePhoneNumberAndItsMetricsAreRecorded() {
    try (LogCapture logs = new LogCapture()) {
      StartResult.Started started = (StartResult.Started) service.start(world.order("0244777123"));
      world.awaitStatus(started.reference(), PaymentStatus.SUCCESSFUL);

      assertThat(logs.lines()).anyMatch(line -> line.contains("0244***123"));
      assertThat(logs.lines())
          .noneMatch(line -> line.contains("244777123") || line.contains("0244777123"));
    }
    RequiredSearch successful =
        world.meters.get(PaymentMetrics.PAYMENTS).tag("provider", SIM).tag("status", "successful");
    assertThat(successful.counter().count()).isGreaterThanOrEqualTo(1);
    assertThat(world.meters.get(PaymentMetrics.CONFIRM_TO_SETTLE).timer().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(callbacks("confirmed")).isGreaterThanOrEqualTo(1);
  }
}
