package io.dgadmesh.cluster;

import io.dgadmesh.jobs.Jobs;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.redis.RedisKeys;
import io.dgadmesh.redis.RedisScripts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Runs on every node; acts only on the leader, the oldest cluster member (Hazelcast's membership
 * order, so every node agrees, and when the leader leaves the next oldest takes over as soon as
 * Hazelcast drops it). Every cluster.statsMs the leader:
 * <ol>
 *   <li>drops registry entries of members that left and re-queues their Redis in-flight names
 *       (and those of nodes registered in Redis whose heartbeat expired and who are not in the
 *       cluster);</li>
 *   <li>publishes cluster statistics on {@link Bus#STATS} (also kept in Redis as dgad:stats, and
 *       its id as dgad:leader, for tools outside the cluster);</li>
 *   <li>plans batch jobs: splits new ones into tasks, re-queues the tasks of dead nodes (and tasks
 *       that ran longer than jobs.taskTimeoutMs), assigns queued tasks to worker nodes.</li>
 * </ol>
 */
public class LeaderVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(LeaderVerticle.class.getName());
  public static final String STATS_KEY = "dgad:stats";
  public static final String LEADER_KEY = "dgad:leader";

  private ClusterContext ctx;
  private AsyncMap<String, JsonObject> registry;
  private Redis redis;
  private String nodeId;
  private String todo;
  private long statsMs;
  private int taskSize;
  private int tasksPerWorker;
  private long taskTimeoutMs;
  private boolean busy;
  private boolean planAgain;
  private String lastLeader;
  private boolean redisDown;

  @Override
  public Future<?> start() {
    ctx = ClusterContext.of(vertx);
    nodeId = config().getJsonObject("node").getString("id");
    todo = config().getJsonObject("redis").getString("set");
    statsMs = config().getJsonObject("cluster").getInteger("statsMs");
    JsonObject jobs = config().getJsonObject("jobs");
    taskSize = jobs.getInteger("taskSize");
    tasksPerWorker = jobs.getInteger("tasksPerWorker");
    taskTimeoutMs = jobs.getInteger("taskTimeoutMs");
    redis = Jobs.client(vertx, config());
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
    return redis.close();
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

  private void tick(boolean withStats) {
    if (!ctx.membership().isLeader()) {
      return;
    }
    if (busy) {
      planAgain = true;
      return;
    }
    busy = true;
    round(withStats).onComplete(ar -> {
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
    });
  }

  private Future<Void> round(boolean withStats) {
    // Redis registrations first, then the registry: a node registers in the registry before its
    // Redis door starts, so a Redis id with no live registry entry is really gone.
    Future<Response> redisNodes = redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.NODES));
    return redisNodes.compose(rn -> registry.entries().compose(entries -> {
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
      work.add(redis.send(Request.cmd(Command.SET).arg(LEADER_KEY).arg(nodeId).arg("PX").arg(Math.max(3000, statsMs * 3))));
      for (String id : dead) {
        work.add(forget(id));
      }
      if (ctx.membership().clustered()) {
        for (Response r : rn) {
          String id = r.toString();
          if (!live.containsKey(id) && !dead.contains(id)) {
            work.add(requeue(id, false));
          }
        }
      }
      // Statistics need only the live nodes: they do not wait for the clean-up of dead ones.
      work.add(withStats ? stats(live, rn) : Future.<Void>succeededFuture());
      return Future.all(work).compose(v -> planJobs(live));
    }));
  }

  /** A member left: drop its entry, put its in-flight names back, unregister it in Redis. */
  private Future<Void> forget(String id) {
    return registry.remove(id).compose(v -> requeue(id, true)).compose(n -> redis.send(
            Request.cmd(Command.SREM).arg(RedisKeys.NODES).arg(id)))
        .onSuccess(v -> LOG.warning("node " + id + " left the cluster: removed from the registry"))
        .mapEmpty();
  }

  private Future<Long> requeue(String id, boolean force) {
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.REQUEUE).arg(4).arg(todo)
            .arg(RedisKeys.inflight(id)).arg(RedisKeys.heartbeat(id)).arg(RedisKeys.NODES)
            .arg(id).arg(force ? "1" : "0"))
        .map(Response::toLong)
        .andThen(ar -> {
          if (ar.succeeded() && ar.result() > 0) {
            LOG.warning("leader " + nodeId + ": re-queued " + ar.result() + " in-flight names of node " + id);
          }
        });
  }

  private Future<Void> stats(Map<String, JsonObject> live, Response redisNodes) {
    List<Request> reqs = new ArrayList<>();
    reqs.add(Request.cmd(Command.SCARD).arg(todo));
    Set<String> ids = new HashSet<>(live.keySet());
    for (Response r : redisNodes) {
      ids.add(r.toString());
    }
    for (String id : ids) {
      reqs.add(Request.cmd(Command.SCARD).arg(RedisKeys.inflight(id)));
    }
    return redis.batch(reqs).compose(rs -> {
      long inFlight = 0;
      for (int i = 1; i < rs.size(); i++) {
        inFlight += rs.get(i).toLong();
      }
      JsonObject stats = stats(nodeId, live.values(), rs.get(0).toLong(), inFlight);
      vertx.eventBus().publish(Bus.STATS, stats);
      return redis.batch(List.of(
          Request.cmd(Command.SET).arg(STATS_KEY).arg(stats.encode()).arg("PX").arg(Math.max(5000, statsMs * 5)),
          Request.cmd(Command.SET).arg(LEADER_KEY).arg(nodeId).arg("PX").arg(Math.max(3000, statsMs * 3))));
    }).mapEmpty();
  }

  /** The dgad.stats message (see {@link Bus}). */
  static JsonObject stats(String leader, Iterable<JsonObject> nodes, long queueDepth, long inFlight) {
    JsonArray list = new JsonArray();
    long classified = 0;
    long dga = 0;
    long throughput = 0;
    Map<String, Long> families = new HashMap<>();
    for (JsonObject n : nodes) {
      list.add(n);
      classified += n.getLong("classified", 0L);
      dga += n.getLong("dga", 0L);
      throughput += n.getLong("throughput", 0L);
      JsonObject f = n.getJsonObject("families", new JsonObject());
      for (String k : f.fieldNames()) {
        families.merge(k, f.getLong(k), Long::sum);
      }
    }
    JsonObject fam = new JsonObject();
    families.forEach((k, v) -> fam.put(k, v));
    return new JsonObject().put("time", System.currentTimeMillis()).put("leader", leader).put("nodes", list)
        .put("total", new JsonObject().put("classified", classified).put("dga", dga)
            .put("dga_share", classified == 0 ? 0.0 : (double) dga / classified).put("throughput", throughput)
            .put("families", fam))
        .put("queue_depth", queueDepth).put("in_flight", inFlight);
  }

  // ---- batch jobs ----

  private Future<Void> planJobs(Map<String, JsonObject> live) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(Jobs.ACTIVE)).compose(ids -> {
      if (ids.size() == 0) {
        return Future.<Void>succeededFuture();
      }
      List<String> jobIds = new ArrayList<>();
      for (Response r : ids) {
        jobIds.add(r.toString());
      }
      java.util.Collections.sort(jobIds);
      List<Future<Map<String, String>>> tasks = new ArrayList<>();
      for (String id : jobIds) {
        tasks.add(redis.send(Request.cmd(Command.EVAL).arg(Jobs.SPLIT).arg(3).arg(Jobs.job(id)).arg(Jobs.tasks(id))
                .arg(Jobs.ACTIVE).arg(taskSize).arg(System.currentTimeMillis()).arg(id))
            .andThen(ar -> {
              if (ar.succeeded() && ar.result().toLong() >= 0) {
                LOG.info("leader " + nodeId + ": job " + id + " split into " + ar.result() + " tasks of " + taskSize);
              }
            })
            .compose(v -> redis.send(Request.cmd(Command.HGETALL).arg(Jobs.tasks(id))))
            .map(Jobs::map));
      }
      return Future.all(tasks).compose(cf -> assign(live, jobIds, tasks));
    });
  }

  private Future<Void> assign(Map<String, JsonObject> live, List<String> jobIds, List<Future<Map<String, String>>> tasks) {
    Map<String, Integer> load = new HashMap<>();
    for (JsonObject n : live.values()) {
      if (n.getJsonArray("roles", new JsonArray()).contains("worker")) {
        load.put(n.getString("id"), 0);
      }
    }
    long now = System.currentTimeMillis();
    List<Future<?>> work = new ArrayList<>();
    List<String[]> queued = new ArrayList<>(); // {job, task}
    for (int j = 0; j < jobIds.size(); j++) {
      String job = jobIds.get(j);
      for (Map.Entry<String, String> t : tasks.get(j).result().entrySet()) {
        String state = t.getValue();
        if (state.equals(Jobs.QUEUED)) {
          queued.add(new String[] {job, t.getKey()});
        } else if (state.startsWith("running|")) {
          String[] p = state.split("\\|");
          String node = p[1];
          long assigned = Long.parseLong(p[3]);
          if (!live.containsKey(node) || now - assigned > taskTimeoutMs) {
            String why = !live.containsKey(node) ? "its node " + node + " is gone" : "it ran over " + taskTimeoutMs + " ms";
            work.add(cas(job, t.getKey(), state, Jobs.QUEUED).onSuccess(ok -> {
              if (ok) {
                LOG.warning("leader " + nodeId + ": job " + job + " task " + t.getKey() + " re-queued: " + why);
              }
            }));
          } else {
            load.merge(node, 1, Integer::sum);
          }
        }
      }
    }
    queued.sort((a, b) -> a[0].equals(b[0]) ? Integer.compare(Integer.parseInt(a[1]), Integer.parseInt(b[1]))
        : a[0].compareTo(b[0]));
    for (String[] q : queued) {
      String best = null;
      for (Map.Entry<String, Integer> e : load.entrySet()) {
        if (e.getValue() < tasksPerWorker && (best == null || e.getValue() < load.get(best))) {
          best = e.getKey();
        }
      }
      if (best == null) {
        break;
      }
      load.merge(best, 1, Integer::sum);
      work.add(send(q[0], Integer.parseInt(q[1]), best));
    }
    return Future.all(work).mapEmpty();
  }

  private Future<Boolean> cas(String job, String task, String expected, String value) {
    return redis.send(Request.cmd(Command.EVAL).arg(Jobs.CAS).arg(1).arg(Jobs.tasks(job)).arg(task)
        .arg(expected).arg(value)).map(r -> r.toLong() == 1);
  }

  private Future<Void> send(String job, int task, String node) {
    String token = "running|" + node + "|" + UUID.randomUUID().toString().substring(0, 8) + "|" + System.currentTimeMillis();
    return cas(job, Integer.toString(task), Jobs.QUEUED, token).compose(ok -> {
      if (!ok) {
        return Future.<Void>succeededFuture();
      }
      JsonObject msg = new JsonObject().put("job", job).put("task", task).put("token", token);
      return vertx.eventBus().request(Bus.jobTaskAddress(node), msg, new DeliveryOptions().setSendTimeout(5000))
          .<Void>mapEmpty()
          .recover(err -> {
            LOG.warning("leader " + nodeId + ": node " + node + " did not take job " + job + " task " + task + ": " + err.getMessage());
            return cas(job, Integer.toString(task), token, Jobs.QUEUED).mapEmpty();
          });
    });
  }
}
