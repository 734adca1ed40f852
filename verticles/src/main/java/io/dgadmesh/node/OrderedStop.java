package io.dgadmesh.node;

import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Undeploys a node's verticles in order when its Vert.x closes (SIGTERM, an in-process restart, a
 * test): the doors first, which stop taking work and finish or hand back what they hold; then the
 * classifiers, which fail what waits and finish their running model call; then the mesh (registry,
 * leader). Left to itself, Vert.x undeploys every verticle at once, so a door would still be
 * waiting on a classifier that is already stopping. Runs as a close hook of the Vert.x instance,
 * before Vert.x undeploys what is left; bounded by node.stopTimeoutMs, past which Vert.x goes on.
 */
final class OrderedStop implements Closeable, Shareable {

  private static final Logger LOG = Logger.getLogger(OrderedStop.class.getName());

  /** In deployment order; stopped in the reverse order. */
  enum Stage {
    MESH("the mesh verticles"), CLASSIFIERS("the classifiers"), DOORS("the doors"),
    /** Sources that wait for the doors' replies (Kafka): stopped first, so their last batch is answered. */
    SOURCES("the record sources");

    private final String what;

    Stage(String what) {
      this.what = what;
    }
  }

  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<Stage, List<String>> deployed = new EnumMap<>(Stage.class);

  private OrderedStop(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** The node's one OrderedStop, registered as a close hook of {@code vertx} the first time. */
  static OrderedStop of(Vertx vertx, long timeoutMs) {
    OrderedStop[] made = new OrderedStop[1];
    OrderedStop s = (OrderedStop) vertx.sharedData().getLocalMap("dgad.node.stop").computeIfAbsent("stop", k -> {
      made[0] = new OrderedStop(vertx, timeoutMs);
      return made[0];
    });
    if (s == made[0] && vertx instanceof VertxInternal internal) {
      internal.addCloseHook(s);
    }
    return s;
  }

  /** Records a deployment of {@code stage}; returns its id. */
  synchronized String add(Stage stage, String deploymentId) {
    deployed.computeIfAbsent(stage, k -> new ArrayList<>()).add(deploymentId);
    return deploymentId;
  }

  private synchronized List<String> take(Stage stage) {
    List<String> ids = deployed.remove(stage);
    return ids == null ? List.of() : ids;
  }

  @Override
  public void close(Completable<Void> completion) {
    stopAll().onComplete(ar -> completion.succeed());
  }

  /**
   * Undeploys what was recorded, stage by stage, within node.stopTimeoutMs; never fails. Also
   * what {@link MeshVerticle} does when it is undeployed (then the close hook finds nothing left).
   */
  Future<Void> stopAll() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    return stage(Stage.SOURCES, deadline)
        .transform(ar -> stage(Stage.DOORS, deadline))
        .transform(ar -> stage(Stage.CLASSIFIERS, deadline))
        .transform(ar -> stage(Stage.MESH, deadline));
  }

  /** Undeploys one stage's verticles together; gives up waiting at the deadline. */
  private Future<Void> stage(Stage stage, long deadline) {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : take(stage)) {
      all.add(vertx.undeploy(id));
    }
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (all.isEmpty()) {
      return Future.succeededFuture();
    }
    if (left <= 0) {
      LOG.warning("node.stopTimeoutMs (" + timeoutMs + " ms) has passed: not waiting for " + stage.what + " to stop");
      return Future.succeededFuture();
    }
    return Future.join(all).<Void>mapEmpty().timeout(left, TimeUnit.MILLISECONDS).recover(e -> {
      LOG.warning(e instanceof TimeoutException
          ? stage.what + " did not stop within node.stopTimeoutMs (" + timeoutMs + " ms); stopping the rest"
          : stage.what + " did not stop cleanly: " + e);
      return Future.succeededFuture();
    });
  }
}
