package io.dgadmesh.web;

import io.dgadmesh.bus.Bus;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/model/reload}: this node's classifiers load classifier.modelPath again and
 * switch to it without dropping a request ({@link Bus#MODEL_RELOAD}). 200 with {node,
 * model_version, replaced, classifiers}; 422 when the file does not load (the old model keeps
 * serving); 409 when a reload is under way or this node runs no classifier; 504 when it did not
 * finish in time. Only the node that gets the request reloads: a cluster is updated node by node.
 * Behind the web token like every /api route.
 */
final class ModelRoutes {

  /** A reload needs no body; anything sent is read and dropped, up to this much. */
  static final long BODY_LIMIT = 1024;

  private final Vertx vertx;

  ModelRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void reload(RoutingContext ctx) {
    Bus.reloadModel(vertx.eventBus()).onSuccess(ctx::json).onFailure(e -> {
      if (!(e instanceof ReplyException re)) {
        ctx.fail(e);
      } else if (re.failureType() == ReplyFailure.NO_HANDLERS) {
        ApiSupport.error(ctx, 409, "this node runs no classifier: send the reload to a node with the classifier role");
      } else if (re.failureType() == ReplyFailure.TIMEOUT) {
        ApiSupport.error(ctx, 504, "the reload did not finish within " + Bus.RELOAD_TIMEOUT_MS / 1000
            + " s; it may still finish: see model_version in /health/ready");
      } else if (re.failureCode() == Bus.BAD_MODEL || re.failureCode() == Bus.RELOADING) {
        ApiSupport.error(ctx, re.failureCode(), re.getMessage());
      } else {
        ApiSupport.error(ctx, 503, "the classifiers did not reload: " + re.getMessage());
      }
    });
  }
}
