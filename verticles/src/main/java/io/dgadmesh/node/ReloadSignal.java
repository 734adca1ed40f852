package io.dgadmesh.node;

import io.dgadmesh.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * {@code kill -HUP <pid>} reloads the node's model, as {@code POST /api/model/reload} does
 * ({@link Bus#MODEL_RELOAD}). Without this handler the JVM treats SIGHUP as a request to exit. The
 * JVM runs the handler on a thread of its own, never on an event loop; it only sends the request
 * and logs the answer.
 */
public final class ReloadSignal {

  private static final Logger LOG = Logger.getLogger(ReloadSignal.class.getName());

  private ReloadSignal() {}

  /**
   * Handles SIGHUP for the node whose current Vert.x {@code vertx} gives (a node that restarts
   * in-process gets a new one). False when the JVM does not let the signal be handled (-Xrs, or
   * a platform without it): reloads then go through the HTTP API only.
   */
  public static boolean install(Supplier<Vertx> vertx) {
    try {
      Signal.handle(new Signal("HUP"), sig -> {
        Vertx v = vertx.get();
        if (v != null) {
          reload(v);
        }
      });
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warning("SIGHUP cannot reload the model here (" + e.getMessage() + "); use POST /api/model/reload");
      return false;
    }
  }

  /** What SIGHUP does: asks this node's classifiers to reload and logs the outcome (the future has it too). */
  public static Future<JsonObject> reload(Vertx vertx) {
    LOG.info("SIGHUP: reloading the model");
    return Bus.reloadModel(vertx.eventBus())
        .onSuccess(r -> LOG.info("SIGHUP: model reloaded: " + r.getString(Bus.MODEL_VERSION) + " in "
            + r.getInteger(Bus.CLASSIFIERS) + " classifier instance(s), replacing " + r.getJsonArray(Bus.REPLACED)))
        .onFailure(e -> LOG.warning("SIGHUP: " + (e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
            ? "no classifier of this node answers (it runs none, or they are still starting): nothing reloaded"
            : "model not reloaded: " + e.getMessage())));
  }
}
