package io.dgadmesh.redis;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dgad-compatible Redis door. Pops names from the todo set (dgad's {@code REDIS_SET}),
 * classifies them over the event bus and writes {@code SET name DGA|ok} like dgad, plus a result
 * hash. At-least-once: a pop moves names into this node's in-flight set in one Lua call, and the
 * write script removes them only together with their results; in-flight names of a dead node
 * (heartbeat key expired) are put back into the todo set.
 *
 * <p>Several lanes run at once (redis.concurrency), each pop/classify/write in a loop. Every Redis
 * or classifier failure is retried with back-off and logged once per outage.
 */
public class RedisWorkerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(RedisWorkerVerticle.class.getName());

  private Redis redis;
  private String nodeId;
  private String todo;
  private byte[] todoKey;
  private String inflight;
  private String heartbeatKey;
  private String classifyAddress;
  private int popCount;
  private int concurrency;
  private boolean writeHash;
  private long idleMin;
  private long idleMax;
  private long errorMax;
  private long heartbeatMs;
  private long nodeTtlMs;
  private long classifyTimeoutMs;
  private boolean reapByHeartbeat;
  private boolean stopped;
  private long classifyRetries;
  private long fenced;

  private Outage redisOutage;
  private Outage classifierOutage;
  private long written;
  private long invalid;

  @Override
  public Future<?> start() {
    JsonObject conf = config().getJsonObject("redis", new JsonObject());
    nodeId = config().getJsonObject("node", new JsonObject()).getString("id", "node");
    String host = conf.getString("host", "localhost");
    int port = conf.getInteger("port", 6379);
    int db = conf.getInteger("db", 0);
    String password = conf.getString("password", "");
    todo = conf.getString("set", "domains_todo");
    todoKey = todo.getBytes(StandardCharsets.UTF_8);
    popCount = conf.getInteger("popCount", 512);
    concurrency = conf.getInteger("concurrency", 4);
    writeHash = conf.getBoolean("writeResultHash", true);
    idleMin = conf.getInteger("idleBackoffMinMs", 5);
    idleMax = conf.getInteger("idleBackoffMaxMs", 500);
    errorMax = conf.getInteger("errorBackoffMaxMs", 2000);
    heartbeatMs = conf.getInteger("heartbeatMs", 2000);
    nodeTtlMs = conf.getInteger("nodeTtlMs", 10_000);
    classifyAddress = conf.getString("classifyAddress", Bus.CLASSIFY);
    classifyTimeoutMs = conf.getInteger("classifyTimeoutMs", 5000);
    // Clustered, the leader re-queues the names of nodes that left the cluster; alone, every
    // node re-queues those of nodes whose heartbeat key expired.
    reapByHeartbeat = !config().getJsonObject("cluster", new JsonObject()).getBoolean("enabled", false);
    inflight = RedisKeys.inflight(nodeId);
    heartbeatKey = RedisKeys.heartbeat(nodeId);
    redisOutage = new Outage("Redis at " + host + ":" + port + "/" + db, this::reclaimOwnInFlight);
    classifierOutage = new Outage("the classifier at event-bus address " + classifyAddress, () -> { });

    RedisOptions options = new RedisOptions()
        .setConnectionString("redis://" + host + ":" + port + "/" + db)
        .setMaxPoolSize(concurrency + 2)
        .setMaxPoolWaiting(1024);
    if (!password.isEmpty()) {
      options.setPassword(password);
    }
    redis = Redis.createClient(vertx, options);
    vertx.eventBus().<JsonObject>consumer(Bus.REDIS_STATUS, msg -> msg.reply(status()));

    // Start even when Redis is down: recovery and the lanes wait for it with back-off.
    retry(redisOutage, () -> requeue(nodeId, true)).onSuccess(n -> {
      if (n > 0) {
        LOG.info(() -> "re-queued " + n + " in-flight names of this node's previous run");
      }
      heartbeat();
      vertx.setPeriodic(heartbeatMs, id -> heartbeat());
      for (int i = 0; i < concurrency; i++) {
        lane(idleMin);
      }
    });
    LOG.info(() -> "Redis door: node " + nodeId + " reads set '" + todo + "' (" + redisOutage.what + ")");
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    // In-flight names stay in Redis: the next start under this id, or any node once this
    // node's heartbeat has expired, puts them back. That is the same path as a crash.
    stopped = true;
    return redis.close();
  }

  private JsonObject status() {
    return new JsonObject().put("node", nodeId).put("outages", redisOutage.count)
        .put("written", written).put("invalid", invalid).put("redis_up", !redisOutage.down)
        .put("classify_retries", classifyRetries).put("fenced", fenced);
  }

  private void lane(long idle) {
    if (stopped) {
      return;
    }
    retry(redisOutage, this::pop).onSuccess(names -> {
      if (names.isEmpty()) {
        // Nothing to do: wait, longer each time, instead of spinning on SPOP like dgad.
        vertx.setTimer(idle, t -> lane(Math.min(idle * 2, idleMax)));
        return;
      }
      // A classifier that dies (or stalls) with this request in flight never answers: the reply
      // times out after classifyTimeoutMs and the retry goes to the next classifier in the
      // event bus's round robin, on any node.
      retry(classifierOutage, () -> classify(names.toClassify()))
          .map(names::results)
          .compose(results -> retry(redisOutage, () -> write(names, results)))
          .onComplete(ar -> lane(idleMin));
    });
  }

  private Future<List<Bus.Result>> classify(List<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Bus.classify(vertx.eventBus(), classifyAddress, names, classifyTimeoutMs)
        .onFailure(err -> {
          classifyRetries++;
          NodeMetrics.classifyRetried();
        });
  }

  private Future<PoppedNames> pop() {
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.POP).arg(2).arg(todo).arg(inflight)
        .arg(popCount)).map(resp -> {
          List<byte[]> names = new ArrayList<>(resp.size());
          for (Response r : resp) {
            names.add(r.toBytes());
          }
          return PoppedNames.of(names, todoKey);
        });
  }

  private Future<Void> write(PoppedNames names, List<Bus.Result> results) {
    Request req = Request.cmd(Command.EVAL).arg(RedisScripts.WRITE).arg(2).arg(inflight).arg(RedisKeys.INVALID)
        .arg(nodeId).arg(Instant.now().toString()).arg(writeHash ? "1" : "0");
    int bad = 0;
    for (int i = 0; i < names.size(); i++) {
      Bus.Result r = results.get(i);
      req.arg(names.key(i));
      if (r.ok()) {
        req.arg(r.isDga() ? "DGA" : "ok").arg(Float.toString(r.score()))
            .arg(r.family() == null ? "" : r.family()).arg(Float.toString(r.familyScore()));
      } else {
        req.arg("!").arg(r.error()).arg("").arg("");
        bad++;
      }
    }
    int invalidHere = bad;
    return redis.send(req).map(resp -> {
      long n = resp.toLong();
      written += n;
      invalid += invalidHere;
      if (n < names.size()) {
        // Re-queued while in flight here (by the leader while this node was cut off, or by this
        // node after a Redis outage): whoever pops them again writes them.
        fenced += names.size() - n;
        LOG.warning("node " + nodeId + ": " + (names.size() - n) + " names were re-queued while in flight here;"
            + " their results were dropped (they are classified again from the queue)");
      }
      return null;
    });
  }

  /**
   * After a Redis outage: a POP that ran just before Redis went away may have moved names into our
   * in-flight set without its reply reaching any lane, so nothing would ever write them. Put our
   * whole in-flight set back; names a lane still holds are then fenced out of its write and
   * classified again from the queue, so every name still gets exactly one result.
   */
  private void reclaimOwnInFlight() {
    requeue(nodeId, true).onSuccess(n -> {
      if (n > 0) {
        LOG.info(() -> "re-queued " + n + " names that were in flight here when Redis went away");
      }
    });
  }

  /** Re-queues a node's in-flight names; forced for our own id at start-up. -1: node alive. */
  private Future<Long> requeue(String id, boolean force) {
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.REQUEUE).arg(4).arg(todo)
            .arg(RedisKeys.inflight(id)).arg(RedisKeys.heartbeat(id)).arg(RedisKeys.NODES)
            .arg(id).arg(force ? "1" : "0"))
        .map(Response::toLong);
  }

  /** Announces this node and re-queues the in-flight names of nodes whose heartbeat expired. */
  private void heartbeat() {
    if (stopped) {
      return;
    }
    redis.batch(List.of(
            Request.cmd(Command.SET).arg(heartbeatKey).arg(Instant.now().toString()).arg("PX").arg(nodeTtlMs),
            Request.cmd(Command.SADD).arg(RedisKeys.NODES).arg(nodeId),
            Request.cmd(Command.SMEMBERS).arg(RedisKeys.NODES)))
        .compose(r -> {
          List<Future<Long>> reaps = new ArrayList<>();
          for (Response member : reapByHeartbeat ? r.get(2) : List.<Response>of()) {
            String other = member.toString();
            if (!other.equals(nodeId)) {
              reaps.add(requeue(other, false).andThen(ar -> {
                if (ar.succeeded() && ar.result() >= 0) {
                  LOG.warning("node " + other + " is gone: re-queued its " + ar.result() + " in-flight names");
                }
              }));
            }
          }
          return Future.all(reaps);
        })
        .onFailure(err -> redisOutage.failed(err)); // the lanes retry; a heartbeat just waits for the next tick
  }

  /** Runs op until it succeeds (or the verticle stops), doubling the pause up to errorBackoffMaxMs. */
  private <T> Future<T> retry(Outage outage, Supplier<Future<T>> op) {
    Promise<T> p = Promise.promise();
    attempt(outage, op, p, 20);
    return p.future();
  }

  private <T> void attempt(Outage outage, Supplier<Future<T>> op, Promise<T> p, long delay) {
    if (stopped) {
      p.tryFail("stopped");
      return;
    }
    op.get().onComplete(ar -> {
      if (ar.succeeded()) {
        outage.ok();
        p.complete(ar.result());
      } else if (stopped) {
        p.tryFail(ar.cause());
      } else {
        outage.failed(ar.cause());
        vertx.setTimer(delay, t -> attempt(outage, op, p, Math.min(delay * 2, errorMax)));
      }
    });
  }

  /** Logs the start and the end of an outage once, however many calls fail in between. */
  private final class Outage {
    private final String what;
    private final Runnable onRecovered;
    private boolean down;
    private long since;
    private long count;

    Outage(String what, Runnable onRecovered) {
      this.what = what;
      this.onRecovered = onRecovered;
    }

    void failed(Throwable err) {
      if (!down) {
        down = true;
        since = System.currentTimeMillis();
        count++;
        LOG.warning(what + " unavailable: " + err.getMessage() + "; retrying with back-off");
      }
    }

    void ok() {
      if (down) {
        down = false;
        long ms = System.currentTimeMillis() - since;
        LOG.log(Level.INFO, what + " available again after " + ms + " ms; resuming");
        onRecovered.run();
      }
    }
  }
}
