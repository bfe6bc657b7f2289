package org.assemblypay.payments.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assemblypay.payments.BoundedJson;
import org.assemblypay.payments.CallbackParse;
import org.assemblypay.payments.CallbackSink;
import org.assemblypay.payments.CollectionRequest;
import org.assemblypay.payments.DecimalAmount;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.MobileMoneyProvider;
import org.assemblypay.payments.ProviderConfig;
import org.assemblypay.payments.ProviderError;
import org.assemblypay.payments.ProviderKind;
import org.assemblypay.payments.ProviderMetrics;
import org.assemblypay.payments.ProviderStatus;
import org.assemblypay.payments.RequestOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process provider for {@code demo} and tests: outcomes chosen by the payer's number ({@link
 * SimulatorScenario}), configurable delays, duplicate and missing callbacks.
 *
 * <p>Callbacks are MTN-shaped JSON ({@code referenceId, status, reason, amount}) handed to a {@link
 * CallbackSink}, so they go through {@link #parseCallback} and the lifecycle's confirmation like
 * real ones. Status answers are computed from the clock: a payment is pending until {@code
 * approvalDelayMillis} after acceptance, then final.
 *
 * <p>Settings: {@code approvalDelayMillis} (default 3000), {@code callbackDelayMillis} (after the
 * final state, default 0), {@code requestDelayMillis} (before requestToPay answers, default 0),
 * {@code callbackCopies} (how many times each callback is delivered, default 1; scenario 460 sends
 * three), {@code maxPayments} (default 100000; beyond it requests are NotSent RATE_LIMITED).
 */
public final class SimulatorProvider implements MobileMoneyProvider {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorProvider.class);

  private final ProviderConfig config;
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;
  private final CallbackSink sink;
  private final ProviderMetrics metrics;
  private final ObjectMapper json = BoundedJson.newMapper();
  private final long approvalDelayMillis;
  private final long callbackDelayMillis;
  private final long requestDelayMillis;
  private final int callbackCopies;
  private final int maxPayments;
  private final Map<UUID, Simulated> payments = new ConcurrentHashMap<>();
  private final Map<UUID, Boolean> timedOutOnce = new ConcurrentHashMap<>();

  private record Simulated(
      CollectionRequest request, SimulatorScenario scenario, Instant acceptedAt) {}

  /**
   * Builds a simulator.
   *
   * @param scheduler runs delayed answers and callbacks; owned by the caller
   * @param sink receives callbacks
   */
  public SimulatorProvider(
      ProviderConfig config,
      InstantSource clock,
      ScheduledExecutorService scheduler,
      CallbackSink sink,
      MeterRegistry meters) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.kind() != ProviderKind.SIMULATOR) {
      throw new IllegalArgumentException("not a simulator config: " + config);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.metrics = new ProviderMetrics(meters, config.name());
    this.approvalDelayMillis = nonNegative("approvalDelayMillis", 3_000);
    this.callbackDelayMillis = nonNegative("callbackDelayMillis", 0);
    this.requestDelayMillis = nonNegative("requestDelayMillis", 0);
    this.callbackCopies = (int) Math.min(10, nonNegative("callbackCopies", 1));
    this.maxPayments = (int) Math.min(Integer.MAX_VALUE, nonNegative("maxPayments", 100_000));
  }

  private long nonNegative(String key, long defaultValue) {
    long value = config.longSetting(key, defaultValue);
    if (value < 0) {
      throw new IllegalArgumentException("provider " + config.name() + ": " + key + " < 0");
    }
    return value;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public CompletionStage<RequestOutcome> requestToPay(CollectionRequest request) {
    long startNanos = System.nanoTime();
    RequestOutcome outcome = decide(request);
    metrics.call("request", ProviderMetrics.label(outcome), System.nanoTime() - startNanos);
    LOG.atInfo()
        .addKeyValue("provider", config.name())
        .addKeyValue("reference", request.reference())
        .addKeyValue("payer", request.payer().masked())
        .addKeyValue("outcome", outcome)
        .log("simulator requesttopay");
    return later(outcome, requestDelayMillis);
  }

  private RequestOutcome decide(CollectionRequest request) {
    SimulatorScenario scenario = SimulatorScenario.forPayer(request.payer());
    UUID reference = request.reference();
    if (payments.containsKey(reference)) {
      return new RequestOutcome.AlreadyExists();
    }
    if (scenario == SimulatorScenario.REQUEST_REFUSED) {
      return new RequestOutcome.Rejected("NOT_ALLOWED", "simulated refusal");
    }
    if (scenario == SimulatorScenario.TIMEOUT_NOT_CREATED
        && timedOutOnce.putIfAbsent(reference, Boolean.TRUE) == null) {
      return new RequestOutcome.OutcomeUnknown(ProviderError.TIMEOUT, "simulated timeout");
    }
    if (payments.size() >= maxPayments) {
      return new RequestOutcome.NotSent(ProviderError.RATE_LIMITED, "simulator is full");
    }
    Simulated simulated = new Simulated(request, scenario, clock.instant());
    if (payments.putIfAbsent(reference, simulated) != null) {
      return new RequestOutcome.AlreadyExists();
    }
    timedOutOnce.remove(reference);
    scheduleCallbacks(simulated);
    if (scenario == SimulatorScenario.TIMEOUT_CREATED) {
      return new RequestOutcome.OutcomeUnknown(ProviderError.TIMEOUT, "simulated timeout");
    }
    return new RequestOutcome.Accepted(Optional.empty());
  }

  @Override
  public CompletionStage<ProviderStatus> status(UUID reference) {
    long startNanos = System.nanoTime();
    Simulated simulated = payments.get(reference);
    ProviderStatus status = simulated == null ? new ProviderStatus.NotFound() : statusOf(simulated);
    metrics.call("status", ProviderMetrics.label(status), System.nanoTime() - startNanos);
    return later(status, requestDelayMillis);
  }

  private ProviderStatus statusOf(Simulated simulated) {
    SimulatorScenario scenario = simulated.scenario();
    boolean decided =
        !clock.instant().isBefore(simulated.acceptedAt().plusMillis(approvalDelayMillis));
    if (scenario == SimulatorScenario.PENDING_FOREVER || !decided) {
      return new ProviderStatus.Pending();
    }
    Optional<FailureReason> failure = scenario.failureReason();
    if (failure.isPresent()) {
      return new ProviderStatus.Failed(failure.get(), failure.get().name());
    }
    long amountPesewas = simulated.request().amountPesewas();
    if (scenario == SimulatorScenario.SUCCESS_SHORT_AMOUNT) {
      amountPesewas = amountPesewas - 1;
    }
    return new ProviderStatus.Successful(
        amountPesewas,
        simulated.request().currency(),
        "SIM-" + simulated.request().reference().toString().substring(0, 8));
  }

  @Override
  public CallbackParse parseCallback(Map<String, List<String>> headers, byte[] body) {
    CallbackParse parse =
        BoundedJson.readCallback(
            body,
            node -> {
              Optional<UUID> reference =
                  BoundedJson.text(node, "referenceId").flatMap(BoundedJson::uuidV4);
              if (reference.isEmpty()) {
                return new CallbackParse.Refused(
                    CallbackParse.Refusal.NO_REFERENCE, "no UUID v4 in referenceId");
              }
              String status = BoundedJson.text(node, "status").orElse("").toUpperCase(Locale.ROOT);
              CallbackParse.ClaimedOutcome claimed =
                  status.equals("SUCCESSFUL")
                      ? CallbackParse.ClaimedOutcome.SUCCESS
                      : status.equals("FAILED")
                          ? CallbackParse.ClaimedOutcome.FAILURE
                          : CallbackParse.ClaimedOutcome.UNSPECIFIED;
              return new CallbackParse.Hint(config.name(), reference.get(), claimed);
            });
    metrics.callback(parse);
    return parse;
  }

  private void scheduleCallbacks(Simulated simulated) {
    SimulatorScenario scenario = simulated.scenario();
    if (scenario == SimulatorScenario.PENDING_FOREVER
        || scenario == SimulatorScenario.SUCCESS_NO_CALLBACK) {
      return;
    }
    int copies =
        scenario == SimulatorScenario.SUCCESS_DUPLICATE_CALLBACKS
            ? Math.max(3, callbackCopies)
            : callbackCopies;
    long delayMillis = approvalDelayMillis + callbackDelayMillis;
    try {
      scheduler.schedule(() -> deliver(simulated, copies), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.atWarn()
          .addKeyValue("provider", config.name())
          .addKeyValue("reference", simulated.request().reference())
          .log("simulator scheduler is shut down; callback dropped");
    }
  }

  private void deliver(Simulated simulated, int copies) {
    byte[] body = callbackBody(simulated);
    for (int i = 0; i < copies; i++) {
      try {
        sink.deliver(config.name(), Map.of("Content-Type", List.of("application/json")), body);
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("provider", config.name())
            .addKeyValue("reference", simulated.request().reference())
            .setCause(e)
            .log("simulator callback sink failed");
      }
    }
  }

  private byte[] callbackBody(Simulated simulated) {
    ProviderStatus status = statusOf(simulated);
    ObjectNode body = json.createObjectNode();
    body.put("referenceId", simulated.request().reference().toString());
    if (status instanceof ProviderStatus.Successful successful) {
      body.put("status", "SUCCESSFUL");
      body.put("amount", DecimalAmount.format(successful.amountPesewas()));
      body.put("financialTransactionId", successful.providerTxnId());
    } else if (status instanceof ProviderStatus.Failed failed) {
      body.put("status", "FAILED");
      body.put("reason", failed.providerCode());
    } else {
      body.put("status", "PENDING");
    }
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private <T> CompletionStage<T> later(T value, long delayMillis) {
    if (delayMillis == 0) {
      return CompletableFuture.completedFuture(value);
    }
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      scheduler.schedule(() -> future.complete(value), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      future.complete(value);
    }
    return future;
  }
}
