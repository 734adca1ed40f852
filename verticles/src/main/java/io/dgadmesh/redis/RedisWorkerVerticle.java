package io.dgadmesh.redis;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.NodeConfig.ConfigException;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.config.RedisConf;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.metrics.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.logging.Logger;

/**
 * The dgad-compatible Redis door. Pops names from the todo set (dgad's {@code REDIS_SET}),
 * classifies them over the event bus and writes {@code SET name DGA|ok} like dgad, plus a result
 * hash. At-least-once: a pop moves names into this node's in-flight set in one Lua call, and the
 * write script removes them only together with their results; in-flight names of a dead node
 * (heartbeat key expired) are put back into the todo set. The Redis side of each step is
 * {@link RedisStore}'s.
 *
 * <p>Several lanes run at once (redis.concurrency), each pop/classify/write in a loop. Every Redis
 * or classifier failure is retried with back-off and logged once per outage; a classifier that
 * answers {@link Bus#OVERLOADED} is given at least {@link #OVERLOADED_PAUSE_MS} before the next try.
 *
 * <p>A clean stop pops nothing more, lets the lanes finish the names they hold for up to half of
 * node.stopTimeoutMs, then puts whatever is still in flight back into the todo set at once (a lane
 * that writes afterwards is fenced out), so no name waits for a restart or a heartbeat to expire.
 */
public class RedisWorkerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(RedisWorkerVerticle.class.getName());
  /**
   * How long start waits for the first reply of Redis: long enough to learn that Redis refuses
   * the connection (no such database, a wrong password), which stops the start; an unreachable
   * Redis is waited for in the background, as before.
   */
  private static final long FIRST_REPLY_MS = 2_000;
  /** The first pause after a failed classify request; it doubles up to redis.errorBackoffMaxMs. */
  private static final long FIRST_RETRY_MS = 20;
  /**
   * The least pause after OVERLOADED: the classifiers' queues are full and drain in model calls,
   * so trying again within a few milliseconds would only be refused again.
   */
  static final long OVERLOADED_PAUSE_MS = 100;

  private RedisStore store;
  private String nodeId;
  private String classifyAddress;
  private int popCount;
  private boolean writeHash;
  private long idleMin;
  private long idleMax;
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
  private long tooLong;
  /** Per lane, when it last finished a step (pop, classify, write) of a cycle under way; 0 while idle. */
  private AtomicLongArray laneProgress;
  private long stallMs;
  private String readinessName;
  /** Lanes that hold names (popping, classifying or writing); the stop waits for them. */
  private int busy;
  private Promise<Void> drained;
  private long drainMs;
  private long errorBackoffMaxMs;

  private final NodeSettings given;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public RedisWorkerVerticle() {
    this(null);
  }

  public RedisWorkerVerticle(NodeSettings settings) {
    this.given = settings;
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    RedisConf conf = settings.redis();
    nodeId = settings.node().idOrDefault();
    popCount = conf.popCount();
    int concurrency = conf.concurrency();
    writeHash = conf.writeResultHash();
    idleMin = conf.idleBackoffMinMs();
    idleMax = conf.idleBackoffMaxMs();
    long heartbeatMs = conf.heartbeatMs();
    nodeTtlMs = conf.nodeTtlMs();
    classifyAddress = conf.classifyAddress();
    classifyTimeoutMs = conf.classifyTimeoutMs();
    errorBackoffMaxMs = conf.errorBackoffMaxMs();
    drainMs = Math.max(1, settings.node().stopTimeoutMs() / 2);
    // Clustered, the leader re-queues the names of nodes that left the cluster; alone, every
    // node re-queues those of nodes whose heartbeat key expired.
    reapByHeartbeat = !settings.cluster().enabled();
    store = RedisStore.create(vertx, conf, RedisStore.Pool.door(concurrency));
    redisOutage = new Outage(LOG, "Redis at " + store.where(), this::reclaimOwnInFlight);
    classifierOutage = new Outage(LOG, "the classifier at event-bus address " + classifyAddress, () -> { });
    // A lane's cycle is a pop, a classify (given up and retried after classifyTimeoutMs) and a
    // write; none of them normally takes a second.
    stallMs = Math.max(2_000, 2L * classifyTimeoutMs);
    laneProgress = new AtomicLongArray(concurrency);
    vertx.eventBus().<JsonObject>consumer(Bus.REDIS_STATUS, msg -> msg.reply(status()));
    readinessName = "redis-door:" + nodeId;
    Readiness.of(vertx).register(readinessName, this::problem);

    // Start even when Redis is down: recovery and the lanes wait for it with back-off. Only a
    // refusal of the connection itself (SELECT, AUTH) stops the start: waiting cannot fix it.
    Promise<Void> started = Promise.promise();
    long timer = vertx.setTimer(FIRST_REPLY_MS, t -> started.tryComplete());
    store.requeue(nodeId, true).onComplete(first -> {
      vertx.cancelTimer(timer);
      String setup = first.failed() ? store.setupProblem(first.cause()) : null;
      if (setup != null && started.tryFail(new ConfigException(setup))) {
        stopped = true; // not deployed, so stop() is not called: let go here
        Readiness.of(vertx).unregister(readinessName);
        store.close();
        return;
      }
      if (setup != null) {
        LOG.severe(setup); // learnt after the start: readiness says it too
      }
      started.tryComplete();
      if (first.failed()) {
        redisOutage.failed(first.cause());
      }
      (first.succeeded() ? Future.succeededFuture(first.result()) : store.retry(redisOutage, () -> store.requeue(nodeId, true)))
          .onSuccess(n -> {
            if (n > 0) {
              LOG.info(() -> "re-queued " + n + " in-flight names of this node's previous run");
            }
            heartbeat();
            vertx.setPeriodic(heartbeatMs, id -> heartbeat());
            for (int i = 0; i < concurrency; i++) {
              lane(i, idleMin);
            }
          });
    });
    LOG.info(() -> "Redis door: node " + nodeId + " reads set '" + store.todoSet() + "' (" + redisOutage.what() + ")");
    return started.future();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    Readiness.of(vertx).unregister(readinessName);
    Promise<Void> done = Promise.promise();
    drained = done;
    long timer = vertx.setTimer(drainMs, t -> done.tryComplete());
    if (busy == 0) {
      done.tryComplete();
    }
    // After a crash the same names come back with the next start under this id, or from any node
    // once this node's heartbeat has expired; a clean stop does not make them wait for that.
    return done.future()
        .compose(v -> {
          vertx.cancelTimer(timer);
          return store.requeue(nodeId, true);
        })
        .andThen(ar -> {
          if (ar.failed()) {
            LOG.warning("node " + nodeId + ": could not hand back the in-flight names at stop (" + ar.cause().getMessage()
                + "); they come back with the next start under this id or when this node's heartbeat expires");
          } else if (ar.result() > 0) {
            LOG.info("node " + nodeId + ": stopping; handed " + ar.result() + " in-flight names back to the queue");
          }
        })
        .eventually(store::close);
  }

  private JsonObject status() {
    return new JsonObject().put("node", nodeId).put("outages", redisOutage.count())
        .put("written", written).put("invalid", invalid).put("too_long", tooLong).put("redis_up", !redisOutage.isDown())
        .put("classify_retries", classifyRetries).put("fenced", fenced);
  }

  /**
   * Readiness: null while the door works. Not ready while Redis is down or refuses the door, and
   * when a lane holds a cycle for stallMs without finishing a step of it (a classifier or Redis
   * that stopped answering, or keeps failing). Redis's own text stays in the log.
   */
  private String problem() {
    long now = System.currentTimeMillis();
    if (redisOutage.isDown()) {
      String setup = store.setupProblem(redisOutage.lastError());
      return setup != null ? setup : "Redis at " + store.where() + ": "
          + String.valueOf(redisOutage.lastError().getMessage()) + " for " + (now - redisOutage.since()) / 1000 + " s";
    }
    long oldest = now;
    int stalled = 0;
    for (int i = 0; i < laneProgress.length(); i++) {
      long t = laneProgress.get(i);
      if (t != 0 && now - t > stallMs) {
        stalled++;
        oldest = Math.min(oldest, t);
      }
    }
    if (stalled > 0) {
      return "the Redis door is stalled: " + stalled + " lanes have waited " + (now - oldest) / 1000 + " s on "
          + (classifierOutage.isDown() ? "the classifiers" : "Redis or the classifiers") + " without progress";
    }
    return null;
  }

  private void progress(int lane) {
    laneProgress.set(lane, System.currentTimeMillis());
  }

  private void lane(int lane, long idle) {
    if (stopped) {
      return;
    }
    busy++;
    progress(lane); // a cycle starts: from here the lane must make progress
    store.retry(redisOutage, () -> store.pop(nodeId, popCount)).onComplete(popped -> {
      if (popped.failed()) { // the store was closed: the door has stopped
        laneDone(lane);
        return;
      }
      PoppedNames names = popped.result();
      progress(lane);
      tooLong += names.tooLong();
      invalid += names.tooLong();
      if (names.isEmpty()) {
        laneDone(lane);
        // Nothing to do: wait, longer each time, instead of spinning on SPOP like dgad.
        vertx.setTimer(idle, t -> lane(lane, Math.min(idle * 2, idleMax)));
        return;
      }
      if (names.size() == 0) {
        laneDone(lane);
        lane(lane, idleMin); // every member popped was too long and is answered already
        return;
      }
      // A classifier that dies (or stalls) with this request in flight never answers: the reply
      // times out after classifyTimeoutMs and the retry goes to the next classifier in the
      // event bus's round robin, on any node.
      classifyRetried(names.toClassify())
          .andThen(ar -> progress(lane))
          .map(names::results)
          .compose(results -> {
            Instant writeTime = Instant.now();
            return store.retry(redisOutage, () -> write(names, results, writeTime));
          })
          .onComplete(ar -> {
            laneDone(lane);
            lane(lane, idleMin);
          });
    });
  }

  /** A lane holds no names any more; the last one of a stopping door lets the stop go on. */
  private void laneDone(int lane) {
    busy--;
    laneProgress.set(lane, 0);
    if (stopped && busy == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  /**
   * Classifies, retried with back-off until it succeeds: a classifier dying or stalling must cost a
   * pause, never a name. Once the door stops it gives up: the stop hands the names back instead.
   */
  private Future<List<Bus.Result>> classifyRetried(List<String> names) {
    Promise<List<Bus.Result>> p = Promise.promise();
    classifyAttempt(names, p, FIRST_RETRY_MS);
    return p.future();
  }

  private void classifyAttempt(List<String> names, Promise<List<Bus.Result>> p, long delay) {
    classify(names).onComplete(ar -> {
      if (ar.succeeded()) {
        classifierOutage.ok();
        p.complete(ar.result());
      } else if (stopped) {
        p.fail(ar.cause());
      } else {
        classifierOutage.failed(ar.cause());
        long pause = overloaded(ar.cause()) ? Math.max(delay, OVERLOADED_PAUSE_MS) : delay;
        long next = Math.min(pause * 2, Math.max(errorBackoffMaxMs, pause));
        vertx.setTimer(pause, t -> {
          if (stopped) {
            p.fail(ar.cause());
          } else {
            classifyAttempt(names, p, next);
          }
        });
      }
    });
  }

  private static boolean overloaded(Throwable err) {
    return err instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && r.failureCode() == Bus.OVERLOADED;
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

  private Future<Void> write(PoppedNames names, List<Bus.Result> results, Instant writeTime) {
    int invalidHere = (int) results.stream().filter(r -> !r.ok()).count();
    return store.write(nodeId, names, results, writeHash, writeTime).map(n -> {
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
    store.requeue(nodeId, true).onSuccess(n -> {
      if (n > 0) {
        LOG.info(() -> "re-queued " + n + " names that were in flight here when Redis went away");
      }
    });
  }

  /** Announces this node and re-queues the in-flight names of nodes whose heartbeat expired. */
  private void heartbeat() {
    if (stopped) {
      return;
    }
    store.heartbeat(nodeId, nodeTtlMs)
        .compose(registered -> {
          List<Future<Long>> reaps = new ArrayList<>();
          for (String other : reapByHeartbeat ? registered : List.<String>of()) {
            if (!other.equals(nodeId)) {
              reaps.add(store.requeue(other, false).andThen(ar -> {
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
}
