package org.assemblypay.ussd.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.memory.InMemorySessionStore;
import org.assemblypay.ussd.HopCorrelation;
import org.assemblypay.ussd.TestMenu;
import org.assemblypay.ussd.UssdEngine;
import org.assemblypay.ussd.menu.ActionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Each session has one correlation id: the actions of its hops run under it, the reply carries it,
 * and the action thread is clean again before its next task.
 */
class HopCorrelationTest {

  private final ExecutorService actions = Executors.newSingleThreadExecutor();
  private final List<String> seenByGreet = new CopyOnWriteArrayList<>();
  private final TestMenu.MovableClock clock = new TestMenu.MovableClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final UssdEngine engine =
      UssdEngine.builder()
          .menu(TestMenu.MENU)
          .store(new InMemorySessionStore(SessionStoreSettings.DEFAULTS, clock, registry))
          .actionExecutor(actions)
          .meterRegistry(registry)
          .clock(clock)
          .action(
              "greet",
              context -> {
                seenByGreet.add(String.valueOf(MDC.get(HopCorrelation.MDC_KEY)));
                return ActionResult.show(Map.of("name", "Ama"));
              })
          .action("pay", context -> ActionResult.show(Map.of()))
          .action("listItems", context -> ActionResult.items(List.of(), Map.of()))
          .action("slow", context -> ActionResult.show(Map.of()))
          .build();
  private final UssdFront front =
      new UssdFront(
          engine,
          List.of(AggregatorConfig.of("hubtel", Phone.SECRET).withServiceCode(Phone.SERVICE_CODE)),
          Dialects.standard());

  @AfterEach
  void close() throws InterruptedException {
    actions.shutdownNow();
    assertThat(actions.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void everyHopOfASessionRunsAndAnswersUnderTheSessionsIdAndLeavesNothingBehind() throws Exception {
    Phone phone = new Phone(front, "hubtel", TranscriptTest.TRADER, () -> {});
    phone.dial("*713*44#");
    String id = HopCorrelation.of("hubtel", phone.sessionId());
    assertThat(id).matches("u-[0-9a-f]{20}").doesNotContain(phone.sessionId());

    DialectResponse replayed = phone.sendAsync(phone.lastRequest()).get(10, TimeUnit.SECONDS);
    assertThat(replayed.correlationId()).isEqualTo(id);
    DialectResponse next = phone.sendAsync(phone.prepare("1")).get(10, TimeUnit.SECONDS);
    assertThat(next.correlationId()).isEqualTo(id);
    assertThat(seenByGreet).isNotEmpty().containsOnly(id);

    String[] onTheActionThreadAfter = {"unset"};
    actions.submit(() -> onTheActionThreadAfter[0] = MDC.get(HopCorrelation.MDC_KEY)).get();
    assertThat(onTheActionThreadAfter[0]).as("no id leaks into the thread's next task").isNull();
    assertThat(MDC.get(HopCorrelation.MDC_KEY)).as("nor stays on the caller's thread").isNull();

    Phone other = new Phone(front, "hubtel", "233244000002", () -> {});
    other.dial("*713*44#");
    assertThat(seenByGreet.get(seenByGreet.size() - 1))
        .isEqualTo(HopCorrelation.of("hubtel", other.sessionId()))
        .isNotEqualTo(id);
  }

  @Test
  void aRefusedRequestCarriesNoId() throws Exception {
    DialectResponse refused =
        front
            .handle("nosuch", new DialectRequest("text/plain", Map.of(), new byte[0], "127.0.0.1"))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.correlationId()).isNull();
  }
}
