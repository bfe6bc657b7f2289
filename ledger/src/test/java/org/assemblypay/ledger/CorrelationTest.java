package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The correlation id's scope on a thread, and which ids a caller may hand in. */
class CorrelationTest {

  @Test
  void aScopeRestoresWhatWasThereBeforeAndNestedScopesUnwind() {
    assertThat(Correlation.current()).isEmpty();
    Correlation.run(
        "outer-1",
        () -> {
          assertThat(Correlation.current()).contains("outer-1");
          Correlation.run(
              "inner-2", () -> assertThat(MDC.get("correlationId")).isEqualTo("inner-2"));
          assertThat(Correlation.current()).contains("outer-1");
          Correlation.run(null, () -> assertThat(Correlation.current()).contains("outer-1"));
        });
    assertThat(Correlation.current()).isEmpty();
  }

  @Test
  void aPoolThreadCarriesNoIdIntoItsNextTaskEvenWhenTheTaskFails() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<String> seen = new AtomicReference<>();
      one.submit(Correlation.wrap("u-aaaa", () -> seen.set(MDC.get("correlationId")))).get();
      assertThat(seen.get()).isEqualTo("u-aaaa");
      java.util.concurrent.Future<?> failed =
          one.submit(
              Correlation.wrap(
                  "u-bbbb",
                  () -> {
                    throw new IllegalStateException("boom");
                  }));
      assertThatThrownBy(failed::get).hasCauseInstanceOf(IllegalStateException.class);
      AtomicReference<String> next = new AtomicReference<>("unset");
      one.submit(() -> next.set(MDC.get("correlationId"))).get();
      assertThat(next.get()).as("the next task on the same thread").isNull();
    } finally {
      one.shutdown();
      assertThat(one.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void onlySafeIdsAreAcceptedFromCallers() {
    assertThat(Correlation.accept("ops-ticket-42")).contains("ops-ticket-42");
    assertThat(Correlation.accept("a:b.c_d-e")).contains("a:b.c_d-e");
    assertThat(Correlation.accept(null)).isEmpty();
    assertThat(Correlation.accept("")).isEmpty();
    assertThat(Correlation.accept("x".repeat(65))).isEmpty();
    assertThat(Correlation.accept("new\nline")).isEmpty();
    assertThat(Correlation.accept("{\"json\":1}")).isEmpty();
    assertThat(Correlation.accept("caller-0244123678")).as("a phone number in disguise").isEmpty();
  }

  @Test
  void derivedIdsAreStableAndHideTheirPartsFreshIdsDiffer() {
    String a = Correlation.derived("s", "AMA", "smsc:0244123678");
    assertThat(a)
        .matches("s-[0-9a-f]{20}")
        .isEqualTo(Correlation.derived("s", "AMA", "smsc:0244123678"));
    assertThat(a).doesNotContain("0244123678");
    assertThat(Correlation.derived("s", "AMA", "smsc:1"))
        .isNotEqualTo(Correlation.derived("s", "AMAs", "mc:1"));
    assertThat(Correlation.fresh("a"))
        .matches("a-[0-9a-f]{20}")
        .isNotEqualTo(Correlation.fresh("a"));
  }
}
