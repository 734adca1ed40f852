package io.dgadmesh.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.function.Consumer;

/**
 * What the mesh verticles of one node share: its membership view, start time, how many times
 * it restarted itself, and how to ask for such a restart (after being cut off from the cluster).
 * Kept in the node's local shared data under "dgad.cluster".
 */
public record ClusterContext(Membership membership, long started, int restarts, Consumer<String> restart)
    implements Shareable {

  private static final String MAP = "dgad.cluster";

  public static void install(Vertx vertx, ClusterContext ctx) {
    vertx.sharedData().getLocalMap(MAP).put("context", ctx);
  }

  /** The node's context; a lone one (never restarts) if none was installed. */
  public static ClusterContext of(Vertx vertx) {
    return (ClusterContext) vertx.sharedData().getLocalMap(MAP).computeIfAbsent("context",
        k -> new ClusterContext(Membership.alone("local-" + Integer.toHexString(System.identityHashCode(vertx))),
            System.currentTimeMillis(), 0, why -> { }));
  }
}
