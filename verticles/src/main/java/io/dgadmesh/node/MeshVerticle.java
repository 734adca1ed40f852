package io.dgadmesh.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import io.dgadmesh.cluster.ClusterContext;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A node's roles in a Vert.x that dgad did not start: deploy this verticle by class name into an
 * application's own Vert.x (clustered with Hazelcast, same cluster name and members as the mesh)
 * with the JSON of conf/config.json, whole or in part, as its deployment config. It deploys the
 * roles of node.roles as {@code dgad node} does ({@link Node#deploy}): the mesh verticles
 * (registry entry, leader duties), the classifiers under their supervisor, the doors; and stops
 * them in order (doors, classifiers, mesh) when it is undeployed or the Vert.x closes. A bad
 * config fails the deployment with the message naming the key.
 *
 * <p>What dgad's node process sets up otherwise ({@link MeshNode}), it takes from the Vert.x it is
 * given: the node id (node.id, else one made for this Vert.x instance), the membership (the
 * Hazelcast cluster manager's members; the cluster.* join keys are the application's business and
 * are not read, and failureDetectionMs defaults to its Hazelcast's heartbeat timeout), and the
 * restart: when the registry finds the process was paused past failure detection, or Hazelcast
 * merges the member back after a split, it redeploys the roles (the Redis door then re-queues its
 * own in-flight names). dgad's own node closes and rejoins Hazelcast instead; here the cluster
 * manager belongs to the application.
 */
public class MeshVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(MeshVerticle.class.getName());

  private JsonObject conf;
  private NodeSettings settings;
  private OrderedStop stop;
  private HazelcastInstance hz;
  private UUID mergeListener;
  private int restarts;
  private boolean restarting;
  private boolean stopping;

  @Override
  public Future<?> start() {
    conf = NodeConfig.forDeployment(config());
    NodeSettings.read(conf); // a bad config fails the deployment here, naming the key
    JsonObject node = conf.getJsonObject("node");
    if (node.getString("id").isEmpty()) {
      node.put("id", NodeConfig.nodeIdOf(vertx));
    }
    // Whether there is a cluster is for the application's Vert.x to say; its cluster manager owns
    // the member port, so cluster.port is no port of this node (not compared with the doors' ports).
    JsonObject cluster = conf.getJsonObject("cluster").put("enabled", vertx.isClustered()).put("port", 0);
    watchMerges();
    if (hz != null && !config().getJsonObject("cluster", new JsonObject()).containsKey("failureDetectionMs")) {
      cluster.put("failureDetectionMs", failureDetectionMs(hz));
    }
    settings = NodeSettings.read(conf);
    stop = OrderedStop.of(vertx, settings.node().stopTimeoutMs());
    return deployRoles().onFailure(e -> unwatchMerges()); // a failed start gets no stop()
  }

  /**
   * How long the application's Hazelcast waits before it drops a silent member: the registry's
   * pause watch (a pause past 4/5 of it redeploys the roles) must not fire on a pause the cluster
   * forgives, as it would with dgad's own 5 s against Hazelcast's default of 60 s.
   */
  private static long failureDetectionMs(HazelcastInstance hz) {
    long ms = new HazelcastProperties(hz.getConfig()).getMillis(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS);
    return Math.max(2_000, Math.min(600_000, ms)); // cluster.failureDetectionMs's range
  }

  /**
   * Deploys the roles from a context of their own: deployed from this verticle's context they would
   * be its children, and Vert.x undeploys children all at once before the parent's stop, where the
   * doors must stop before the classifiers they wait on.
   */
  private Future<Void> deployRoles() {
    ClusterContext.install(vertx, new ClusterContext(ClusterContext.membershipOf(vertx), System.currentTimeMillis(),
        restarts, this::requestRestart));
    ContextInternal outside = ((VertxInternal) vertx).createEventLoopContext();
    Promise<Void> deployed = Promise.promise();
    outside.runOnContext(v -> Node.deploy(vertx, conf, settings, stop).onComplete(deployed));
    // Those deployed before a failure are no children either: stop them here.
    return deployed.future().recover(e -> stop.stopAll().transform(ar -> Future.failedFuture(e)));
  }

  /** As MeshNode: a member Hazelcast merges back after a split was cut off, and its work re-queued. */
  private void watchMerges() {
    if (vertx instanceof VertxInternal internal && internal.clusterManager() instanceof HazelcastClusterManager m
        && m.getHazelcastInstance() != null) {
      hz = m.getHazelcastInstance();
      mergeListener = hz.getLifecycleService().addLifecycleListener(ev -> {
        if (ev.getState() == LifecycleEvent.LifecycleState.MERGING) {
          requestRestart("Hazelcast is merging this member back after a split");
        }
      });
    }
  }

  /** Redeploys the roles, once at a time; from any thread. */
  private void requestRestart(String why) {
    context.runOnContext(v -> {
      if (restarting || stopping) {
        return;
      }
      restarting = true;
      String id = settings.node().id();
      LOG.warning("node " + id + ": " + why + "; redeploying its roles to rejoin cleanly");
      stop.stopAll().compose(x -> {
        restarts++;
        return deployRoles();
      }).onComplete(ar -> {
        restarting = false;
        if (ar.succeeded()) {
          LOG.info("node " + id + " rejoined the cluster (restart " + restarts + ")");
        } else {
          LOG.severe("node " + id + ": its roles did not start again: " + ar.cause());
        }
      });
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    unwatchMerges();
    return stop.stopAll();
  }

  private void unwatchMerges() {
    if (mergeListener != null && hz.getLifecycleService().isRunning()) {
      hz.getLifecycleService().removeLifecycleListener(mergeListener);
    }
  }
}
