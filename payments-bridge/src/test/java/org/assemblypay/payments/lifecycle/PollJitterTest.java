package org.assemblypay.payments.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.MutableClock;
import org.assemblypay.payments.TestProviders;
import org.junit.jupiter.api.Test;

/** Poll pauses are spread at random, never outside the table's pause ± the configured share. */
class PollJitterTest {

  @Property(tries = 2_000)
  void aJitteredPauseStaysWithinItsBounds(
      @ForAll @LongRange(min = 1, max = 3_600_000_000L) long pauseMillis,
      @ForAll @IntRange(min = 0, max = PollJitter.MAX_PERCENT) int percent,
      @ForAll long seed) {
    Random random = new Random(seed);
    PollJitter jitter = new PollJitter(percent, bound -> random.nextLong(bound));

    long jittered = jitter.apply(pauseMillis);

    assertThat(jittered).isBetween(jitter.lowest(pauseMillis), jitter.highest(pauseMillis));
    assertThat(jittered).isPositive();
    // The bounds themselves are the pause ± percent (exact integer arithmetic).
    assertThat(jitter.highest(pauseMillis) - pauseMillis)
        .isLessThanOrEqualTo(pauseMillis * percent / 100);
    assertThat(pauseMillis - jitter.lowest(pauseMillis))
        .isLessThanOrEqualTo(pauseMillis * percent / 100);
  }

  @Property(tries = 200)
  void theExtremeDrawsReachTheBoundsExactly(
      @ForAll @LongRange(min = 1, max = 86_400_000L) long pauseMillis,
      @ForAll @IntRange(min = 0, max = PollJitter.MAX_PERCENT) int percent) {
    PollJitter lowestDraw = new PollJitter(percent, bound -> 0);
    PollJitter highestDraw = new PollJitter(percent, bound -> bound - 1);

    assertThat(lowestDraw.apply(pauseMillis)).isEqualTo(lowestDraw.lowest(pauseMillis));
    assertThat(highestDraw.apply(pauseMillis)).isEqualTo(highestDraw.highest(pauseMillis));
  }

  @Test
  void zeroPercentLeavesThePauseAlone() {
    PollJitter none = PollJitter.of(0);
    for (int i = 0; i < 100; i++) {
      assertThat(none.apply(15_000)).isEqualTo(15_000);
    }
  }

  @Test
  void thousandsOfPausesDoNotLandOnTheSameMillisecond() {
    PollJitter jitter = PollJitter.of(20);
    Set<Long> distinct = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      long pause = jitter.apply(15_000);
      assertThat(pause).isBetween(12_000L, 18_000L);
      distinct.add(pause);
    }
    // 6,001 possible values: a lock-step schedule would give one.
    assertThat(distinct.size()).isGreaterThan(2_500);
  }

  @Test
  void outOfRangeSharesAreRefused() {
    assertThatThrownBy(() -> PollJitter.of(51)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PollJitter.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PollJitter.of(10).apply(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pendingPaymentsStartedTogetherAreNextPolledAtSpreadTimes() throws Exception {
    try (BridgeFixture world = new BridgeFixture("JIT")) {
      MutableClock clock = new MutableClock(Instant.now());
      PaymentService service =
          world.service(
              List.of(TestProviders.simulator(Map.of("approvalDelayMillis", "0"))),
              BridgeFixture.routing("simulator", null),
              clock,
              s -> s.withPollTimings(1_000, 20, 60_000));
      List<UUID> references = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        PaymentService.Dispatch dispatch = service.dispatch(world.order("0244555454"));
        dispatch.sent().get(10, TimeUnit.SECONDS);
        references.add(((StartResult.Started) dispatch.result()).reference());
      }
      // Well past the ledger's first-poll delay (20 s after each intent, by the database's clock):
      // one round asks each (pending forever) once.
      clock.advance(Duration.ofSeconds(90));
      Instant polledAt = clock.instant();
      service.pollOnce().get(30, TimeUnit.SECONDS);

      Set<Long> pauses = new HashSet<>();
      for (UUID reference : references) {
        var payment = world.payment(reference);
        assertThat(payment.status()).isEqualTo(PaymentStatus.PENDING);
        long pause = Duration.between(polledAt, payment.nextPollAt().orElseThrow()).toMillis();
        // The PENDING row's first pause is 15 s; ± 20 %.
        assertThat(pause).isBetween(12_000L, 18_000L);
        pauses.add(pause);
      }
      assertThat(pauses.size()).isGreaterThan(20);
      // Nothing moved money.
      for (UUID reference : references) {
        world.assertNoMoney("simulator", reference);
      }
    }
  }
}
