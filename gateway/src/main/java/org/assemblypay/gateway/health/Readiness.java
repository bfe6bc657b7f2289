package org.assemblypay.gateway.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs every {@link ReadinessCheck} at once, each within a deadline, and sums them up. */
public final class Readiness {
  private final List<ReadinessCheck> checks;
  private final ExecutorService workers;
  private final long deadlineMillis;

  public Readiness(List<ReadinessCheck> checks, ExecutorService workers, long deadlineMillis) {
    this.checks = List.copyOf(checks);
    this.workers = workers;
    this.deadlineMillis = deadlineMillis;
  }

  /** The outcome of one round of checks. */
  public record Report(boolean ready, Map<String, Component> components) {}

  /** The state of one dependency. */
  public record Component(boolean up, String detail) {}

  /** Runs all checks; never throws, never waits longer than the deadline. */
  public CompletableFuture<Report> evaluate() {
    Map<String, CompletableFuture<Component>> running = new LinkedHashMap<>();
    for (ReadinessCheck check : checks) {
      running.put(
          check.name(),
          CompletableFuture.supplyAsync(() -> run(check), workers)
              .orTimeout(deadlineMillis, TimeUnit.MILLISECONDS)
              .exceptionally(
                  e ->
                      new Component(
                          false,
                          e instanceof TimeoutException || e.getCause() instanceof TimeoutException
                              ? "no answer within " + deadlineMillis + " ms"
                              : "check failed")));
    }
    return CompletableFuture.allOf(running.values().toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              Map<String, Component> components = new LinkedHashMap<>();
              running.forEach((name, future) -> components.put(name, future.join()));
              boolean ready = components.values().stream().allMatch(Component::up);
              return new Report(ready, components);
            });
  }

  private static Component run(ReadinessCheck check) {
    try {
      return new Component(true, check.check());
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Component(false, message.lines().findFirst().orElse("down"));
    }
  }
}
