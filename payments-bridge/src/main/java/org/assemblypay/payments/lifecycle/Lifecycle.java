package org.assemblypay.payments.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Correlation;
import org.assemblypay.ledger.IdempotencyConflictException;
import org.assemblypay.ledger.IllegalTransitionException;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.Payment;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.ledger.Settlement;
import org.assemblypay.payments.CollectionRequest;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.MobileMoneyProvider;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderConfig;
import org.assemblypay.payments.ProviderError;
import org.assemblypay.payments.ProviderStatus;
import org.assemblypay.payments.RequestOutcome;
import org.assemblypay.payments.RetryCause;
import org.assemblypay.payments.RetryDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules: what a request outcome or a status answer does to a payment. Provider calls are
 * asynchronous; every ledger call runs on the bounded workers, never on an HTTP client thread.
 */
final class Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  /**
   * How long a payment whose provider is not configured here waits before it is looked at again.
   */
  private static final Duration UNSERVED_PAUSE = Duration.ofMinutes(10);

  private final PaymentSettings settings;
  private final Map<String, MobileMoneyProvider> providers;
  private final Map<String, ProviderConfig> configs;
  private final Function<String, Notifier> notifiers;
  private final PaymentMetrics metrics;
  private final InstantSource clock;
  private final Executor workers;
  private final PaymentLocator locator;
  private final BoundedCache<UUID, CollectionRequest> requests;
  private final PollJitter jitter;

  Lifecycle(
      PaymentSettings settings,
      Map<String, MobileMoneyProvider> providers,
      Map<String, ProviderConfig> configs,
      Function<String, Notifier> notifiers,
      PaymentMetrics metrics,
      InstantSource clock,
      Executor workers,
      PaymentLocator locator) {
    this.settings = settings;
    this.providers = providers;
    this.configs = configs;
    this.notifiers = notifiers;
    this.metrics = metrics;
    this.clock = clock;
    this.workers = workers;
    this.locator = locator;
    this.requests = new BoundedCache<>(settings.maxRememberedReferences());
    this.jitter = PollJitter.of(settings.pollJitterPercent());
  }

  /** Remembers the request as the trader confirmed it, so a re-send uses the routed network. */
  void rememberRequest(CollectionRequest request) {
    requests.put(request.reference(), request);
  }

  String currencyOf(MobileMoneyProvider provider) {
    return configs.get(provider.name()).currency();
  }

  // --- sending

  /** Sends (or re-sends) the collection request under the payment's own reference. */
  CompletableFuture<Void> send(
      AssemblyLedger ledger,
      Payment payment,
      MobileMoneyProvider provider,
      CollectionRequest request) {
    String correlationId = payment.logCorrelationId();
    CompletableFuture<RequestOutcome> outcome =
        Correlation.call(correlationId, () -> request(provider, request));
    return outcome.thenAcceptAsync(
        answer ->
            Correlation.run(correlationId, () -> afterRequest(ledger, payment, provider, answer)),
        workers);
  }

  private static CompletableFuture<RequestOutcome> request(
      MobileMoneyProvider provider, CollectionRequest request) {
    CompletableFuture<RequestOutcome> outcome;
    try {
      outcome =
          provider
              .requestToPay(request)
              .toCompletableFuture()
              .handle(
                  (answer, failure) ->
                      failure == null
                          ? answer
                          : new RequestOutcome.OutcomeUnknown(
                              ProviderError.of(failure), ProviderError.describe(failure)));
    } catch (RuntimeException e) {
      outcome =
          CompletableFuture.completedFuture(
              new RequestOutcome.OutcomeUnknown(
                  ProviderError.NETWORK, e.getClass().getSimpleName()));
    }
    return outcome;
  }

  private void afterRequest(
      AssemblyLedger ledger,
      Payment payment,
      MobileMoneyProvider provider,
      RequestOutcome outcome) {
    UUID reference = payment.reference();
    LOG.atInfo()
        .addKeyValue("assembly", ledger.assembly().code())
        .addKeyValue("provider", provider.name())
        .addKeyValue("reference", reference)
        .addKeyValue("outcome", outcome)
        .log("collection request answered");
    Instant now = clock.instant();
    int attempts = Math.max(1, payment.attempts());
    if (outcome instanceof RequestOutcome.Accepted) {
      Payment pending = ledger.markPending(reference);
      if (payment.status() == PaymentStatus.INITIATED
          && pending.status() == PaymentStatus.PENDING) {
        metrics.payment(provider.name(), "pending");
      }
      quietUntil(payment, provider)
          .filter(quietEnd -> quietEnd.isAfter(now))
          .ifPresent(quietEnd -> reschedulePoll(ledger, reference, quietEnd));
    } else if (outcome instanceof RequestOutcome.AlreadyExists) {
      // The provider has it (an earlier send took): only its status can say more.
      reschedule(ledger, payment, settings.retryTable().next(RetryCause.PENDING, 1), now);
    } else if (outcome instanceof RequestOutcome.OutcomeUnknown unknown) {
      reschedule(
          ledger,
          payment,
          settings.retryTable().next(RetryCause.of(unknown.error()), attempts),
          now);
    } else if (outcome instanceof RequestOutcome.NotSent notSent) {
      RetryDecision decision = settings.retryTable().next(RetryCause.of(notSent.error()), attempts);
      if (decision instanceof RetryDecision.GiveUp) {
        // Every earlier attempt was NotSent or answered NotFound: nothing exists at the provider.
        expire(ledger, payment, provider, "request never delivered");
      } else {
        reschedule(ledger, payment, decision, now);
      }
    } else if (outcome instanceof RequestOutcome.Rejected rejected) {
      fail(ledger, payment, provider, FailureReason.fromCode(rejected.code()), rejected.code());
    }
  }

  // --- confirming

  /**
   * Asks the provider for the truth about a payment and acts on it. Final payments (SUCCESSFUL,
   * FAILED) are left alone; EXPIRED ones are still asked, so a late success settles.
   */
  CompletableFuture<Void> check(AssemblyLedger ledger, Payment payment) {
    // Whichever node and thread asks (callback, poller, re-check), it logs under the payment's id.
    String correlationId = payment.logCorrelationId();
    return Correlation.call(correlationId, () -> checkNow(ledger, payment, correlationId));
  }

  private CompletableFuture<Void> checkNow(
      AssemblyLedger ledger, Payment payment, String correlationId) {
    if (payment.status() == PaymentStatus.SUCCESSFUL || payment.status() == PaymentStatus.FAILED) {
      locator.forget(payment.reference());
      requests.remove(payment.reference());
      return CompletableFuture.completedFuture(null);
    }
    MobileMoneyProvider provider = providers.get(payment.provider());
    if (provider == null) {
      LOG.atWarn()
          .addKeyValue("assembly", ledger.assembly().code())
          .addKeyValue("provider", payment.provider())
          .addKeyValue("reference", payment.reference())
          .log("payment names a provider not configured on this node; looked at later");
      return CompletableFuture.runAsync(
          Correlation.wrap(
              correlationId,
              () -> {
                if (payment.status() != PaymentStatus.EXPIRED) {
                  ledger.reschedulePoll(payment.reference(), clock.instant().plus(UNSERVED_PAUSE));
                }
              }),
          workers);
    }
    CompletableFuture<ProviderStatus> status;
    try {
      status =
          provider
              .status(payment.reference())
              .toCompletableFuture()
              .handle(
                  (answer, failure) ->
                      failure == null
                          ? answer
                          : new ProviderStatus.Unknown(
                              ProviderError.of(failure), ProviderError.describe(failure)));
    } catch (RuntimeException e) {
      status =
          CompletableFuture.completedFuture(
              new ProviderStatus.Unknown(ProviderError.NETWORK, e.getClass().getSimpleName()));
    }
    return status.thenComposeAsync(
        answer -> Correlation.call(correlationId, () -> apply(ledger, payment, provider, answer)),
        workers);
  }

  private CompletableFuture<Void> apply(
      AssemblyLedger ledger, Payment payment, MobileMoneyProvider provider, ProviderStatus status) {
    LOG.atDebug()
        .addKeyValue("assembly", ledger.assembly().code())
        .addKeyValue("reference", payment.reference())
        .addKeyValue("status", status)
        .log("payment status read");
    if (status instanceof ProviderStatus.Successful successful) {
      settle(ledger, payment, provider, successful);
      return CompletableFuture.completedFuture(null);
    }
    if (status instanceof ProviderStatus.Failed failed) {
      fail(ledger, payment, provider, failed.reason(), failed.providerCode());
      return CompletableFuture.completedFuture(null);
    }
    if (payment.status() == PaymentStatus.EXPIRED) {
      // Only a success moves an expired payment; anything else leaves it as it is.
      return CompletableFuture.completedFuture(null);
    }
    Instant now = clock.instant();
    boolean expired = !now.isBefore(deadline(payment));
    int attempts = Math.max(1, payment.attempts());
    if (status instanceof ProviderStatus.Pending) {
      if (payment.status() == PaymentStatus.INITIATED) {
        ledger.markPending(payment.reference());
        metrics.payment(provider.name(), "pending");
      }
      if (expired) {
        expire(ledger, payment, provider, "still pending at local expiry");
      } else {
        reschedule(ledger, payment, settings.retryTable().next(status, attempts), now);
        // A callback's confirmation must not bring the provider's quiet period's polls forward.
        quietUntil(payment, provider)
            .filter(quietEnd -> quietEnd.isAfter(now))
            .ifPresent(quietEnd -> reschedulePoll(ledger, payment.reference(), quietEnd));
      }
      return CompletableFuture.completedFuture(null);
    }
    if (status instanceof ProviderStatus.NotFound) {
      if (expired) {
        expire(ledger, payment, provider, "never created at the provider");
        return CompletableFuture.completedFuture(null);
      }
      Optional<CollectionRequest> request = requestFor(ledger, payment, provider);
      if (request.isEmpty()) {
        LOG.atError()
            .addKeyValue("assembly", ledger.assembly().code())
            .addKeyValue("reference", payment.reference())
            .log("cannot rebuild the collection request (no network for the payer); not re-sent");
        reschedule(ledger, payment, settings.retryTable().next(RetryCause.PENDING, attempts), now);
        return CompletableFuture.completedFuture(null);
      }
      LOG.atInfo()
          .addKeyValue("assembly", ledger.assembly().code())
          .addKeyValue("provider", provider.name())
          .addKeyValue("reference", payment.reference())
          .log("provider has no such request; re-sending under the same reference");
      return send(ledger, payment, provider, request.get());
    }
    RetryDecision decision = settings.retryTable().next(status, attempts);
    if (decision instanceof RetryDecision.GiveUp && expired) {
      expire(ledger, payment, provider, "status unreadable until local expiry: " + status);
    } else {
      reschedule(ledger, payment, decision, now);
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The end of the provider's quiet period for this payment (no status query before it unless a
   * callback came), never past the local expiry.
   */
  private Optional<Instant> quietUntil(Payment payment, MobileMoneyProvider provider) {
    long quiet = provider.statusQuietMillis();
    if (quiet <= 0) {
      return Optional.empty();
    }
    Instant end = payment.createdAt().plusMillis(quiet);
    Instant deadline = deadline(payment);
    return Optional.of(end.isAfter(deadline) ? deadline : end);
  }

  private void reschedulePoll(AssemblyLedger ledger, UUID reference, Instant at) {
    try {
      ledger.reschedulePoll(reference, at);
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("reference", reference)
          .setCause(e)
          .log("could not reschedule; the claim lease brings it back");
    }
  }

  private Instant deadline(Payment payment) {
    return payment.createdAt().plusMillis(settings.localExpiryMillis());
  }

  private void reschedule(
      AssemblyLedger ledger, Payment payment, RetryDecision decision, Instant now) {
    Instant deadline = deadline(payment);
    Instant at;
    if (decision instanceof RetryDecision.RetryAfter retry) {
      at = now.plusMillis(jitter.apply(retry.pauseMillis()));
      if (now.isBefore(deadline) && at.isAfter(deadline)) {
        at = deadline; // one last look exactly at local expiry
      }
    } else {
      LOG.atWarn()
          .addKeyValue("assembly", ledger.assembly().code())
          .addKeyValue("reference", payment.reference())
          .addKeyValue("decision", decision)
          .log("retries used up before local expiry; next look at expiry");
      at = deadline.isAfter(now) ? deadline : now.plus(UNSERVED_PAUSE);
    }
    try {
      ledger.reschedulePoll(payment.reference(), at);
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("reference", payment.reference())
          .setCause(e)
          .log("could not reschedule; the claim lease brings it back");
    }
  }

  private Optional<CollectionRequest> requestFor(
      AssemblyLedger ledger, Payment payment, MobileMoneyProvider provider) {
    CollectionRequest remembered = requests.get(payment.reference());
    if (remembered != null) {
      return Optional.of(remembered);
    }
    Optional<Msisdn> payer = Msisdn.parse(payment.payerMsisdn());
    // The network routed at the start (stored with the intent) wins over the prefix table: a
    // ported number named by the aggregator must be re-sent to the same network after a restart.
    Optional<Network> network =
        payment
            .network()
            .flatMap(Lifecycle::network)
            .or(
                () ->
                    payer.flatMap(settings.routingFor(ledger.assembly().code())::networkByPrefix));
    if (payer.isEmpty() || network.isEmpty()) {
      return Optional.empty();
    }
    String name = ledger.assembly().name();
    return Optional.of(
        new CollectionRequest(
            payment.reference(),
            payer.get(),
            network.get(),
            payment.amountPesewas(),
            currencyOf(provider),
            name + " payment",
            name));
  }

  private static Optional<Network> network(String name) {
    for (Network n : Network.values()) {
      if (n.name().equals(name)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  // --- the ledger's side

  private void settle(
      AssemblyLedger ledger,
      Payment payment,
      MobileMoneyProvider provider,
      ProviderStatus.Successful successful) {
    UUID reference = payment.reference();
    String code = ledger.assembly().code();
    if (!successful.currency().equals(currencyOf(provider))) {
      LOG.atError()
          .addKeyValue("assembly", code)
          .addKeyValue("reference", reference)
          .addKeyValue("currency", successful.currency())
          .log("provider reports success in another currency; not posted, needs a person");
      ledger.reschedulePoll(reference, clock.instant().plus(UNSERVED_PAUSE));
      return;
    }
    try {
      Settlement settlement =
          ledger.settleSuccessful(
              reference,
              successful.amountPesewas(),
              successful.providerTxnId(),
              notifiers.apply(code));
      if (payment.status() != PaymentStatus.SUCCESSFUL) {
        metrics.payment(provider.name(), settlement.suspense() ? "suspense" : "successful");
        metrics.settled(provider.name(), Duration.between(payment.createdAt(), clock.instant()));
      }
      LOG.atInfo()
          .addKeyValue("assembly", code)
          .addKeyValue("provider", provider.name())
          .addKeyValue("reference", reference)
          .addKeyValue("transferId", settlement.transferId())
          .addKeyValue("receipt", settlement.receipt().map(r -> r.number()).orElse("-"))
          .addKeyValue("suspense", settlement.suspense())
          .log(
              settlement.suspense()
                  ? "payment settled to suspense: provider amount differs"
                  : "payment settled");
    } catch (IllegalTransitionException | IdempotencyConflictException e) {
      LOG.atError()
          .addKeyValue("assembly", code)
          .addKeyValue("reference", reference)
          .setCause(e)
          .log("provider reports success that contradicts the ledger; needs a person");
    }
    locator.forget(reference);
    requests.remove(reference);
  }

  private void fail(
      AssemblyLedger ledger,
      Payment payment,
      MobileMoneyProvider provider,
      FailureReason reason,
      String providerCode) {
    UUID reference = payment.reference();
    String code = ledger.assembly().code();
    try {
      Payment after = ledger.markFailed(reference, reason.name(), notifiers.apply(code));
      if (after.status() == PaymentStatus.FAILED && payment.status() != PaymentStatus.FAILED) {
        metrics.payment(provider.name(), "failed");
      }
      LOG.atInfo()
          .addKeyValue("assembly", code)
          .addKeyValue("provider", provider.name())
          .addKeyValue("reference", reference)
          .addKeyValue("reason", reason)
          .addKeyValue("providerCode", providerCode)
          .addKeyValue("status", after.status())
          .log("payment failed at the provider");
    } catch (IllegalTransitionException e) {
      LOG.atError()
          .addKeyValue("assembly", code)
          .addKeyValue("reference", reference)
          .setCause(e)
          .log("provider reports failure of a settled payment; needs a person");
    }
    locator.forget(reference);
    requests.remove(reference);
  }

  private void expire(
      AssemblyLedger ledger, Payment payment, MobileMoneyProvider provider, String why) {
    try {
      Payment after =
          ledger.markExpired(payment.reference(), notifiers.apply(ledger.assembly().code()));
      if (payment.status() != PaymentStatus.EXPIRED && after.status() == PaymentStatus.EXPIRED) {
        metrics.payment(provider.name(), "expired");
      }
      LOG.atInfo()
          .addKeyValue("assembly", ledger.assembly().code())
          .addKeyValue("reference", payment.reference())
          .addKeyValue("why", why)
          .log("payment expired locally; a late success will still settle");
    } catch (IllegalTransitionException e) {
      // Settled or failed in the meantime, on this node or another: nothing to expire.
      LOG.atDebug().addKeyValue("reference", payment.reference()).log("already final");
    }
    requests.remove(payment.reference());
  }
}
