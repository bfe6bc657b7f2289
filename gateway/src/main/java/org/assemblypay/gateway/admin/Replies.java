package org.assemblypay.gateway.admin;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.assemblypay.gateway.http.JsonErrors;
import org.assemblypay.ledger.Correlation;
import org.assemblypay.ledger.IdempotencyConflictException;
import org.assemblypay.ledger.IllegalTransitionException;
import org.assemblypay.ledger.LedgerException;
import org.assemblypay.ledger.UnknownAssemblyException;
import org.assemblypay.ledger.UnknownEntityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a handler's ledger work on the bounded worker pool and answers on the request's event loop;
 * turns every failure into the {@code {code, message, details}} shape with the right status.
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);
  private static final int MAX_VALIDATION_ERRORS = 10;

  /** What a handler answers: a status and a JSON object or array. */
  record Reply(int status, Object body) {
    static Reply ok(Object body) {
      return new Reply(200, body);
    }

    static Reply created(Object body) {
      return new Reply(201, body);
    }

    static Reply accepted(Object body) {
      return new Reply(202, body);
    }
  }

  private final Vertx vertx;
  private final ExecutorService workers;

  Replies(Vertx vertx, ExecutorService workers) {
    this.vertx = vertx;
    this.workers = workers;
  }

  /**
   * Runs {@code task} off the event loop; a full pool answers 503 at once. Each completed write is
   * logged with the operation and the credential's name (never a key, PIN or phone number).
   */
  void run(RoutingContext ctx, String operationId, Callable<Reply> task) {
    Context context = vertx.getOrCreateContext();
    // The call's id (see AdminRoutes) on the worker and on the loop while its write is logged.
    String correlationId = ctx.get(Correlation.MDC_KEY);
    try {
      workers.execute(
          Correlation.wrap(
              correlationId,
              () -> {
                Reply reply;
                try {
                  reply = task.call();
                } catch (Throwable e) {
                  context.runOnContext(v -> ctx.fail(e));
                  return;
                }
                context.runOnContext(
                    v -> {
                      if (ctx.request().method() != HttpMethod.GET) {
                        AdminCredential who = ctx.get(Call.CALLER_KEY);
                        Correlation.run(
                            correlationId,
                            () ->
                                log.info(
                                    "admin write operation={} credential={} assembly={} status={}",
                                    operationId,
                                    who == null ? "-" : who.name(),
                                    ctx.pathParam("code"),
                                    reply.status()));
                      }
                      send(ctx, reply);
                    });
              }));
    } catch (RejectedExecutionException e) {
      ctx.fail(new ApiProblem(503, "busy", "The server is busy; try again shortly."));
    }
  }

  private static void send(RoutingContext ctx, Reply reply) {
    if (ctx.response().ended()) {
      return;
    }
    String body =
        reply.body() instanceof JsonArray a ? a.encode() : ((JsonObject) reply.body()).encode();
    ctx.response()
        .setStatusCode(reply.status())
        .putHeader("content-type", "application/json")
        .end(body);
  }

  /** The failure handler of every admin route. */
  static void onFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException v) {
      JsonErrors.send(ctx, 400, "validation_failed", v.getMessage(), validationDetails(v));
    } else if (failure instanceof ValidatorException v) {
      JsonErrors.send(ctx, 400, "validation_failed", v.getMessage(), validationDetails(v));
    } else if (failure instanceof ApiProblem p) {
      if (p.status() == 429) {
        ctx.response().putHeader("retry-after", p.details().getString("retryAfterSeconds", "1"));
      }
      JsonErrors.send(ctx, p.status(), p.code(), p.getMessage(), p.details());
    } else if (failure instanceof LedgerException e) {
      JsonErrors.send(ctx, statusOf(e), e.code().toLowerCase(Locale.ROOT), e.getMessage());
    } else if (failure instanceof RejectedExecutionException) {
      JsonErrors.send(ctx, 503, "busy", "The server is busy; try again shortly.");
    } else if (failure instanceof HttpException http) {
      sendStatus(ctx, http.getStatusCode());
    } else if (failure == null) {
      sendStatus(ctx, ctx.statusCode());
    } else {
      Correlation.run(
          ctx.get(Correlation.MDC_KEY),
          () -> log.error("admin request failed path={}", ctx.normalizedPath(), failure));
      JsonErrors.send(ctx, 500, "internal_error", "Something went wrong on our side.");
    }
  }

  private static void sendStatus(RoutingContext ctx, int status) {
    if (status == 413) {
      JsonErrors.send(ctx, 413, "body_too_large", "The request body is too large.");
    } else if (status == 405) {
      JsonErrors.send(ctx, 405, "method_not_allowed", "That method is not allowed here.");
    } else if (status == 404) {
      JsonErrors.send(ctx, 404, "not_found", "No such resource.");
    } else if (status >= 400 && status < 500) {
      JsonErrors.send(ctx, status, "bad_request", "The request was not understood.");
    } else {
      log.error("admin request failed path={} status={}", ctx.normalizedPath(), status);
      JsonErrors.send(ctx, 500, "internal_error", "Something went wrong on our side.");
    }
  }

  static int statusOf(LedgerException e) {
    if (e instanceof UnknownAssemblyException || e instanceof UnknownEntityException) {
      return 404;
    }
    if (e instanceof IdempotencyConflictException || e instanceof IllegalTransitionException) {
      return 409;
    }
    return 400;
  }

  private static JsonObject validationDetails(ValidatorException v) {
    JsonArray errors = new JsonArray();
    if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      collect(s.getOutputUnit(), errors);
    }
    return new JsonObject().put("type", v.type().name()).put("errors", errors);
  }

  private static void collect(OutputUnit unit, JsonArray into) {
    if (into.size() >= MAX_VALIDATION_ERRORS) {
      return;
    }
    if (unit.getError() != null) {
      into.add(
          new JsonObject()
              .put("location", unit.getInstanceLocation())
              .put("keyword", unit.getKeywordLocation())
              .put("error", unit.getError()));
    }
    if (unit.getErrors() != null) {
      for (OutputUnit child : unit.getErrors()) {
        collect(child, into);
      }
    }
  }
}
