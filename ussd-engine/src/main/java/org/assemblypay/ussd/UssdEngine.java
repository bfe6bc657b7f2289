package org.assemblypay.ussd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.assemblypay.session.LastSession;
import org.assemblypay.session.SaveResult;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionWrite;
import org.assemblypay.session.StoredSession;
import org.assemblypay.ussd.menu.ActionContext;
import org.assemblypay.ussd.menu.ActionResult;
import org.assemblypay.ussd.menu.InputSpec;
import org.assemblypay.ussd.menu.Item;
import org.assemblypay.ussd.menu.MenuAction;
import org.assemblypay.ussd.menu.MenuDefinition;
import org.assemblypay.ussd.menu.MenuLoader;
import org.assemblypay.ussd.menu.MenuOption;
import org.assemblypay.ussd.menu.Messages;
import org.assemblypay.ussd.menu.Screen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The USSD menu-state machine: takes a {@link UssdRequest}, loads the session, replays duplicates,
 * consumes the input, runs the screen's actions on the caller's executor within the hop deadline,
 * renders the next screen within the budget and saves the session with compare-and-set. It never
 * blocks the calling thread. Build one with {@link #builder()}.
 */
public final class UssdEngine {

  private static final Logger LOG = LoggerFactory.getLogger(UssdEngine.class);
  private static final Pattern CHOICE = Pattern.compile("\\d{1,3}");
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  // Resolved once: a session is read and written on every hop.
  private static final ObjectReader STATE_READER = JSON.readerFor(SessionState.class);
  private static final ObjectWriter STATE_WRITER = JSON.writerFor(SessionState.class);

  /** Why a session ended without a final screen. */
  public enum EndReason {
    /** The user or the network released the session. */
    RELEASED,
    /** The network timed the session out (the user may resume it). */
    TIMED_OUT
  }

  private final MenuDefinition menu;
  private final Map<String, MenuAction> actions;
  private final Texts texts;
  private final SessionStore store;
  private final Executor actionExecutor;
  private final Supplier<Executor> callerExecutor;
  private final EngineConfig config;
  private final Clock clock;
  private final EngineListener listener;
  private final EngineMetrics metrics;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, CompletableFuture<UssdReply>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicInteger inFlightCount = new AtomicInteger();

  private UssdEngine(Builder b) {
    this.menu = Objects.requireNonNull(b.menu, "menu");
    this.actions = Map.copyOf(b.actions);
    this.store = Objects.requireNonNull(b.store, "store");
    this.actionExecutor = Objects.requireNonNull(b.actionExecutor, "actionExecutor");
    this.callerExecutor = b.callerExecutor;
    this.config = b.config;
    this.clock = b.clock;
    this.listener = b.listener;
    this.texts = new Texts(b.messages, Messages.of(menu.messages()), config.defaultLanguage());
    this.registry = Objects.requireNonNull(b.registry, "registry");
    this.metrics = new EngineMetrics(registry, inFlightCount, config.maxInFlightHops());
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Screen> entry : menu.screens().entrySet()) {
      String action = entry.getValue().action();
      if (action != null && !actions.containsKey(action)) {
        missing.add(action + " (screen " + entry.getKey() + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("menu names actions nobody supplied: " + missing);
    }
  }

  /** A builder; menu, store, action executor and meter registry are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The menu this engine runs. */
  public MenuDefinition menu() {
    return menu;
  }

  /**
   * The text for {@code key} in the default language: the caller's messages, then the menu's texts,
   * then the engine's English default.
   */
  public String text(String key) {
    return texts.raw(key, config.defaultLanguage());
  }

  /** The engine's clock. */
  public Clock clock() {
    return clock;
  }

  /** Where the engine's metrics go. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /**
   * Answers one hop. The stage never completes exceptionally: a failure becomes a polite END.
   *
   * @param budget the screen budget of the aggregator the hop came from
   */
  public CompletionStage<UssdReply> handle(UssdRequest request, ScreenBudget budget) {
    long startNanos = System.nanoTime();
    String flightKey =
        request.sessionId()
            + '\u0000'
            + request.input()
            + '\u0000'
            + request.sequence()
            + '\u0000'
            + request.newSession();
    CompletableFuture<UssdReply> mine = new CompletableFuture<>();
    CompletableFuture<UssdReply> running = inFlight.putIfAbsent(flightKey, mine);
    if (running != null) {
      // A copy of a hop still being answered: share its answer instead of running it again.
      return running.whenComplete(
          (reply, failure) ->
              metrics.hop(
                  request.dialect(),
                  request.serviceCode(),
                  "duplicate",
                  System.nanoTime() - startNanos));
    }
    if (inFlightCount.incrementAndGet() > config.maxInFlightHops()) {
      inFlightCount.decrementAndGet();
      inFlight.remove(flightKey, mine);
      metrics.hop(request.dialect(), request.serviceCode(), "busy", System.nanoTime() - startNanos);
      return CompletableFuture.completedFuture(
          UssdReply.end(texts.raw(Texts.BUSY, config.defaultLanguage())));
    }
    Hop hop = new Hop(request, budget, startNanos);
    CompletionStage<Outcome> outcome;
    try {
      outcome = hop.run();
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    outcome.whenComplete(
        (result, failure) -> {
          inFlightCount.decrementAndGet();
          inFlight.remove(flightKey, mine);
          Outcome done = result;
          if (failure != null) {
            HopCorrelation.run(
                request.correlationId(),
                () ->
                    LOG.error(
                        "hop failed for session {} of {}",
                        request.sessionId(),
                        request.msisdn().masked(),
                        unwrap(failure)));
            done =
                new Outcome(
                    UssdReply.end(texts.raw(Texts.ERROR, config.defaultLanguage())), "error");
          }
          metrics.hop(
              request.dialect(),
              request.serviceCode(),
              done.label(),
              System.nanoTime() - startNanos);
          mine.complete(done.reply());
        });
    return mine.thenApply(reply -> reply);
  }

  /**
   * The aggregator says the session is over without a final screen (Hubtel Release or Timeout). The
   * session is removed; after a time-out the phone may resume it within the resume window.
   */
  public CompletionStage<Void> end(
      String dialect, String sessionId, Msisdn msisdn, String serviceCode, EndReason reason) {
    long startNanos = System.nanoTime();
    return store
        .load(sessionId)
        .thenCompose(
            stored -> {
              if (stored.isEmpty()) {
                return CompletableFuture.<Void>completedFuture(null);
              }
              SessionState state = parse(stored.get().payload());
              if (state.ended) {
                return store.delete(sessionId);
              }
              metrics.dropOff(state.screen);
              if (reason == EndReason.TIMED_OUT) {
                metrics.session("timed_out", serviceCode);
                return store.delete(sessionId);
              }
              metrics.session("ended", serviceCode);
              return store
                  .delete(sessionId)
                  .thenCompose(ignored -> store.forgetLast(msisdn.value(), sessionId));
            })
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                LOG.warn(
                    "ending session {} of {} failed: {}",
                    sessionId,
                    msisdn.masked(),
                    unwrap(failure).toString());
              }
              metrics.hop(
                  dialect,
                  serviceCode,
                  reason == EndReason.TIMED_OUT ? "timeout" : "release",
                  System.nanoTime() - startNanos);
              return null;
            });
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** The session's stored form: the compact encoding (D192). */
  static String serialize(SessionState state) {
    return SessionCodec.encode(state);
  }

  /**
   * Reads a stored session: the compact encoding, or the JSON of a release before it (a session or
   * resume record saved just before an upgrade).
   */
  static SessionState parse(String payload) {
    try {
      if (SessionCodec.isCompact(payload)) {
        return SessionCodec.decode(payload);
      }
      return STATE_READER.readValue(payload);
    } catch (JsonProcessingException | IllegalArgumentException | ArithmeticException e) {
      throw new IllegalStateException("session payload is not engine state", e);
    }
  }

  /** The JSON form earlier releases stored; for tests that check those are still read. */
  static String serializeJson(SessionState state) {
    try {
      return STATE_WRITER.writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("session state cannot be written", e);
    }
  }

  /** Segments of a dial string beyond the service code: {@code *713*44*2#} − {@code *713*44#}. */
  static List<String> directDialPath(String serviceCode, String dialString) {
    List<String> service = segments(serviceCode);
    List<String> dial = segments(dialString);
    if (service.isEmpty() || dial.size() <= service.size()) {
      return List.of();
    }
    if (!dial.subList(0, service.size()).equals(service)) {
      return List.of();
    }
    return List.copyOf(dial.subList(service.size(), dial.size()));
  }

  private static List<String> segments(String code) {
    List<String> parts = new ArrayList<>();
    for (String part : code.replace("#", "").split("\\*")) {
      if (!part.isBlank()) {
        parts.add(part.trim());
      }
    }
    return parts;
  }

  /** A reply and the metric label of how it came about. */
  private record Outcome(UssdReply reply, String label) {}

  /** The decision of one hop before it is saved. */
  private record Step(SessionState state, String label, boolean invalid) {}

  /** Thrown inside a hop when an action overran; becomes the deadline END. */
  private static final class DeadlineOverrun extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient DeadlineMissed event;

    DeadlineOverrun(DeadlineMissed event) {
      super(null, null, false, false);
      this.event = event;
    }
  }

  /** One hop's work. */
  private final class Hop {
    private final UssdRequest request;
    private final ScreenBudget budget;
    private final long deadlineNanos;
    private final long nowMillis;
    private final String sessionId;
    private final String correlationId;
    private int jumps;
    private String forgetSessionId;
    private String consumedInput = "";
    private String fromScreen;

    Hop(UssdRequest request, ScreenBudget budget, long startNanos) {
      this.request = request;
      this.budget = budget;
      this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(config.hopDeadlineMillis());
      this.nowMillis = clock.millis();
      this.sessionId = request.sessionId();
      this.correlationId = request.correlationId();
    }

    CompletionStage<Outcome> run() {
      boolean maybeFirst =
          request.inputStyle() == UssdRequest.InputStyle.CUMULATIVE
              ? request.input().isEmpty()
              : request.newSession();
      // A hop that may start a session also needs the phone's resume record: one store call
      // (one round trip on a standalone Redis, D221).
      CompletableFuture<Loaded> loaded =
          maybeFirst
              ? store
                  .loadWithLast(sessionId, request.msisdn().value())
                  .toCompletableFuture()
                  .thenApply(both -> new Loaded(both.session(), both.last()))
              : store
                  .load(sessionId)
                  .toCompletableFuture()
                  .thenApply(session -> new Loaded(session, Optional.empty()));
      Executor here = callerExecutor.get();
      return here == null
          ? loaded.thenCompose(this::decide)
          : loaded.thenComposeAsync(this::decide, here);
    }

    private record Loaded(Optional<StoredSession> session, Optional<LastSession> last) {}

    private CompletionStage<Outcome> decide(Loaded loaded) {
      if (loaded.session().isEmpty()) {
        if (request.inputStyle() == UssdRequest.InputStyle.SINGLE && !request.newSession()) {
          return done(UssdReply.end(text(Texts.EXPIRED, Map.of())), "expired");
        }
        SessionState fresh = new SessionState();
        return settle(start(fresh, loaded.last()), fresh, 0);
      }
      StoredSession stored = loaded.session().get();
      SessionState state = parse(stored.payload());
      Optional<String> newest = newestInput(state);
      if (newest.isEmpty()) {
        return done(replayOf(state), "replay");
      }
      SessionState work = state.copy();
      fromScreen = state.screen;
      return settle(consume(work, newest.get()), work, stored.version());
    }

    /** Saves a finished step, or turns an overrun or a full executor into its polite END. */
    private CompletionStage<Outcome> settle(
        CompletionStage<Step> step, SessionState work, long version) {
      return step.handle(
              (done, failure) ->
                  failure == null ? save(done, version) : failureOutcome(failure, work, version))
          .thenCompose(outcome -> outcome);
    }

    /** The newest input, or empty when this hop repeats the last one. */
    private Optional<String> newestInput(SessionState state) {
      if (state.ended) {
        return Optional.empty();
      }
      if (request.inputStyle() == UssdRequest.InputStyle.CUMULATIVE) {
        String text = request.input();
        if (text.equals(state.consumedText)) {
          return Optional.empty();
        }
        if (state.consumedText.isEmpty()) {
          return Optional.of(text);
        }
        String prefix = state.consumedText + "*";
        if (text.startsWith(prefix)) {
          return Optional.of(text.substring(prefix.length()));
        }
        // The aggregator's history disagrees with ours; its last segment is the best guess.
        return Optional.of(text.substring(text.lastIndexOf('*') + 1));
      }
      if (request.newSession()) {
        return Optional.empty(); // a repeated session start
      }
      if (request.sequence().isPresent()) {
        return request.sequence().getAsLong() <= state.lastSequence
            ? Optional.empty()
            : Optional.of(request.input());
      }
      if (request.input().equals(state.lastInput)
          && nowMillis - state.lastHopAtMillis <= config.duplicateWindowMillis()) {
        return Optional.empty();
      }
      return Optional.of(request.input());
    }

    private UssdReply replayOf(SessionState state) {
      return new UssdReply(
          state.replyEnds ? UssdReply.Action.END : UssdReply.Action.CONTINUE, state.replyText);
    }

    private CompletionStage<Step> start(SessionState state, Optional<LastSession> last) {
      metrics.session("started", request.serviceCode());
      state.network = request.network();
      state.consumedText = request.input();
      List<String> path =
          request.inputStyle() == UssdRequest.InputStyle.CUMULATIVE
              ? (request.input().isEmpty() ? List.of() : List.of(request.input().split("\\*")))
              : directDialPath(request.serviceCode(), request.dialString());
      if (path.isEmpty() && last.isPresent() && !last.get().sessionId().equals(sessionId)) {
        SessionState previous = parseQuietly(last.get().payload());
        if (previous != null && resumable(previous)) {
          metrics.dropOff(previous.screen);
          state.screen = menu.start();
          state.vars = new LinkedHashMap<>(previous.vars);
          state.resumePayload = last.get().payload();
          state.resumeSessionId = last.get().sessionId();
          return CompletableFuture.completedFuture(
              shown(state, renderResumeOffer(state, null), "continue"));
        }
      }
      CompletionStage<Step> entered = enter(state, menu.start());
      for (String segment : path) {
        entered =
            entered.thenCompose(
                step -> {
                  if (step.state().ended) {
                    return CompletableFuture.completedFuture(step);
                  }
                  SessionState before = step.state().copy();
                  return consume(step.state(), segment)
                      .thenApply(next -> next.invalid() ? step(before) : next);
                });
      }
      return entered;
    }

    private Step step(SessionState state) {
      return new Step(state, state.replyEnds ? "end" : "continue", false);
    }

    private boolean resumable(SessionState previous) {
      return !previous.ended
          && previous.resumePayload == null
          && menu.screens().containsKey(previous.screen)
          && !(previous.screen.equals(menu.start()) && previous.stack.isEmpty());
    }

    private SessionState parseQuietly(String payload) {
      try {
        return parse(payload);
      } catch (RuntimeException e) {
        return null;
      }
    }

    /** Applies one input to the current screen. */
    private CompletionStage<Step> consume(SessionState state, String input) {
      String choice = input.trim();
      consumedInput = choice;
      if (state.resumePayload != null) {
        return consumeResumeChoice(state, choice);
      }
      if (choice.equals(ScreenRenderer.HOME_INPUT)) {
        state.stack.clear();
        return enter(state, menu.start());
      }
      if (choice.equals(ScreenRenderer.BACK_INPUT)) {
        if (state.page > 0) {
          state.page--;
          return CompletableFuture.completedFuture(shown(state, renderCurrent(state, null), null));
        }
        if (!state.stack.isEmpty()) {
          return enter(state, state.stack.remove(state.stack.size() - 1));
        }
        return enter(state, menu.start());
      }
      Screen screen = menu.screens().get(state.screen);
      if (screen == null) {
        return CompletableFuture.completedFuture(ended(state, text(Texts.EXPIRED, Map.of())));
      }
      if (choice.equals(ScreenRenderer.MORE_INPUT) && screen.kind() != Screen.Kind.INPUT) {
        ScreenRenderer.Page page = page(state, screen);
        if (page.hasMore()) {
          state.page++;
          return CompletableFuture.completedFuture(shown(state, renderCurrent(state, null), null));
        }
      }
      switch (screen.kind()) {
        case OPTIONS -> {
          int index = chosenIndex(state, screen, choice);
          if (index >= 0) {
            return forward(state, screen.options().get(index).next());
          }
          return invalid(state, Texts.INVALID_CHOICE);
        }
        case LIST -> {
          int index = chosenIndex(state, screen, choice);
          if (index >= 0) {
            Item item = state.items.get(index);
            state.vars.put(screen.list().var(), item.value());
            state.vars.put(screen.list().var() + "_label", item.label());
            return forward(state, screen.list().next());
          }
          return invalid(state, Texts.INVALID_CHOICE);
        }
        case INPUT -> {
          InputSpec spec = screen.input();
          Optional<String> value = spec.accept(choice);
          if (value.isPresent()) {
            state.vars.put(spec.var(), value.get());
            return forward(state, screen.next());
          }
          return invalid(state, spec.invalid() != null ? spec.invalid() : Texts.INVALID_INPUT);
        }
        case END, ROUTER -> {
          return CompletableFuture.completedFuture(ended(state, text(Texts.EXPIRED, Map.of())));
        }
      }
      throw new IllegalStateException("unreachable");
    }

    private CompletionStage<Step> consumeResumeChoice(SessionState state, String choice) {
      if (choice.equals("1")) {
        SessionState previous = parseQuietly(state.resumePayload);
        state.resumePayload = null;
        if (previous != null && menu.screens().containsKey(previous.screen)) {
          metrics.session("resumed", request.serviceCode());
          state.screen = previous.screen;
          state.page = previous.page;
          state.stack = new ArrayList<>(previous.stack);
          state.vars = new LinkedHashMap<>(previous.vars);
          state.items = new ArrayList<>(previous.items);
          state.invalidCount = 0;
          metrics.view(state.screen);
          return CompletableFuture.completedFuture(shown(state, renderCurrent(state, null), null));
        }
        return enter(state, menu.start());
      }
      if (choice.equals("2")) {
        state.resumePayload = null;
        forgetSessionId = state.resumeSessionId;
        state.vars.clear();
        return enter(state, menu.start());
      }
      state.invalidCount++;
      if (state.invalidCount > config.maxReprompts()) {
        return CompletableFuture.completedFuture(
            invalidEnd(state, text(Texts.TOO_MANY_INVALID, Map.of())));
      }
      return CompletableFuture.completedFuture(
          new Step(
              withReply(state, renderResumeOffer(state, text(Texts.INVALID_CHOICE, Map.of()))),
              "invalid",
              true));
    }

    private CompletionStage<Step> forward(SessionState state, String next) {
      state.stack.add(state.screen);
      while (state.stack.size() > config.maxBackDepth()) {
        state.stack.remove(0);
      }
      return enter(state, next);
    }

    private CompletionStage<Step> invalid(SessionState state, String reasonKey) {
      state.invalidCount++;
      if (state.invalidCount > config.maxReprompts()) {
        return CompletableFuture.completedFuture(
            invalidEnd(state, text(Texts.TOO_MANY_INVALID, Map.of())));
      }
      String reason = text(reasonKey, state.vars);
      return CompletableFuture.completedFuture(
          new Step(withReply(state, renderCurrent(state, reason)), "invalid", true));
    }

    private Step invalidEnd(SessionState state, String text) {
      metrics.dropOff(state.screen);
      return new Step(endState(state, text), "too_many_invalid", false);
    }

    /** Index into the screen's options or items if {@code choice} is shown on the current page. */
    private int chosenIndex(SessionState state, Screen screen, String choice) {
      if (!CHOICE.matcher(choice).matches()) {
        return -1;
      }
      int index = Integer.parseInt(choice) - 1;
      ScreenRenderer.Page page = page(state, screen);
      return index >= page.firstLine() && index < page.endLine() ? index : -1;
    }

    /** Enters a screen: runs its action, follows jumps, renders it. */
    private CompletionStage<Step> enter(SessionState state, String screenId) {
      if (++jumps > config.maxJumpsPerHop()) {
        LOG.error("menu loops: more than {} screens in one hop", config.maxJumpsPerHop());
        return CompletableFuture.completedFuture(ended(state, text(Texts.ERROR, Map.of())));
      }
      Screen screen = menu.screen(screenId);
      state.screen = screenId;
      state.page = 0;
      state.items = new ArrayList<>();
      state.invalidCount = 0;
      metrics.view(screenId);
      if (screen.action() == null) {
        return CompletableFuture.completedFuture(render(state, screen));
      }
      return runAction(state, screen)
          .thenCompose(
              result -> {
                merge(state.vars, result.vars());
                if (result instanceof ActionResult.End end) {
                  return CompletableFuture.completedFuture(
                      ended(state, text(end.textKey(), state.vars)));
                }
                if (result instanceof ActionResult.Items items) {
                  List<Item> list = items.items();
                  state.items =
                      new ArrayList<>(
                          list.subList(0, Math.min(list.size(), MenuLoader.MAX_OPTIONS)));
                  return CompletableFuture.completedFuture(render(state, screen));
                }
                Optional<String> next = ((ActionResult.Proceed) result).next();
                return next.isPresent()
                    ? enter(state, next.get())
                    : CompletableFuture.completedFuture(render(state, screen));
              });
    }

    private void merge(Map<String, String> vars, Map<String, String> update) {
      for (Map.Entry<String, String> entry : update.entrySet()) {
        if (entry.getValue() == null) {
          vars.remove(entry.getKey());
        } else {
          vars.put(entry.getKey(), entry.getValue());
        }
      }
    }

    private CompletionStage<ActionResult> runAction(SessionState state, Screen screen) {
      MenuAction action = actions.get(screen.action());
      ActionContext context =
          new ActionContext(
              sessionId,
              request.msisdn().value(),
              request.serviceCode(),
              request.network(),
              state.screen,
              consumedInput,
              language(state),
              state.vars,
              sessionId + ":" + (state.hop + 1) + ":" + state.screen);
      long remainingNanos = Math.max(1, deadlineNanos - System.nanoTime());
      CompletableFuture<ActionResult> running;
      try {
        running =
            CompletableFuture.supplyAsync(
                // The action may start a payment or queue an SMS: both carry the hop's id on.
                () ->
                    HopCorrelation.call(
                        correlationId,
                        () -> {
                          try {
                            return Objects.requireNonNull(
                                action.run(context), "action returned null");
                          } catch (RuntimeException e) {
                            failedLate(screen.action(), context.screen(), e);
                            throw e;
                          } catch (Exception e) {
                            failedLate(screen.action(), context.screen(), e);
                            throw new CompletionException(e);
                          }
                        }),
                actionExecutor);
      } catch (RejectedExecutionException e) {
        return CompletableFuture.failedFuture(new BusyException());
      }
      return running
          .orTimeout(remainingNanos, TimeUnit.NANOSECONDS)
          .exceptionallyCompose(
              failure -> {
                Throwable cause = unwrap(failure);
                if (cause instanceof TimeoutException) {
                  return CompletableFuture.failedFuture(
                      new DeadlineOverrun(
                          new DeadlineMissed(
                              sessionId,
                              request.msisdn(),
                              request.serviceCode(),
                              state.screen,
                              screen.action(),
                              language(state),
                              state.vars,
                              config.hopDeadlineMillis())));
                }
                return CompletableFuture.failedFuture(cause);
              });
    }

    /**
     * Logs an action that failed after its hop's deadline: the caller already has the polite END
     * (and maybe a follow-up SMS), so nothing else would ever show that it did not finish.
     */
    private void failedLate(String action, String screenId, Exception failure) {
      if (System.nanoTime() - deadlineNanos > 0) {
        LOG.warn(
            "action {} on screen {} failed after the {} ms deadline for {}: {}",
            action,
            screenId,
            config.hopDeadlineMillis(),
            request.msisdn().masked(),
            // The class only: a driver's message may quote a row's values.
            failure.getClass().getName());
      }
    }

    /** Renders a screen just entered (its action, if any, has run). */
    private Step render(SessionState state, Screen screen) {
      return switch (screen.kind()) {
        case END -> ended(state, text(screen.text(), state.vars));
        case LIST -> {
          if (state.items.isEmpty()) {
            String key = screen.list().empty() != null ? screen.list().empty() : Texts.EMPTY_LIST;
            yield ended(state, text(key, state.vars));
          }
          yield shown(state, renderCurrent(state, null), null);
        }
        case OPTIONS, INPUT -> shown(state, renderCurrent(state, null), null);
        case ROUTER -> {
          LOG.error("router screen {} got no jump from its action", state.screen);
          yield ended(state, text(Texts.ERROR, Map.of()));
        }
      };
    }

    private ScreenRenderer.Page page(SessionState state, Screen screen) {
      return page(state, screen, null);
    }

    private ScreenRenderer.Page page(SessionState state, Screen screen, String reason) {
      String title = text(screen.text(), state.vars);
      List<String> lines = new ArrayList<>();
      if (screen.kind() == Screen.Kind.OPTIONS) {
        List<MenuOption> options = screen.options();
        for (int i = 0; i < options.size(); i++) {
          lines.add((i + 1) + ". " + text(options.get(i).label(), state.vars));
        }
      } else if (screen.kind() == Screen.Kind.LIST) {
        for (int i = 0; i < state.items.size(); i++) {
          lines.add((i + 1) + ". " + state.items.get(i).label());
        }
      }
      return ScreenRenderer.render(
          reason,
          title,
          lines,
          state.page,
          budget,
          text(Texts.MORE, Map.of()),
          text(Texts.BACK, Map.of()));
    }

    private String renderCurrent(SessionState state, String reason) {
      Screen screen = menu.screen(state.screen);
      ScreenRenderer.Page page = page(state, screen, reason);
      state.page = page.page();
      return page.text();
    }

    private String renderResumeOffer(SessionState state, String reason) {
      String title = text(Texts.RESUME, state.vars);
      if (reason != null) {
        title = reason + "\n" + title;
      }
      return ScreenRenderer.composeFitting(
          title,
          List.of(
              "1. " + text(Texts.RESUME_CONTINUE, state.vars),
              "2. " + text(Texts.RESUME_RESTART, state.vars)),
          List.of(),
          budget);
    }

    private Step shown(SessionState state, String text, String label) {
      withReply(state, text);
      return new Step(state, label == null ? "continue" : label, false);
    }

    private SessionState withReply(SessionState state, String text) {
      state.replyText = text;
      state.replyEnds = false;
      return state;
    }

    private Step ended(SessionState state, String text) {
      return new Step(endState(state, text), "end", false);
    }

    private SessionState endState(SessionState state, String text) {
      state.replyText = ScreenRenderer.fit(text, budget);
      state.replyEnds = true;
      state.ended = true;
      return state;
    }

    private String language(SessionState state) {
      String lang = state.vars.get("lang");
      return lang == null || lang.isBlank() ? config.defaultLanguage() : lang;
    }

    private String text(String key, Map<String, String> vars) {
      String lang = vars.getOrDefault("lang", config.defaultLanguage());
      return texts.render(key, lang, vars);
    }

    private CompletionStage<Outcome> done(UssdReply reply, String label) {
      return CompletableFuture.completedFuture(new Outcome(reply, label));
    }

    /** Saves the step with compare-and-set and answers from what was saved. */
    private CompletionStage<Outcome> save(Step step, long expectedVersion) {
      SessionState state = step.state();
      state.hop++;
      state.lastInput = request.input();
      state.lastSequence = request.sequence().orElse(state.lastSequence);
      state.lastHopAtMillis = nowMillis;
      if (request.inputStyle() == UssdRequest.InputStyle.CUMULATIVE) {
        state.consumedText = request.input();
      }
      String payload = serialize(state);
      String msisdn = request.msisdn().value();
      UssdReply reply = replayOf(state);
      SessionWrite write = new SessionWrite(sessionId, msisdn, expectedVersion, payload);
      CompletionStage<SaveResult> saved;
      if (forgetSessionId == null && rememberable(state)) {
        // The common hop: the session and the phone's resume record in one store round trip.
        saved = store.saveAndRemember(write, nowMillis);
      } else if (forgetSessionId == null && state.ended) {
        // The last hop: the session's END and forgetting its resume record in one (D221).
        saved = store.saveAndForget(write);
      } else {
        CompletableFuture<Void> lastRecord = updateLastRecord(state, payload, msisdn);
        saved = store.save(write).thenCombine(lastRecord, (result, ignored) -> result);
      }
      return saved.thenCompose(
          result -> {
            if (result instanceof SaveResult.Saved) {
              if (state.ended) {
                metrics.session("ended", request.serviceCode());
              }
              notifyHop(state);
              return done(reply, step.label());
            }
            if (result instanceof SaveResult.Conflict) {
              // Another copy of this hop (or a faster node) won: answer as it did.
              return store
                  .load(sessionId)
                  .thenApply(
                      winner ->
                          new Outcome(
                              winner
                                  .map(w -> replayOf(parse(w.payload())))
                                  .orElseGet(() -> UssdReply.end(text(Texts.EXPIRED, Map.of()))),
                              "conflict"));
            }
            return done(UssdReply.end(text(Texts.BUSY, Map.of())), "busy");
          });
    }

    private void notifyHop(SessionState state) {
      try {
        listener.onHop(new ScreenHop(request.serviceCode(), fromScreen, state.screen, state.ended));
      } catch (RuntimeException e) {
        LOG.warn("hop listener failed", e);
      }
    }

    /**
     * Updates the phone's last-session record alongside the save (another key, maybe another
     * Cluster slot, so not in the same script); a failure only costs the resume offer.
     */
    private CompletableFuture<Void> updateLastRecord(
        SessionState state, String payload, String msisdn) {
      List<CompletableFuture<Void>> updates = new ArrayList<>();
      if (forgetSessionId != null) {
        updates.add(store.forgetLast(msisdn, forgetSessionId).toCompletableFuture());
      }
      if (state.ended) {
        updates.add(store.forgetLast(msisdn, sessionId).toCompletableFuture());
      } else if (rememberable(state)) {
        updates.add(
            store
                .rememberLast(new LastSession(msisdn, sessionId, payload, nowMillis))
                .toCompletableFuture());
      }
      return CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new))
          .handle(
              (ignored, failure) -> {
                logBackgroundFailure(null, failure);
                return null;
              });
    }

    /** Whether this step's state becomes the phone's resume record. */
    private boolean rememberable(SessionState state) {
      return !state.ended && state.resumePayload == null && resumable(state);
    }

    private void logBackgroundFailure(Object ignored, Throwable failure) {
      if (failure != null) {
        LOG.warn(
            "resume record for {} not updated: {}",
            request.msisdn().masked(),
            unwrap(failure).toString());
      }
    }

    private CompletionStage<Outcome> failureOutcome(
        Throwable failure, SessionState state, long version) {
      Throwable cause = unwrap(failure);
      if (cause instanceof DeadlineOverrun overrun) {
        return deadlineMissed(overrun.event, state, version);
      }
      if (cause instanceof BusyException) {
        return done(UssdReply.end(text(Texts.BUSY, Map.of())), "busy");
      }
      return CompletableFuture.failedFuture(cause);
    }

    private CompletionStage<Outcome> deadlineMissed(
        DeadlineMissed event, SessionState state, long version) {
      // The follow-up SMS a listener queues, and these lines, carry the session's id.
      HopCorrelation.run(
          correlationId,
          () -> {
            try {
              listener.onDeadlineMissed(event);
            } catch (RuntimeException e) {
              LOG.warn("deadline listener failed", e);
            }
            LOG.warn(
                "action {} on screen {} missed the {} ms deadline for {}",
                event.action(),
                event.screen(),
                event.hopDeadlineMillis(),
                request.msisdn().masked());
          });
      metrics.dropOff(event.screen());
      endState(state, text(Texts.DEADLINE, state.vars));
      // Saved like any END, so a retried hop replays it instead of running the action again.
      return save(new Step(state, "deadline", false), version)
          .exceptionally(
              failure -> {
                LOG.warn(
                    "session {} of {} not saved after a missed deadline: {}",
                    sessionId,
                    request.msisdn().masked(),
                    unwrap(failure).toString());
                return new Outcome(replayOf(state), "deadline");
              });
    }
  }

  /** The action executor refused the work (its queue is full). */
  private static final class BusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BusyException() {
      super("action executor full", null, false, false);
    }
  }

  /** Builds a {@link UssdEngine}. */
  public static final class Builder {
    private MenuDefinition menu;
    private final Map<String, MenuAction> actions = new HashMap<>();
    private Messages messages = Messages.none();
    private SessionStore store;
    private Executor actionExecutor;
    private Supplier<Executor> callerExecutor = () -> null;
    private MeterRegistry registry;
    private EngineConfig config = EngineConfig.DEFAULTS;
    private Clock clock = Clock.systemUTC();
    private EngineListener listener = EngineListener.NONE;

    private Builder() {}

    /** The menu to run (see {@link MenuLoader}). */
    public Builder menu(MenuDefinition value) {
      this.menu = value;
      return this;
    }

    /** One named action. */
    public Builder action(String name, MenuAction action) {
      actions.put(name, Objects.requireNonNull(action, name));
      return this;
    }

    /** Named actions. */
    public Builder actions(Map<String, ? extends MenuAction> named) {
      named.forEach(this::action);
      return this;
    }

    /** Translated texts (looked up before the menu file's own texts). */
    public Builder messages(Messages value) {
      this.messages = Objects.requireNonNull(value);
      return this;
    }

    /** Where sessions live. */
    public Builder store(SessionStore value) {
      this.store = value;
      return this;
    }

    /** The bounded executor actions run on (they may block on JDBC). */
    public Builder actionExecutor(Executor value) {
      this.actionExecutor = value;
      return this;
    }

    /**
     * Asked on the thread that calls {@link UssdEngine#handle} for where that hop continues once
     * its session is loaded (null: on whichever thread the store completes on). A gateway returns
     * the request's event loop, so the engine's work does not pile up on the store client's I/O
     * thread.
     */
    public Builder callerExecutor(Supplier<Executor> value) {
      this.callerExecutor = Objects.requireNonNull(value);
      return this;
    }

    /** Where metrics go. */
    public Builder meterRegistry(MeterRegistry value) {
      this.registry = value;
      return this;
    }

    /** Limits (default {@link EngineConfig#DEFAULTS}). */
    public Builder config(EngineConfig value) {
      this.config = Objects.requireNonNull(value);
      return this;
    }

    /** The clock for duplicate windows and resume timestamps. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value);
      return this;
    }

    /** Event hooks (deadline missed). */
    public Builder listener(EngineListener value) {
      this.listener = Objects.requireNonNull(value);
      return this;
    }

    /** Builds the engine; fails if the menu names an action that was not supplied. */
    public UssdEngine build() {
      return new UssdEngine(this);
    }
  }
}
