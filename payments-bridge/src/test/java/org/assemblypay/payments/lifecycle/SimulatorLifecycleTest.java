package org.assemblypay.payments.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.Payment;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole lifecycle against the simulator provider, whose callbacks take the real path. */
class SimulatorLifecycleTest {

  private static final String SIM = "simulator";

  private static BridgeFixture world;
  private MutableClock clock;
  private PaymentService service;

  @BeforeAll
  static void openWorld() {
    world = new BridgeFixture("SIM");
  }

  @AfterAll
  static void closeWorld() throws Exception {
    world.close();
  }

  @BeforeEach
  void newService() {
    clock = new MutableClock(Instant.now());
    service =
        world.service(
            List.of(TestProviders.simulator(Map.of("approvalDelayMillis", "0"))),
            BridgeFixture.routing(SIM, null),
            clock,
            settings -> settings);
  }

  private UUID started(String payer) throws Exception {
    PaymentService.Dispatch dispatch = service.dispatch(world.order(payer));
    dispatch.sent().get(10, TimeUnit.SECONDS);
    assertThat(dispatch.result()).isInstanceOf(StartResult.Started.class);
    return ((StartResult.Started) dispatch.result()).reference();
  }

  private void pollAfter(Duration duration) throws Exception {
    clock.advance(duration);
    service.pollOnce().get(20, TimeUnit.SECONDS);
  }

  private void replayCallbackAndPoll(UUID reference) throws Exception {
    byte[] body =
        ("{\"referenceId\":\"" + reference + "\",\"status\":\"SUCCESSFUL\",\"amount\":\"5.00\"}")
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 2; i++) {
      service.receive(SIM, Map.of(), body).confirmed().get(10, TimeUnit.SECONDS);
      pollAfter(Duration.ofMinutes(1));
    }
  }

  @Test
  void successWithItsCallbackSettlesOnceAndQueuesOneReceipt() throws Exception {
    UUID reference = started("0244555123");

    world.awaitStatus(reference, PaymentStatus.SUCCESSFUL);
    world.assertSettledOnce(SIM, reference);

    replayCallbackAndPoll(reference);
    world.assertSettledOnce(SIM, reference);
  }

  @Test
  void aConfirmationRepeatedHereAndOnAnotherNodeStartsOnePaymentAndSettlesOnce() throws Exception {
    PaymentOrder order = world.order("0244555123").withIdempotencyKey("sess-42:5:pay");
    PaymentService.Dispatch first = service.dispatch(order);
    first.sent().get(10, TimeUnit.SECONDS);
    UUID reference = ((StartResult.Started) first.result()).reference();
    assertThat(reference.version()).isEqualTo(4);

    // The same hop retried on this node, and run again on a second node.
    PaymentService otherNode =
        world.service(
            List.of(TestProviders.simulator(Map.of("approvalDelayMillis", "0"))),
            BridgeFixture.routing(SIM, null),
            clock,
            settings -> settings);
    try {
      for (PaymentService node : List.of(service, otherNode)) {
        PaymentService.Dispatch again = node.dispatch(order);
        assertThat(again.sent()).isCompleted();
        assertThat(again.result()).isEqualTo(first.result());
      }
    } finally {
      otherNode.close();
    }

    world.awaitStatus(reference, PaymentStatus.SUCCESSFUL);
    world.assertSettledOnce(SIM, reference);
    replayCallbackAndPoll(reference);
    world.assertSettledOnce(SIM, reference);
    // A different confirmation by the same trader is a different payment.
    UUID other = started("0244555123");
    assertThat(other).isNotEqualTo(reference);
  }

  @Test
  void aConfirmationWhoseIntentPredatesTheIndexAndWasAlreadySentIsIndexedButNotSentAgain() {
    String key = "legacy-sess:5:pay";
    PaymentOrder order = world.order("0244555125").withIdempotencyKey(key);
    UUID reference = PaymentService.referenceFor(world.code, key);
    // Written by a release before the reference index, and already sent to the provider.
    world.assembly.createPaymentIntent(
        new NewPayment(
            reference,
            SIM,
            world.traderId,
            order.payer().digits(),
            BridgeFixture.AMOUNT_PESEWAS,
            PaymentPurpose.AMOUNT,
            Language.EN,
            "MTN",
            null));
    world.assembly.markPending(reference);
    double initiated = initiated();

    PaymentService.Dispatch again = service.dispatch(order);

    assertThat(again.sent()).isCompleted();
    assertThat(again.result()).isEqualTo(new StartResult.Started(reference, Network.MTN, SIM));
    assertThat(initiated()).isEqualTo(initiated);
    assertThat(world.ledger.paymentReferences().assemblyOf(reference)).contains(world.code);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);
  }

  /** Requests sent to a provider (the count of payments started past their intent). */
  private static double initiated() {
    return world.meters.find(PaymentMetrics.PAYMENTS).tag("status", "initiated").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  @Test
  void theStartIsStoredBeforeTheProviderIsCalledAndRoutedByPrefix() {
    StartResult result = service.start(world.order("0244555123"));

    StartResult.Started started = (StartResult.Started) result;
    assertThat(started.network()).isEqualTo(Network.MTN);
    assertThat(started.provider()).isEqualTo(SIM);
    assertThat(started.reference().version()).isEqualTo(4);
    assertThat(world.assembly.payment(started.reference())).isPresent();
  }

  @Test
  void callbackNeverArrivesAndThePollerSettles() throws Exception {
    UUID reference = started("0244555459");
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.PENDING);

    pollAfter(Duration.ofSeconds(21));

    world.assertSettledOnce(SIM, reference);
    replayCallbackAndPoll(reference);
    world.assertSettledOnce(SIM, reference);
  }

  @Test
  void threeCallbacksSettleOnce() throws Exception {
    UUID reference = started("0244555460");

    world.awaitStatus(reference, PaymentStatus.SUCCESSFUL);
    pollAfter(Duration.ofSeconds(21));

    world.assertSettledOnce(SIM, reference);
  }

  @Test
  void aShortAmountGoesToSuspenseWithoutAReceipt() throws Exception {
    UUID reference = started("0244555461");

    Payment settled = world.awaitStatus(reference, PaymentStatus.SUCCESSFUL);

    assertThat(settled.suspense()).isTrue();
    assertThat(world.transfers(SIM, reference)).containsExactly("SUSPENSE:499");
    assertThat(world.sms(SIM, reference)).isEmpty();
    replayCallbackAndPoll(reference);
    assertThat(world.transfers(SIM, reference)).containsExactly("SUSPENSE:499");
  }

  @ParameterizedTest
  @CsvSource({
    "0244555450, INTERNAL_PROCESSING_ERROR",
    "0244555451, APPROVAL_REJECTED",
    "0244555455, PAYER_NOT_FOUND",
    "0244555456, NOT_ENOUGH_FUNDS",
    "0244555457, EXPIRED",
    "0244555458, OTHER"
  })
  void eachFailureQueuesOneFailureSmsAndNoMoney(String payer, String reason) throws Exception {
    UUID reference = started(payer);

    Payment failed = world.awaitStatus(reference, PaymentStatus.FAILED);

    assertThat(failed.failureReason()).contains(reason);
    world.assertNoMoney(SIM, reference);
    assertThat(world.sms(SIM, reference)).containsExactly("TEST failed " + reason);
    replayCallbackAndPoll(reference);
    assertThat(world.sms(SIM, reference)).containsExactly("TEST failed " + reason);
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.FAILED);
  }

  @Test
  void aTimeoutThatNeverTookIsResentUnderTheSameReference() throws Exception {
    UUID reference = started("0244555452");
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.INITIATED);

    pollAfter(Duration.ofSeconds(6));

    world.awaitStatus(reference, PaymentStatus.SUCCESSFUL);
    world.assertSettledOnce(SIM, reference);
  }

  @Test
  void aTimeoutThatTookIsFoundByTheStatusQuery() throws Exception {
    UUID reference = started("0244555453");

    pollAfter(Duration.ofSeconds(6));

    world.awaitStatus(reference, PaymentStatus.SUCCESSFUL);
    world.assertSettledOnce(SIM, reference);
  }

  @Test
  void pendingForeverExpiresLocallyAfterTenMinutesWithoutMoney() throws Exception {
    UUID reference = started("0244555454");

    for (int minute = 0; minute < 11; minute++) {
      pollAfter(Duration.ofMinutes(1));
    }

    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);
    world.assertNoMoney(SIM, reference);
    assertThat(world.sms(SIM, reference)).containsExactly(BridgeFixture.EXPIRY_SMS + " 500");

    // Replayed twice: more poll rounds (re-checks) and callbacks queue no second expiry SMS.
    for (int i = 0; i < 2; i++) {
      pollAfter(Duration.ofMinutes(31));
      service
          .receive(
              SIM,
              Map.of(),
              ("{\"referenceId\":\"" + reference + "\",\"status\":\"PENDING\"}")
                  .getBytes(StandardCharsets.UTF_8))
          .confirmed()
          .get(10, TimeUnit.SECONDS);
    }
    assertThat(world.payment(reference).status()).isEqualTo(PaymentStatus.EXPIRED);
    assertThat(world.sms(SIM, reference)).containsExactly(BridgeFixture.EXPIRY_SMS + " 500");
    world.assertNoMoney(SIM, reference);
  }

  @Test
  void aPayerOnNoKnownNetworkIsToldSoAndNothingIsStored() {
    assertThat(service.start(world.order("0301234567")))
        .isEqualTo(new StartResult.UnknownNetwork());
  }

  @Test
  void aNetworkWithoutProviderIsUnavailable() {
    assertThat(service.start(world.order("0201234567")))
        .isEqualTo(new StartResult.Unavailable(Network.TELECEL));
  }
}
