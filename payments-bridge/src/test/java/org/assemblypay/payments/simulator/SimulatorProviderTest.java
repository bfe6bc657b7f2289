package org.assemblypay.payments.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assemblypay.payments.CallbackParse;
import org.assemblypay.payments.CollectionRequest;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderError;
import org.assemblypay.payments.ProviderStatus;
import org.assemblypay.payments.RequestOutcome;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorProviderTest {

  private final MutableClock clock = MutableClock.atMarketOpening();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final BlockingQueue<byte[]> callbacks = new LinkedBlockingQueue<>();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private SimulatorProvider simulator(Map<String, String> settings) {
    return new SimulatorProvider(
        TestProviders.simulator(settings),
        clock,
        scheduler,
        (provider, headers, body) -> callbacks.add(body),
        new SimpleMeterRegistry());
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static CollectionRequest tollFrom(String number) {
    return TestProviders.toll(Msisdn.parse(number).orElseThrow(), Network.MTN);
  }

  @ParameterizedTest
  @CsvSource({
    "0244000450, INTERNAL_PROCESSING_ERROR",
    "0244000451, APPROVAL_REJECTED",
    "0244000455, PAYER_NOT_FOUND",
    "0244000456, NOT_ENOUGH_FUNDS",
    "0244000457, EXPIRED"
  })
  void failingNumbersFailWithTheirReasonAfterTheApprovalDelay(String number, FailureReason reason)
      throws Exception {
    SimulatorProvider simulator = simulator(Map.of("approvalDelayMillis", "60000"));
    CollectionRequest request = tollFrom(number);

    assertThat(await(simulator.requestToPay(request))).isInstanceOf(RequestOutcome.Accepted.class);
    assertThat(await(simulator.status(request.reference())))
        .isEqualTo(new ProviderStatus.Pending());
    clock.advance(Duration.ofMinutes(1));
    assertThat(await(simulator.status(request.reference())))
        .isEqualTo(new ProviderStatus.Failed(reason, reason.name()));
  }

  @Test
  void anyOtherNumberSucceedsWithTheRequestedAmountAndOneCallback() throws Exception {
    SimulatorProvider simulator = simulator(Map.of("approvalDelayMillis", "0"));
    CollectionRequest request = tollFrom("0244123678");

    assertThat(await(simulator.requestToPay(request))).isInstanceOf(RequestOutcome.Accepted.class);
    ProviderStatus status = await(simulator.status(request.reference()));
    byte[] callback = callbacks.poll(10, TimeUnit.SECONDS);

    assertThat(status).isInstanceOf(ProviderStatus.Successful.class);
    assertThat(((ProviderStatus.Successful) status).amountPesewas()).isEqualTo(500);
    assertThat(callback).isNotNull();
    assertThat(simulator.parseCallback(Map.of(), callback))
        .isEqualTo(
            new CallbackParse.Hint(
                "simulator", request.reference(), CallbackParse.ClaimedOutcome.SUCCESS));
  }

  @Test
  void sameReferenceTwiceIsAlreadyExists() throws Exception {
    SimulatorProvider simulator = simulator(Map.of());
    CollectionRequest request = tollFrom("0244123678");

    await(simulator.requestToPay(request));

    assertThat(await(simulator.requestToPay(request)))
        .isEqualTo(new RequestOutcome.AlreadyExists());
  }

  @Test
  void timeoutBeforeCreationIsNotFoundThenTheResendSucceeds() throws Exception {
    SimulatorProvider simulator = simulator(Map.of("approvalDelayMillis", "0"));
    CollectionRequest request = tollFrom("0244000452");

    assertThat(await(simulator.requestToPay(request)))
        .isEqualTo(new RequestOutcome.OutcomeUnknown(ProviderError.TIMEOUT, "simulated timeout"));
    assertThat(await(simulator.status(request.reference())))
        .isEqualTo(new ProviderStatus.NotFound());
    assertThat(await(simulator.requestToPay(request))).isInstanceOf(RequestOutcome.Accepted.class);
    assertThat(await(simulator.status(request.reference())))
        .isInstanceOf(ProviderStatus.Successful.class);
  }

  @Test
  void timeoutAfterCreationIsFoundSuccessful() throws Exception {
    SimulatorProvider simulator = simulator(Map.of("approvalDelayMillis", "0"));
    CollectionRequest request = tollFrom("0244000453");

    assertThat(await(simulator.requestToPay(request)))
        .isInstanceOf(RequestOutcome.OutcomeUnknown.class);
    assertThat(await(simulator.status(request.reference())))
        .isInstanceOf(ProviderStatus.Successful.class);
  }

  @Test
  void pendingForeverNeverDecidesAndNeverCallsBack() throws Exception {
    SimulatorProvider simulator = simulator(Map.of("approvalDelayMillis", "0"));
    CollectionRequest forever = tollFrom("0244000454");
    CollectionRequest ordinary = tollFrom("0244123678");

    await(simulator.requestToPay(forever));
    await(simulator.requestToPay(ordinary));
    clock.advance(Duration.ofDays(1));
    byte[] first = callbacks.poll(10, TimeUnit.SECONDS);

    assertThat(await(simulator.status(forever.reference())))
        .isEqualTo(new ProviderStatus.Pending());
    assertThat(simulator.parseCallback(Map.of(), first))
        .extracting(parse -> ((CallbackParse.Hint) parse).reference())
        .isEqualTo(ordinary.reference());
    assertThat(callbacks).isEmpty();
  }

  @Test
  void missingCallbackScenarioSucceedsSilently() throws Exception {
    SimulatorProvider simulator = simulator(Map.of("approvalDelayMillis", "0"));
    CollectionRequest silent = tollFrom("0244000459");
    CollectionRequest ordinary = tollFrom("0244123678");

    await(simulator.requestToPay(silent));
    await(simulator.requestToPay(ordinary));
    byte[] first = callbacks.poll(10, TimeUnit.SECONDS);

    assertThat(await(simulator.status(silent.reference())))
        .isInstanceOf(ProviderStatus.Successful.class);
    assertThat(((CallbackParse.Hint) simulator.parseCallback(Map.of(), first)).reference())
        .isEqualTo(ordinary.reference());
    assertThat(callbacks).isEmpty();
  }

  @Test
  void duplicateCallbackScenarioCallsBackThreeTimes() throws Exception {
    SimulatorProvider simulator = simulator(Map.of("approvalDelayMillis", "0"));
    CollectionRequest request = tollFrom("0244000460");

    await(simulator.requestToPay(request));

    for (int i = 0; i < 3; i++) {
      byte[] callback = callbacks.poll(10, TimeUnit.SECONDS);
      assertThat(callback).isNotNull();
      assertThat(((CallbackParse.Hint) simulator.parseCallback(Map.of(), callback)).reference())
          .isEqualTo(request.reference());
    }
  }

  @Test
  void configuredCopiesDuplicateEveryCallback() throws Exception {
    SimulatorProvider simulator =
        simulator(Map.of("approvalDelayMillis", "0", "callbackCopies", "2"));
    CollectionRequest request = tollFrom("0244000451");

    await(simulator.requestToPay(request));
    List<byte[]> received =
        List.of(callbacks.poll(10, TimeUnit.SECONDS), callbacks.poll(10, TimeUnit.SECONDS));

    assertThat(received)
        .allSatisfy(
            body ->
                assertThat(simulator.parseCallback(Map.of(), body))
                    .isEqualTo(
                        new CallbackParse.Hint(
                            "simulator",
                            request.reference(),
                            CallbackParse.ClaimedOutcome.FAILURE)));
  }

  @Test
  void shortAmountScenarioReportsOnePesewaLess() throws Exception {
    SimulatorProvider simulator = simulator(Map.of("approvalDelayMillis", "0"));
    CollectionRequest request = tollFrom("0244000461");

    await(simulator.requestToPay(request));

    assertThat(
            ((ProviderStatus.Successful) await(simulator.status(request.reference())))
                .amountPesewas())
        .isEqualTo(499);
  }

  @Test
  void refusedNumberIsRejectedAndNothingExists() throws Exception {
    SimulatorProvider simulator = simulator(Map.of());
    CollectionRequest request = tollFrom("0244000458");

    assertThat(await(simulator.requestToPay(request)))
        .isEqualTo(new RequestOutcome.Rejected("NOT_ALLOWED", "simulated refusal"));
    assertThat(await(simulator.status(request.reference())))
        .isEqualTo(new ProviderStatus.NotFound());
  }

  @Test
  void unknownReferenceIsNotFound() throws Exception {
    assertThat(await(simulator(Map.of()).status(java.util.UUID.randomUUID())))
        .isEqualTo(new ProviderStatus.NotFound());
  }

  @Test
  void fullSimulatorRefusesToTakeMore() throws Exception {
    SimulatorProvider simulator =
        simulator(Map.of("maxPayments", "1", "approvalDelayMillis", "60000"));

    await(simulator.requestToPay(tollFrom("0244123678")));

    assertThat(await(simulator.requestToPay(tollFrom("0244123679"))))
        .isEqualTo(new RequestOutcome.NotSent(ProviderError.RATE_LIMITED, "simulator is full"));
  }
}
