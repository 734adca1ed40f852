package io.dgadmesh.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Shareable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * What the mesh verticles of one node share: its membership view, start time, how many times
 * it restarted itself, and how to ask for such a restart (after being cut off from the cluster).
 * Kept in the node's local shared data under "dgad.cluster".
 */
public record ClusterContext(Membership membership, long started, int restarts, Consumer<String> restart)
    implements Shareable {

  private static final Logger LOG = Logger.getLogger(ClusterContext.class.getName());
  private static final String MAP = "dgad.cluster";

  public static void install(Vertx vertx, ClusterContext ctx) {
    vertx.sharedData().getLocalMap(MAP).put("context", ctx);
  }

  /**
   * The node's context. If none was installed (verticles deployed by class name into a Vert.x
   * that dgad did not start): the membership of that Vert.x's Hazelcast cluster manager, so its
   * registry entry names its real member and the leader is the cluster's oldest member; a lone
   * one otherwise. Such a context cannot restart a Vert.x it does not own: it only says so.
   */
  public static ClusterContext of(Vertx vertx) {
    return (ClusterContext) vertx.sharedData().getLocalMap(MAP).computeIfAbsent("context",
        k -> new ClusterContext(membershipOf(vertx), System.currentTimeMillis(), 0,
            why -> LOG.warning(why + "; this Vert.x was not started by dgad, so nothing restarts it:"
                + " deploy io.dgadmesh.node.MeshVerticle to have the roles redeployed")));
  }

  /** The Hazelcast membership of a clustered Vert.x; a lone member for any other. */
  public static Membership membershipOf(Vertx vertx) {
    if (vertx instanceof VertxInternal internal
        && internal.clusterManager() instanceof HazelcastClusterManager hz && hz.getHazelcastInstance() != null) {
      return Membership.of(hz.getHazelcastInstance());
    }
    return Membership.alone("local-" + Integer.toHexString(System.identityHashCode(vertx)));
  }
}
