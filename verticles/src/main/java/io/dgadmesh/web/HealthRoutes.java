package io.dgadmesh.web;

import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.bus.Bus;
import io.dgadmesh.metrics.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Probes for an orchestrator, open without the token:
 * <pre>
 * GET /health/live    200 {"status": "UP", "node"} while the process runs
 * GET /health/ready   200 when a classifier answers on the event bus, Redis answers and no part of
 *                     the node reports a problem ({@link Readiness}: the heap after a collection, a
 *                     stuck classifier, an exhausted Redis pool, a stalled door), else 503:
 *                     {"status", "node", "model": bool, "redis": bool, "parts": bool,
 *                      "model_version" and "point" (the operating point that judges) | "model_error",
 *                      "redis_error", "problems": {check: reason}}
 * </pre>
 * The checks are vertx-health-check procedures. The answer keeps the flat shape above rather than
 * the library's nested one, and a check that fails or runs out of time is 503 like any other
 * check that is down (the library's own handler makes that 500, which probes read as a crash).
 */
final class HealthRoutes {

  private static final Logger LOG = Logger.getLogger(HealthRoutes.class.getName());

  /** How long the model may take to answer dgad.info. */
  private static final long MODEL_TIMEOUT_MS = 2000;
  /** How long a check may take at all; longer than the model's own timeout, so that one is reported. */
  private static final long CHECK_TIMEOUT_MS = 3000;

  private final Vertx vertx;
  private final RedisStore store;
  private final String nodeId;
  private final HealthChecks live;
  private final HealthChecks ready;

  HealthRoutes(Vertx vertx, RedisStore store, String nodeId) {
    this.vertx = vertx;
    this.store = store;
    this.nodeId = nodeId;
    this.live = HealthChecks.create(vertx);
    this.ready = HealthChecks.create(vertx)
        // tryComplete/tryFail: a check that answers after its timeout has already failed it, and
        // completing it again would throw (a SEVERE "Promise already completed" seen by the soak).
        .register("model", CHECK_TIMEOUT_MS, p -> model().onComplete(ar -> settle(p, ar)))
        .register("redis", CHECK_TIMEOUT_MS, p -> redis().onComplete(ar -> settle(p, ar)))
        .register("parts", CHECK_TIMEOUT_MS, p -> p.complete(parts()));
  }

  private static <T> void settle(io.vertx.core.Promise<T> p, io.vertx.core.AsyncResult<T> ar) {
    if (ar.succeeded()) {
      p.tryComplete(ar.result());
    } else {
      p.tryFail(ar.cause());
    }
  }

  void live(RoutingContext ctx) {
    answer(ctx, live);
  }

  void ready(RoutingContext ctx) {
    answer(ctx, ready);
  }

  private void answer(RoutingContext ctx, HealthChecks checks) {
    checks.checkStatus().onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      CheckResult result = ar.result();
      JsonObject body = new JsonObject().put("status", result.getUp() ? "UP" : "DOWN").put("node", nodeId);
      if (result.getChecks() != null) {
        for (CheckResult check : result.getChecks()) {
          body.put(check.getId(), check.getUp());
          if (check.getStatus() != null) {
            body.mergeIn(check.getStatus().getData());
          } else if (check.getFailure() != null) {
            body.put(check.getId() + "_error", String.valueOf(check.getFailure().getMessage()));
          }
        }
      }
      ctx.response().setStatusCode(result.getUp() ? 200 : 503);
      ctx.json(body);
    });
  }

  /** A classifier answers dgad.info: up, with the model's version and operating point. */
  private Future<Status> model() {
    return vertx.eventBus().<JsonObject>request(Bus.INFO, new JsonObject(), new DeliveryOptions().setSendTimeout(MODEL_TIMEOUT_MS))
        .map(m -> Status.OK(new JsonObject().put(Bus.MODEL_VERSION, m.body().getString(Bus.MODEL_VERSION))
            .put(Bus.POINT, m.body().getString(Bus.POINT))))
        .otherwise(e -> Status.KO(new JsonObject().put("model_error", String.valueOf(e.getMessage()))));
  }

  /** Redis answers PING. Its error goes to the log, not to whoever probes. */
  private Future<Status> redis() {
    return store.ping().map(r -> Status.OK()).otherwise(e -> {
      LOG.fine(() -> "readiness: Redis failed: " + e);
      return Status.KO(new JsonObject().put("redis_error", "Redis did not answer PING"));
    });
  }

  /** What the node's parts report ({@link Readiness}): up when nothing. */
  private Status parts() {
    Map<String, String> problems = Readiness.of(vertx).problems();
    return problems.isEmpty() ? Status.OK()
        : Status.KO(new JsonObject().put("problems", new JsonObject(new TreeMap<String, Object>(problems))));
  }
}
