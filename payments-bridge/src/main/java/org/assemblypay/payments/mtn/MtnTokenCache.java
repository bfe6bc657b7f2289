package org.assemblypay.payments.mtn;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.assemblypay.payments.BoundedBody;
import org.assemblypay.payments.BoundedJson;
import org.assemblypay.payments.ProviderConfig;
import org.assemblypay.payments.ProviderError;
import org.assemblypay.payments.ProviderMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MTN's bearer token for one API user: fetched with Basic auth, shared until shortly before it
 * expires, refreshed by one caller at a time (everyone else waits on the same future).
 *
 * <p>A {@code login_failed} answer is remembered for {@code loginFailureBackoffMillis}: callers in
 * that window fail at once without calling MTN, so bad credentials never become a hot loop.
 */
final class MtnTokenCache {

  private static final Logger LOG = LoggerFactory.getLogger(MtnTokenCache.class);

  /** A bearer token and the instant from which it should no longer be handed out. */
  record Token(String bearer, Instant refreshAt) {
    @Override
    public String toString() {
      return "Token[refreshAt=" + refreshAt + "]";
    }
  }

  /** Why no token could be had; carried inside the failed future. */
  static final class TokenFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ProviderError error;

    TokenFailure(ProviderError error, String detail) {
      super(detail, null, false, false);
      this.error = error;
    }

    ProviderError error() {
      return error;
    }

    static TokenFailure of(Throwable failure) {
      Throwable cause = failure;
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return cause instanceof TokenFailure tokenFailure
          ? tokenFailure
          : new TokenFailure(ProviderError.of(cause), "token request failed");
    }
  }

  /** One fetch: its future, and until when a failure of it is handed out without a new fetch. */
  private static final class Slot {
    final CompletableFuture<Token> future = new CompletableFuture<>();
    volatile Instant failureHeldUntil = Instant.MIN;
  }

  private final AtomicReference<Slot> current = new AtomicReference<>();
  private final HttpClient http;
  private final InstantSource clock;
  private final ProviderMetrics metrics;
  private final URI tokenUri;
  private final String basicAuthorization;
  private final String subscriptionKey;
  private final Duration requestTimeout;
  private final Duration refreshMargin;
  private final Duration loginFailureBackoff;

  MtnTokenCache(
      ProviderConfig config,
      HttpClient http,
      InstantSource clock,
      ProviderMetrics metrics,
      URI tokenUri,
      Duration refreshMargin,
      Duration loginFailureBackoff) {
    this.http = http;
    this.clock = clock;
    this.metrics = metrics;
    this.tokenUri = tokenUri;
    this.basicAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (config.apiUser() + ":" + config.apiKey().value())
                        .getBytes(StandardCharsets.UTF_8));
    this.subscriptionKey = config.subscriptionKey().value();
    this.requestTimeout = Duration.ofMillis(config.requestTimeoutMillis());
    this.refreshMargin = refreshMargin;
    this.loginFailureBackoff = loginFailureBackoff;
  }

  /** A valid token: the cached one, the fetch already in flight, or a new fetch started here. */
  CompletableFuture<Token> token() {
    while (true) {
      Slot slot = current.get();
      if (slot != null && stillServes(slot)) {
        return slot.future;
      }
      Slot next = new Slot();
      if (current.compareAndSet(slot, next)) {
        fetch(next);
        return next.future;
      }
    }
  }

  /**
   * Forgets {@code stale} after the provider refused it (401); a no-op when a newer token has
   * already replaced it, so many concurrent 401s cause one refresh.
   */
  void invalidate(Token stale) {
    Slot slot = current.get();
    if (slot != null
        && slot.future.isDone()
        && !slot.future.isCompletedExceptionally()
        && slot.future.join() == stale) {
      current.compareAndSet(slot, null);
    }
  }

  private boolean stillServes(Slot slot) {
    CompletableFuture<Token> future = slot.future;
    if (!future.isDone()) {
      return true;
    }
    Instant now = clock.instant();
    if (future.isCompletedExceptionally()) {
      return now.isBefore(slot.failureHeldUntil);
    }
    return now.isBefore(future.join().refreshAt());
  }

  private void fetch(Slot slot) {
    HttpRequest request =
        HttpRequest.newBuilder(tokenUri)
            .timeout(requestTimeout)
            .header("Authorization", basicAuthorization)
            .header("Ocp-Apim-Subscription-Key", subscriptionKey)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    long startNanos = System.nanoTime();
    Instant requestedAt = clock.instant();
    http.sendAsync(request, BoundedBody.handler())
        .whenComplete(
            (response, failure) -> {
              try {
                if (failure != null) {
                  fail(
                      slot,
                      new TokenFailure(
                          ProviderError.of(failure), "token: " + ProviderError.describe(failure)));
                } else {
                  settle(slot, response, requestedAt);
                }
              } catch (RuntimeException e) {
                fail(
                    slot,
                    new TokenFailure(ProviderError.MALFORMED_RESPONSE, "token answer unreadable"));
              } finally {
                metrics.call("token", outcome(slot), System.nanoTime() - startNanos);
              }
            });
  }

  private void settle(Slot slot, HttpResponse<byte[]> response, Instant requestedAt) {
    int status = response.statusCode();
    Optional<JsonNode> body = BoundedJson.readObject(response.body());
    if (status == 200) {
      Optional<String> bearer = body.flatMap(b -> BoundedJson.text(b, "access_token"));
      JsonNode expiresIn = body.map(b -> b.get("expires_in")).orElse(null);
      if (bearer.isEmpty()
          || bearer.get().isBlank()
          || expiresIn == null
          || !expiresIn.canConvertToLong()
          || expiresIn.asLong() <= 0) {
        fail(slot, new TokenFailure(ProviderError.MALFORMED_RESPONSE, "token answer incomplete"));
        return;
      }
      long lifetimeSeconds = expiresIn.asLong();
      Duration margin = refreshMargin;
      if (margin.getSeconds() * 2 > lifetimeSeconds) {
        margin = Duration.ofSeconds(lifetimeSeconds / 2);
      }
      Instant refreshAt = requestedAt.plusSeconds(lifetimeSeconds).minus(margin);
      metrics.tokenRefresh("ok");
      LOG.atDebug().addKeyValue("refreshAt", refreshAt).log("mtn token fetched");
      slot.future.complete(new Token(bearer.get(), refreshAt));
    } else if (isLoginFailed(status, body, response.body()) || status == 401 || status == 403) {
      metrics.tokenRefresh("login_failed");
      slot.failureHeldUntil = clock.instant().plus(loginFailureBackoff);
      LOG.atError()
          .addKeyValue("httpStatus", status)
          .addKeyValue("heldForMillis", loginFailureBackoff.toMillis())
          .log("mtn login failed: check the API user, API key and subscription key");
      slot.future.completeExceptionally(
          new TokenFailure(
              ProviderError.AUTHENTICATION_FAILED, "login_failed (HTTP " + status + ")"));
    } else {
      fail(
          slot,
          new TokenFailure(
              status >= 500
                  ? ProviderError.SERVER_ERROR
                  : status == 429 ? ProviderError.RATE_LIMITED : ProviderError.UNEXPECTED_RESPONSE,
              "token answer HTTP " + status));
    }
  }

  private void fail(Slot slot, TokenFailure failure) {
    metrics.tokenRefresh("error");
    LOG.atWarn()
        .addKeyValue("error", failure.error())
        .addKeyValue("detail", failure.getMessage())
        .log("mtn token fetch failed");
    slot.future.completeExceptionally(failure);
  }

  private static String outcome(Slot slot) {
    if (!slot.future.isDone()) {
      return "incomplete";
    }
    return slot.future.isCompletedExceptionally() ? "failed" : "ok";
  }

  private static boolean isLoginFailed(int status, Optional<JsonNode> body, byte[] raw) {
    if (status != 500) {
      return false;
    }
    boolean inField =
        body.map(
                b ->
                    "login_failed".equalsIgnoreCase(BoundedJson.text(b, "error").orElse(""))
                        || "login_failed".equalsIgnoreCase(BoundedJson.text(b, "code").orElse("")))
            .orElse(false);
    return inField
        || (raw != null
            && raw.length <= BoundedJson.MAX_RESPONSE_BYTES
            && new String(raw, StandardCharsets.UTF_8).contains("login_failed"));
  }
}
