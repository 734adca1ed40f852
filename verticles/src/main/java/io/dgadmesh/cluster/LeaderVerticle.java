package io.dgadmesh.cluster;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.jobs.JobPlanner;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Runs on every node; acts only on the leader, the oldest cluster member (Hazelcast's membership
 * order, so every node agrees, and when the leader leaves the next oldest takes over as soon as
 * Hazelcast drops it). Every cluster.statsMs, and at once when a job task reports, the leader
 * runs one round:
 * <ol>
 *   <li>drops registry entries of members that left and re-queues their Redis in-flight names
 *       (and those of nodes registered in Redis whose heartbeat expired and who are not in the
 *       cluster);</li>
 *   <li>publishes cluster statistics ({@link ClusterStats}; on the timer's rounds only);</li>
 *   <li>plans batch jobs ({@link JobPlanner}).</li>
 * </ol>
 * It also names itself in Redis (dgad:leader) for tools outside the cluster.
 */
public class LeaderVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(LeaderVerticle.class.getName());

  private ClusterContext ctx;
  private AsyncMap<String, JsonObject> registry;
  private RedisStore store;
  private ClusterStats stats;
  private JobPlanner planner;
  private String nodeId;
  private long statsMs;
  private long leaderTtlMs;
  private boolean busy;
  private boolean planAgain;
  /** The current round's number: a round given up on (see {@link #roundTimeoutMs}) cannot end a later one. */
  private long roundNo;
  private long roundTimeoutMs;
  private String lastLeader;
  private boolean redisDown;

  private final NodeSettings given;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public LeaderVerticle() {
    this(null);
  }

  public LeaderVerticle(NodeSettings settings) {
    this.given = settings;
  }

  @Override
  public Future<?> start() {
    ctx = ClusterContext.of(vertx);
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    nodeId = settings.node().idOrDefault();
    statsMs = settings.cluster().statsMs();
    leaderTtlMs = Math.max(3000, statsMs * 3);
    // A round that hangs (Redis stopped answering without closing its connections) must not stop
    // every later round: past this, the next round runs (their steps are compare-and-set, so two
    // overlapping rounds change nothing the other did not see).
    roundTimeoutMs = Math.max(30_000, statsMs * 10);
    store = RedisStore.create(vertx, settings.redis(), RedisStore.Pool.LEADER);
    stats = new ClusterStats(vertx, store, nodeId, Math.max(5000, statsMs * 5), leaderTtlMs);
    planner = new JobPlanner(vertx, store.jobs(), nodeId, settings.jobs());
    vertx.eventBus().<JsonObject>consumer(Bus.JOB_REPORT, m -> {
      if (ctx.membership().isLeader()) {
        tick(false);
      }
    });
    return vertx.sharedData().<String, JsonObject>getAsyncMap(Bus.NODE_REGISTRY).map(m -> {
      registry = m;
      vertx.setPeriodic(statsMs, id -> tick(true));
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    return store == null ? Future.succeededFuture() : store.close();
  }

  /** The leader's node id as every node sees it (null while it has not registered yet). */
  public static Future<String> leader(Vertx vertx) {
    ClusterContext ctx = ClusterContext.of(vertx);
    String member = ctx.membership().leaderMember();
    return vertx.sharedData().<String, JsonObject>getAsyncMap(Bus.NODE_REGISTRY).compose(AsyncMap::entries)
        .map(entries -> {
          for (JsonObject e : entries.values()) {
            if (e.getString("member", "").equals(member)) {
              return e.getString("id");
            }
          }
          return null;
        });
  }

  /** One round at a time: a report during a round asks for one more after it. */
  private void tick(boolean withStats) {
    if (!ctx.membership().isLeader()) {
      return;
    }
    if (busy) {
      planAgain = true;
      return;
    }
    busy = true;
    long mine = ++roundNo;
    long timer = vertx.setTimer(roundTimeoutMs, t -> endRound(mine, Future.failedFuture(
        new TimeoutException("the round did not end within " + roundTimeoutMs + " ms"))));
    round(withStats).onComplete(ar -> {
      vertx.cancelTimer(timer);
      endRound(mine, ar);
    });
  }

  /** Ends round {@code mine} once (by its outcome or its time-out); a later round's state is left alone. */
  private void endRound(long mine, AsyncResult<Void> ar) {
    if (mine != roundNo || !busy) {
      return;
    }
    busy = false;
    if (ar.failed()) {
      if (!redisDown) {
        redisDown = true;
        LOG.warning("leader " + nodeId + ": round failed: " + ar.cause() + "; retrying every " + statsMs + " ms");
      }
    } else if (redisDown) {
      redisDown = false;
      LOG.info("leader " + nodeId + ": rounds work again");
    }
    if (planAgain) {
      planAgain = false;
      tick(false);
    }
  }

  private Future<Void> round(boolean withStats) {
    // Redis registrations first, then the registry: a node registers in the registry before its
    // Redis door starts, so a Redis id with no live registry entry is really gone.
    return store.nodes().compose(redisNodes -> registry.entries().compose(entries -> {
      Set<String> members = new HashSet<>(ctx.membership().oldestFirst());
      Map<String, JsonObject> live = new LinkedHashMap<>();
      List<String> dead = new ArrayList<>();
      for (Map.Entry<String, JsonObject> e : entries.entrySet()) {
        if (members.contains(e.getValue().getString("member"))) {
          live.put(e.getKey(), e.getValue());
        } else {
          dead.add(e.getKey());
        }
      }
      if (!nodeId.equals(lastLeader)) {
        lastLeader = nodeId;
        LOG.info("node " + nodeId + " is the leader (" + members.size() + " members)");
      }
      List<Future<?>> work = new ArrayList<>();
      // Announce first: registry clean-up can wait on Hazelcast repartitioning after a member loss.
      work.add(store.announceLeader(nodeId, leaderTtlMs));
      List<Supplier<Future<?>>> cleanUp = new ArrayList<>();
      for (String id : dead) {
        cleanUp.add(() -> forget(id));
      }
      if (ctx.membership().clustered()) {
        for (String id : redisNodes) {
          if (!live.containsKey(id) && !dead.contains(id)) {
            cleanUp.add(() -> requeue(id, false));
          }
        }
      }
      // However many nodes are gone, a few calls at a time.
      work.add(JobPlanner.bounded(cleanUp.size(), JobPlanner.CALLS_IN_FLIGHT, i -> cleanUp.get(i).get()));
      // Statistics need only the live nodes: they do not wait for the clean-up of dead ones.
      work.add(withStats ? stats.publish(live, redisNodes) : Future.<Void>succeededFuture());
      return Future.all(work).compose(v -> planner.plan(live));
    }));
  }

  /** A member left: drop its entry, put its in-flight names back, unregister it in Redis. */
  private Future<Void> forget(String id) {
    return registry.remove(id).compose(v -> requeue(id, true)).compose(n -> store.unregister(id))
        .onSuccess(v -> LOG.warning("node " + id + " left the cluster: removed from the registry"));
  }

  private Future<Long> requeue(String id, boolean force) {
    return store.requeue(id, force).andThen(ar -> {
      if (ar.succeeded() && ar.result() > 0) {
        LOG.warning("leader " + nodeId + ": re-queued " + ar.result() + " in-flight names of node " + id);
      }
    });
  }
}
