package org.assemblypay.payments.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescerTest {

  private final Coalescer coalescer = new Coalescer();

  @Test
  void requestsThatArriveWhileWorkRunsJoinItAndCauseExactlyOneFollowUp() throws Exception {
    UUID reference = UUID.randomUUID();
    CompletableFuture<Void> firstWork = new CompletableFuture<>();
    AtomicInteger works = new AtomicInteger();
    AtomicInteger followUps = new AtomicInteger();

    List<CompletableFuture<Void>> joined = new ArrayList<>();
    joined.add(
        coalescer.run(
            reference,
            () -> {
              works.incrementAndGet();
              return firstWork;
            },
            () -> {
              followUps.incrementAndGet();
              return CompletableFuture.completedFuture(null);
            }));
    for (int i = 0; i < 4; i++) {
      joined.add(
          coalescer.run(
              reference,
              () -> {
                works.incrementAndGet();
                return CompletableFuture.completedFuture(null);
              },
              () -> {
                followUps.incrementAndGet();
                return CompletableFuture.completedFuture(null);
              }));
    }
    assertThat(joined).allMatch(f -> !f.isDone());

    firstWork.complete(null);

    CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(works).hasValue(1);
    assertThat(followUps).hasValue(1);
    assertThat(coalescer.size()).isZero();
  }

  @Test
  void aFailedWorkFailsItsFutureAndFreesTheReference() {
    UUID reference = UUID.randomUUID();

    CompletableFuture<Void> failed =
        coalescer.run(
            reference,
            () -> {
              throw new IllegalStateException("boom");
            },
            () -> CompletableFuture.completedFuture(null));

    assertThat(failed).isCompletedExceptionally();
    assertThat(coalescer.size()).isZero();
    assertThat(
            coalescer.run(
                reference,
                () -> CompletableFuture.completedFuture(null),
                () -> CompletableFuture.completedFuture(null)))
        .isCompleted();
  }
}
