package org.assemblypay.payments.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Correlation;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.Payment;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.payments.BoundedJson;
import org.assemblypay.payments.CallbackParse;
import org.assemblypay.payments.CallbackSink;
import org.assemblypay.payments.CollectionRequest;
import org.assemblypay.payments.MobileMoneyProvider;
import org.assemblypay.payments.MobileMoneyProviders;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.ProviderConfig;
import org.assemblypay.payments.ProviderContext;
import org.assemblypay.payments.ProviderRouter;
import org.assemblypay.payments.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment lifecycle, the one entry class of {@code payments-bridge}: starts payments for the
 * USSD menu without waiting for a provider, takes provider callbacks as hints, polls what no
 * callback settled, and posts each success to the assembly's ledger exactly once.
 *
 * <p>Build one per gateway node with {@link #create}; call {@link #startPolling()} once the node is
 * ready and {@link #close()} on shutdown. Several nodes may run over the same databases.
 */
public final class PaymentService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);

  /** The first pause before a held early callback is looked up again. */
  private static final long EARLY_HINT_FIRST_PAUSE_MILLIS = 250;

  private final PaymentSettings settings;
  private final Ledger ledger;
  private final Map<String, MobileMoneyProvider> providers;
  private final PaymentMetrics metrics;
  private final ScheduledExecutorService scheduler;
  private final ThreadPoolExecutor workers;
  private final PaymentLocator locator;
  private final Coalescer coalescer = new Coalescer();
  private final EarlyHints earlyHints;
  private final Lifecycle lifecycle;
  private final StatusPoller poller;
  private final Map<String, ProviderRouter> routers = new ConcurrentHashMap<>();
  private final AtomicReference<ScheduledFuture<?>> polling = new AtomicReference<>();

  /** The result of taking a callback in: the HTTP answer and the confirmation it started. */
  record Intake(CallbackAnswer answer, CompletableFuture<Void> confirmed) {}

  /** The result of starting a payment: what the menu is told and the send it started. */
  record Dispatch(StartResult result, CompletableFuture<Void> sent) {}

  private PaymentService(
      PaymentSettings settings,
      Ledger ledger,
      Map<String, MobileMoneyProvider> providers,
      Map<String, ProviderConfig> configs,
      Function<String, Notifier> notifiers,
      MeterRegistry meters,
      InstantSource clock,
      ScheduledExecutorService scheduler) {
    this.settings = settings;
    this.ledger = ledger;
    this.providers = Map.copyOf(providers);
    this.scheduler = scheduler;
    this.metrics = new PaymentMetrics(meters);
    this.workers = workers(settings);
    this.locator = new PaymentLocator(ledger, settings, metrics);
    this.earlyHints = new EarlyHints(settings.maxEarlyHints());
    this.lifecycle =
        new Lifecycle(
            settings, this.providers, configs, notifiers, metrics, clock, workers, locator);
    this.poller = new StatusPoller(ledger, settings, locator, coalescer, lifecycle, metrics, clock);
    metrics.gauge(PaymentMetrics.WORKER_QUEUE, () -> workers.getQueue().size());
    metrics.gauge(PaymentMetrics.EARLY_HINTS, earlyHints::size);
    routers.put("", new ProviderRouter(settings.defaultRouting(), this.providers));
    settings
        .routingByAssembly()
        .forEach((code, table) -> routers.put(code, new ProviderRouter(table, this.providers)));
  }

  /**
   * Builds the service and its provider adapters.
   *
   * @param settings routing, expiry, retry table and bounds
   * @param ledger the ledger (registry and per-assembly ledgers)
   * @param providerConfigs one entry per configured provider; names must be unique
   * @param http the HTTP client for provider calls ({@link MobileMoneyProviders#httpClient})
   * @param scheduler runs poll rounds, early-callback retries and the simulator's delays; owned by
   *     the caller
   * @param notifiers the SMS wording for an assembly code (receipt and failure messages)
   * @param meters where the lifecycle's and the providers' metrics go
   * @param clock decides expiry, retry times and token lifetimes
   * @return the service; the simulator's callbacks are already wired to {@link #handleCallback}
   */
  public static PaymentService create(
      PaymentSettings settings,
      Ledger ledger,
      List<ProviderConfig> providerConfigs,
      HttpClient http,
      ScheduledExecutorService scheduler,
      Function<String, Notifier> notifiers,
      MeterRegistry meters,
      InstantSource clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(notifiers, "notifiers");
    AtomicReference<PaymentService> relay = new AtomicReference<>();
    CallbackSink sink =
        (provider, headers, body) -> {
          PaymentService service = relay.get();
          if (service != null) {
            service.receive(provider, headers, body);
          }
        };
    ProviderContext context = new ProviderContext(http, meters, clock, scheduler, sink);
    Map<String, MobileMoneyProvider> providers = new HashMap<>();
    Map<String, ProviderConfig> configs = new HashMap<>();
    for (ProviderConfig config : providerConfigs) {
      if (configs.put(config.name(), config) != null) {
        throw new IllegalArgumentException("two providers named " + config.name());
      }
      providers.put(config.name(), MobileMoneyProviders.create(config, context));
    }
    PaymentService service =
        new PaymentService(
            settings, ledger, providers, configs, notifiers, meters, clock, scheduler);
    relay.set(service);
    return service;
  }

  private static ThreadPoolExecutor workers(PaymentSettings settings) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        runnable -> {
          Thread thread = new Thread(runnable, "payments-worker-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    return new ThreadPoolExecutor(
        settings.workerThreads(),
        settings.workerThreads(),
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(settings.workerQueueCapacity()),
        threads,
        new ThreadPoolExecutor.AbortPolicy());
  }

  // --- starting a payment

  /**
   * Starts a payment: routes the payer, stores the intent under a fresh UUID v4 (committed before
   * any provider call) and returns at once; the collection request goes out on a worker. If the
   * workers are saturated the request is left to the poller, which sends it when the intent falls
   * due. Blocks only for the intent's insert.
   *
   * @throws org.assemblypay.ledger.LedgerException when the ledger refuses the intent (unknown
   *     assembly or trader, amount outside the assembly's limits)
   */
  public StartResult start(PaymentOrder order) {
    return dispatch(order).result();
  }

  Dispatch dispatch(PaymentOrder order) {
    Objects.requireNonNull(order, "order");
    AssemblyLedger assembly = ledger.assembly(order.assemblyCode());
    String code = assembly.assembly().code();
    Route route = router(code).route(order.payer(), order.aggregatorNetwork());
    if (route instanceof Route.UnknownNetwork) {
      LOG.atInfo()
          .addKeyValue("assembly", code)
          .addKeyValue("payer", order.payer().masked())
          .log("payer's network unknown; payment not started");
      return new Dispatch(
          new StartResult.UnknownNetwork(), CompletableFuture.completedFuture(null));
    }
    if (route instanceof Route.NoProvider none) {
      return new Dispatch(
          new StartResult.Unavailable(none.network()), CompletableFuture.completedFuture(null));
    }
    Route.Routed routed = (Route.Routed) route;
    MobileMoneyProvider provider = routed.provider();
    UUID reference =
        order.idempotencyKey().map(key -> referenceFor(code, key)).orElseGet(UUID::randomUUID);
    // The reference index first (control schema), then the intent: every intent is indexed, so a
    // callback finds its assembly with one read. Only the copy that wrote the index row sends.
    // The first copy of a confirmation (nearly every one) makes two round trips, not three: the
    // read for an earlier copy's payment happens only when the index row was there already
    // (D223).
    boolean owner = locator.index(reference, code);
    if (!owner) {
      Optional<Payment> earlier = assembly.payment(reference);
      if (earlier.isPresent()) {
        return alreadyStarted(code, reference, earlier.get(), routed);
      }
    }
    NewPayment intent =
        new NewPayment(
            reference,
            provider.name(),
            order.traderId(),
            order.payer().digits(),
            order.amountPesewas(),
            order.purpose(),
            order.language(),
            routed.network().name(),
            Correlation.current().orElse(null));
    Payment payment = assembly.createPaymentIntent(intent);
    if (!owner) {
      // Another copy of this confirmation (a hop racing its retry, or the same hop on another
      // node) indexed it a moment ago and sends the request. The intent is written here too, in
      // case that copy died in between: the poller then finds it INITIATED and sends it.
      LOG.atInfo()
          .addKeyValue("assembly", code)
          .addKeyValue("reference", reference)
          .log("another copy of this confirmation is sending it; nothing sent here");
      return new Dispatch(
          new StartResult.Started(reference, routed.network(), provider.name()),
          CompletableFuture.completedFuture(null));
    }
    if (payment.status() != PaymentStatus.INITIATED) {
      // The intent was already there and past INITIATED although its index row was not: written
      // before the index existed and already sent. Asking again would prompt the trader twice.
      return alreadyStarted(code, reference, payment, routed);
    }
    metrics.payment(provider.name(), "initiated");
    CollectionRequest request =
        new CollectionRequest(
            reference,
            order.payer(),
            routed.network(),
            order.amountPesewas(),
            lifecycle.currencyOf(provider),
            order.payerMessage(),
            order.payeeNote());
    lifecycle.rememberRequest(request);
    CompletableFuture<Void> sent = new CompletableFuture<>();
    try {
      workers.execute(
          Correlation.wrap(
              payment.logCorrelationId(),
              () ->
                  coalescer
                      .run(
                          reference,
                          () -> lifecycle.send(assembly, payment, provider, request),
                          () -> recheck(reference))
                      .whenComplete(
                          (ignored, failure) -> {
                            if (failure == null) {
                              sent.complete(null);
                            } else {
                              sent.completeExceptionally(failure);
                            }
                          })));
    } catch (RejectedExecutionException e) {
      LOG.atWarn()
          .addKeyValue("assembly", code)
          .addKeyValue("reference", reference)
          .log("workers saturated; the poller will send this request");
      sent.complete(null);
    }
    LOG.atInfo()
        .addKeyValue("assembly", code)
        .addKeyValue("provider", provider.name())
        .addKeyValue("reference", reference)
        .addKeyValue("network", routed.network())
        .addKeyValue("basis", routed.basis())
        .addKeyValue("payer", order.payer().masked())
        .addKeyValue("amountPesewas", order.amountPesewas())
        .log("payment started");
    return new Dispatch(
        new StartResult.Started(reference, routed.network(), provider.name()), sent);
  }

  /** A copy of a confirmation whose payment an earlier copy started: nothing is sent again. */
  private static Dispatch alreadyStarted(
      String code, UUID reference, Payment earlier, Route.Routed routed) {
    // A retried hop, or the same hop on another node: the first copy's request is in flight or
    // settled; asking the provider again would prompt the trader twice.
    LOG.atInfo()
        .addKeyValue("assembly", code)
        .addKeyValue("reference", reference)
        .log("payment already started for this confirmation; nothing sent again");
    Network network = earlier.network().map(Network::valueOf).orElse(routed.network());
    return new Dispatch(
        new StartResult.Started(reference, network, earlier.provider()),
        CompletableFuture.completedFuture(null));
  }

  /**
   * The payment reference for one confirmation: a SHA-256 of the assembly and the idempotency key,
   * shaped as a version-4 UUID (MTN requires that form for X-Reference-Id), so every copy of the
   * confirmation names the same payment.
   */
  static UUID referenceFor(String assemblyCode, String idempotencyKey) {
    byte[] hash;
    try {
      hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  (assemblyCode + ":" + idempotencyKey)
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x40);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bytes.getLong(), bytes.getLong());
  }

  private ProviderRouter router(String assemblyCode) {
    ProviderRouter own = routers.get(PaymentSettings.upper(assemblyCode));
    return own != null ? own : routers.get("");
  }

  // --- callbacks

  /**
   * Takes a provider callback ({@code PUT|POST /payments/callback/{provider}}). Never blocks and
   * never reveals whether the reference exists: the hint is confirmed later with the provider's
   * status query, on a worker. Answers 413 over 16 KiB, 404 for an unknown provider name, 503 when
   * the workers are saturated (the poller still settles the payment), else 200.
   *
   * @param providerName the {@code {provider}} path segment
   * @param headers request headers (names in any case)
   * @param body the raw body, read by the caller up to 16 KiB + 1 bytes
   */
  public CallbackAnswer handleCallback(
      String providerName, Map<String, String> headers, byte[] body) {
    Map<String, List<String>> multi = new HashMap<>();
    if (headers != null) {
      headers.forEach((name, value) -> multi.put(name, List.of(value == null ? "" : value)));
    }
    return receive(providerName, multi, body).answer();
  }

  Intake receive(String providerName, Map<String, List<String>> headers, byte[] body) {
    MobileMoneyProvider provider = providerName == null ? null : providers.get(providerName);
    String tag = provider == null ? "unknown" : provider.name();
    if (body != null && body.length > BoundedJson.MAX_CALLBACK_BYTES) {
      metrics.callback(tag, "too_large");
      LOG.atWarn()
          .addKeyValue("provider", tag)
          .addKeyValue("bytes", body.length)
          .log("callback refused: body too large");
      return new Intake(CallbackAnswer.TOO_LARGE, CompletableFuture.completedFuture(null));
    }
    if (provider == null) {
      metrics.callback(tag, "unknown_provider");
      LOG.atWarn()
          .addKeyValue("provider", printable(providerName))
          .log("callback for a provider not configured here");
      return new Intake(CallbackAnswer.NO_SUCH_PROVIDER, CompletableFuture.completedFuture(null));
    }
    CallbackParse parse = provider.parseCallback(headers, body == null ? new byte[0] : body);
    if (parse instanceof CallbackParse.Refused refused) {
      metrics.callback(tag, refused.refusal().name().toLowerCase(Locale.ROOT));
      LOG.atWarn()
          .addKeyValue("provider", tag)
          .addKeyValue("refusal", refused.refusal())
          .addKeyValue("detail", refused.detail())
          .log("callback refused");
      return new Intake(CallbackAnswer.RECEIVED, CompletableFuture.completedFuture(null));
    }
    CallbackParse.Hint hint = (CallbackParse.Hint) parse;
    CompletableFuture<CompletableFuture<Void>> queued = new CompletableFuture<>();
    try {
      workers.execute(
          () -> {
            try {
              queued.complete(confirm(hint));
            } catch (RuntimeException e) {
              queued.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      metrics.callback(tag, "busy");
      LOG.atWarn()
          .addKeyValue("provider", tag)
          .addKeyValue("reference", hint.reference())
          .log("workers saturated; callback answered 503, the poller will settle");
      return new Intake(CallbackAnswer.BUSY, CompletableFuture.completedFuture(null));
    }
    CompletableFuture<Void> confirmed = queued.thenCompose(Function.identity());
    confirmed.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            LOG.atWarn()
                .addKeyValue("provider", tag)
                .addKeyValue("reference", hint.reference())
                .setCause(failure)
                .log("callback confirmation failed; the poller will settle");
          }
        });
    return new Intake(CallbackAnswer.RECEIVED, confirmed);
  }

  private CompletableFuture<Void> confirm(CallbackParse.Hint hint) {
    UUID reference = hint.reference();
    Optional<PaymentLocator.Located> located = locator.find(reference);
    if (located.isEmpty()) {
      metrics.callback(hint.provider(), "unknown_reference");
      boolean held =
          earlyHints.hold(reference, hint.provider(), EARLY_HINT_FIRST_PAUSE_MILLIS)
              && scheduleHint(reference, EARLY_HINT_FIRST_PAUSE_MILLIS);
      LOG.atInfo()
          .addKeyValue("provider", hint.provider())
          .addKeyValue("reference", reference)
          .addKeyValue("held", held)
          .log("callback for a reference not (yet) known here");
      return CompletableFuture.completedFuture(null);
    }
    metrics.callback(hint.provider(), "confirmed");
    PaymentLocator.Located found = located.get();
    return Correlation.call(found.payment().logCorrelationId(), () -> confirmLocated(hint, found));
  }

  private CompletableFuture<Void> confirmLocated(
      CallbackParse.Hint hint, PaymentLocator.Located found) {
    UUID reference = hint.reference();
    if (!found.payment().provider().equals(hint.provider())) {
      LOG.atWarn()
          .addKeyValue("provider", hint.provider())
          .addKeyValue("owner", found.payment().provider())
          .addKeyValue("reference", reference)
          .log("callback from a provider that does not own the payment; asking the owner");
    }
    return coalescer.run(
        reference,
        () -> lifecycle.check(found.ledger(), found.payment()),
        () -> recheck(reference));
  }

  private CompletableFuture<Void> recheck(UUID reference) {
    return locator
        .find(reference)
        .map(found -> lifecycle.check(found.ledger(), found.payment()))
        .orElseGet(() -> CompletableFuture.completedFuture(null));
  }

  private boolean scheduleHint(UUID reference, long pauseMillis) {
    try {
      scheduler.schedule(
          () -> {
            try {
              workers.execute(() -> retryHint(reference));
            } catch (RejectedExecutionException e) {
              earlyHints.release(reference);
            }
          },
          pauseMillis,
          TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      earlyHints.release(reference);
      return false;
    }
  }

  private void retryHint(UUID reference) {
    EarlyHints.Held held = earlyHints.get(reference);
    if (held == null) {
      return;
    }
    Optional<PaymentLocator.Located> located;
    try {
      located = locator.find(reference);
    } catch (RuntimeException e) {
      located = Optional.empty();
    }
    if (located.isPresent()) {
      earlyHints.release(reference);
      PaymentLocator.Located found = located.get();
      LOG.atInfo()
          .addKeyValue("reference", reference)
          .log("early callback's payment is now visible; confirming");
      coalescer.run(
          reference,
          () -> lifecycle.check(found.ledger(), found.payment()),
          () -> recheck(reference));
      return;
    }
    long elapsedMillis = (System.nanoTime() - held.firstSeenNanos()) / 1_000_000;
    if (elapsedMillis >= settings.earlyHintWindowMillis()) {
      earlyHints.release(reference);
      LOG.atInfo()
          .addKeyValue("provider", held.provider())
          .addKeyValue("reference", reference)
          .log("early callback dropped after its window; the poller settles it if it exists");
      return;
    }
    long next = Math.min(held.nextPauseMillis() * 2, 5_000);
    earlyHints.replace(
        reference, new EarlyHints.Held(held.provider(), held.firstSeenNanos(), next));
    scheduleHint(reference, held.nextPauseMillis());
  }

  private static String printable(String name) {
    if (name == null) {
      return "";
    }
    String cleaned = name.replaceAll("[^A-Za-z0-9_-]", "?");
    return cleaned.length() > 32 ? cleaned.substring(0, 32) : cleaned;
  }

  // --- polling

  /** Starts poll rounds every {@code pollIntervalMillis}; calling it twice changes nothing. */
  public void startPolling() {
    long interval = settings.pollIntervalMillis();
    ScheduledFuture<?> task =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                workers.execute(poller::pollOnce);
              } catch (RejectedExecutionException e) {
                LOG.atDebug().log("workers saturated; poll round skipped");
              }
            },
            interval,
            interval,
            TimeUnit.MILLISECONDS);
    if (!polling.compareAndSet(null, task)) {
      task.cancel(false);
    }
  }

  /** Stops scheduling poll rounds; checks in flight finish. */
  public void stopPolling() {
    ScheduledFuture<?> task = polling.getAndSet(null);
    if (task != null) {
      task.cancel(false);
    }
  }

  /** One poll round now; completes when its checks are done, with the number claimed. */
  CompletableFuture<Integer> pollOnce() {
    return CompletableFuture.supplyAsync(poller::pollOnce, workers).thenCompose(f -> f);
  }

  /** Stops polling and the workers, waiting up to five seconds for work in flight. */
  @Override
  public void close() {
    stopPolling();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
