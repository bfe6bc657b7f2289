package org.assemblypay.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The group-commit writer without a database. */
class GroupCommitWriterTest {

  @Test
  void everyCallerGetsItsOwnOutcomeAfterItsBatchIsWritten() throws Exception {
    var written = ConcurrentHashMap.<Integer>newKeySet();
    var assemblies = ConcurrentHashMap.<String>newKeySet();
    try (var writer =
        new GroupCommitWriter<Integer>(
            "test",
            64,
            16,
            2,
            Duration.ofSeconds(30),
            (code, items) -> {
              assemblies.add(code);
              written.addAll(items);
              return items.stream().map(i -> i % 2 == 0).toList();
            },
            new SimpleMeterRegistry())) {
      ExecutorService callers = Executors.newFixedThreadPool(8);
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        int n = i;
        outcomes.add(
            callers.submit(
                () -> {
                  boolean even = writer.write("A" + (n % 3), n);
                  // Durable before the caller goes on: its item is already in the written set.
                  assertThat(written).contains(n);
                  return even;
                }));
      }
      for (int i = 0; i < outcomes.size(); i++) {
        assertThat(outcomes.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i % 2 == 0);
      }
      assertThat(written).hasSize(1_000);
      assertThat(assemblies).containsExactlyInAnyOrder("A0", "A1", "A2");
      callers.shutdown();
    }
  }

  @Test
  void aDatabaseFailureReachesTheCallerAndTheWriterGoesOn() {
    try (var writer =
        new GroupCommitWriter<Integer>(
            "test",
            8,
            8,
            1,
            Duration.ofSeconds(30),
            (code, items) -> {
              if (code.equals("down")) {
                throw new IllegalStateException("database down");
              }
              return items.stream().map(i -> true).toList();
            },
            new SimpleMeterRegistry())) {
      assertThatThrownBy(() -> writer.write("down", 2)).hasMessageContaining("database down");
      assertThat(writer.write("A", 1)).isTrue();
    }
  }

  @Test
  void aFullQueueRefusesInsteadOfGrowing() throws Exception {
    var release = new CountDownLatch(1);
    var inWrite = new CountDownLatch(1);
    var writer =
        new GroupCommitWriter<Integer>(
            "test",
            1,
            1,
            1,
            Duration.ofMillis(200),
            (code, items) -> {
              inWrite.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return items.stream().map(i -> true).toList();
            },
            new SimpleMeterRegistry());
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      Future<Boolean> first = callers.submit(() -> writer.write("A", 1));
      assertThat(inWrite.await(30, TimeUnit.SECONDS)).isTrue();
      // The writer is busy with the first item; the second fills the queue.
      Future<Boolean> second = callers.submit(() -> writer.write("A", 2));
      while (writer.queued() < 1) {
        Thread.onSpinWait();
      }
      assertThatThrownBy(() -> writer.write("A", 3))
          .isInstanceOf(GroupCommitWriter.WriteNotDoneException.class)
          .hasMessageContaining("queue is full");
      release.countDown();
      // The first two callers may have given up waiting; either way nothing was lost silently.
      for (Future<Boolean> f : List.of(first, second)) {
        try {
          assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(GroupCommitWriter.WriteNotDoneException.class);
        }
      }
    } finally {
      release.countDown();
      callers.shutdownNow();
      writer.close();
    }
  }
}
