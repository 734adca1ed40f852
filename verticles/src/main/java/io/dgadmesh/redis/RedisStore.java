package io.dgadmesh.redis;

import io.dgadmesh.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.dgadmesh.config.RedisConf;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one owner of the Redis contract, as {@link Bus} owns the event bus's: the only class that
 * builds a Redis client, names a dgad key ({@link RedisKeys}) or sends a Lua script
 * ({@link RedisScripts}). Everyone else (the Redis door, the leader, the dashboard, batch jobs,
 * the command line, the bench) asks it for what they need in their own terms.
 *
 * <p>Each user makes its own store, with its own connection pool ({@link Pool}), because a
 * client belongs to the verticle that made it; all of them read the same "redis" config section
 * here, so a change of how to connect (TLS, ACL users) is made once.
 */
public final class RedisStore {

  /** Connections a store may open, and how many calls may wait for one before failing. */
  public record Pool(int maxSize, int maxWaiting) {
    /** The leader, batch jobs, the jobs API and the command line: a few calls at a time. */
    public static final Pool DEFAULT = new Pool(4, 1024);
    /** The dashboard: lookups and the queue sample; a burst beyond it fails fast. */
    public static final Pool DASHBOARD = new Pool(4, 256);

    /** The Redis door: a connection per lane, plus the heartbeat and a re-queue. */
    public static Pool door(int lanes) {
      return new Pool(lanes + 2, 1024);
    }
  }

  /** The todo set and the in-flight count of some nodes, read in one round trip. */
  public record Backlog(long queueDepth, long inFlight) {}

  /** The first pause after a failed call; it doubles up to redis.errorBackoffMaxMs. */
  private static final long FIRST_RETRY_MS = 20;

  private final Vertx vertx;
  private final Redis redis;
  private final String where;
  private final String todo;
  private final byte[] todoKey;
  private final long errorBackoffMaxMs;
  private final JobStore jobs;
  private boolean closed;

  private RedisStore(Vertx vertx, Redis redis, String where, String todo, long errorBackoffMaxMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.where = where;
    this.todo = todo;
    this.todoKey = todo.getBytes(StandardCharsets.UTF_8);
    this.errorBackoffMaxMs = errorBackoffMaxMs;
    this.jobs = new JobStore(redis);
  }

  /** A store on the Redis of the node's {@code redis} settings (host, port, db, password, set). */
  public static RedisStore create(Vertx vertx, RedisConf conf, Pool pool) {
    RedisOptions options = new RedisOptions()
        .setConnectionString("redis://" + conf.where())
        .setMaxPoolSize(pool.maxSize())
        .setMaxPoolWaiting(pool.maxWaiting());
    if (!conf.password().isEmpty()) {
      options.setPassword(conf.password());
    }
    return new RedisStore(vertx, Redis.createClient(vertx, options), conf.where(), conf.set(), conf.errorBackoffMaxMs());
  }

  /** host:port/db, for messages. */
  public String where() {
    return where;
  }

  /** The todo set (dgad's REDIS_SET) this store's door reads. */
  public String todoSet() {
    return todo;
  }

  /** Batch jobs' state, on this store's connections. */
  public JobStore jobs() {
    return jobs;
  }

  /** Stops retries and closes the connections. */
  public Future<Void> close() {
    closed = true;
    return redis.close();
  }

  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  // ---- the Redis door ----

  /** Moves up to {@code count} names from the todo set into the node's in-flight set. */
  Future<PoppedNames> pop(String nodeId, int count) {
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.POP).arg(2).arg(todo).arg(RedisKeys.inflight(nodeId))
        .arg(count)).map(resp -> {
          List<byte[]> names = new ArrayList<>(resp.size());
          for (Response r : resp) {
            names.add(r.toBytes());
          }
          return PoppedNames.of(names, todoKey);
        });
  }

  /**
   * Writes one result per popped name (dgad's SET, the result hash when {@code withHash}, or the
   * invalid reason), fenced: only names still in the node's in-flight set are written, and leave
   * it. Returns how many were written; fewer than popped means the rest were re-queued meanwhile.
   */
  Future<Long> write(String nodeId, PoppedNames names, List<Bus.Result> results, boolean withHash) {
    Request req = Request.cmd(Command.EVAL).arg(RedisScripts.WRITE).arg(2).arg(RedisKeys.inflight(nodeId))
        .arg(RedisKeys.INVALID).arg(nodeId).arg(Instant.now().toString()).arg(withHash ? "1" : "0");
    for (int i = 0; i < names.size(); i++) {
      StoredResult.addWriteArgs(req, names.key(i), results.get(i));
    }
    return redis.send(req).map(Response::toLong);
  }

  /**
   * Puts a node's in-flight names back into the todo set and unregisters it, if its heartbeat has
   * expired; {@code force} does so whatever the heartbeat says and keeps the registration (a node
   * restarting under its own id, a member that left the cluster). Returns the number of names, -1
   * if the node is alive.
   */
  public Future<Long> requeue(String nodeId, boolean force) {
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.REQUEUE).arg(4).arg(todo)
            .arg(RedisKeys.inflight(nodeId)).arg(RedisKeys.heartbeat(nodeId)).arg(RedisKeys.NODES)
            .arg(nodeId).arg(force ? "1" : "0"))
        .map(Response::toLong);
  }

  /** Refreshes the node's heartbeat (expiring after ttlMs) and registration; returns the registered nodes. */
  Future<List<String>> heartbeat(String nodeId, long ttlMs) {
    return redis.batch(List.of(
            Request.cmd(Command.SET).arg(RedisKeys.heartbeat(nodeId)).arg(Instant.now().toString()).arg("PX").arg(ttlMs),
            Request.cmd(Command.SADD).arg(RedisKeys.NODES).arg(nodeId),
            Request.cmd(Command.SMEMBERS).arg(RedisKeys.NODES)))
        .map(r -> Replies.strings(r.get(2)));
  }

  /** The nodes registered in Redis (each with a Redis door, alive or not). */
  public Future<List<String>> nodes() {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.NODES)).map(Replies::strings);
  }

  public Future<Void> unregister(String nodeId) {
    return redis.send(Request.cmd(Command.SREM).arg(RedisKeys.NODES).arg(nodeId)).mapEmpty();
  }

  /**
   * Adds names to a todo set (SADD), as dgad's producers do. The set is named because a door may
   * read another than this store's (the bench runs several).
   */
  public Future<Void> enqueue(String set, Collection<String> names) {
    Request r = Request.cmd(Command.SADD).arg(set);
    names.forEach(r::arg);
    return redis.send(r).mapEmpty();
  }

  /** The number of names waiting in the todo set. */
  public Future<Long> queueDepth() {
    return redis.send(Request.cmd(Command.SCARD).arg(todo)).map(n -> n == null ? 0 : n.toLong());
  }

  /** The queue depth and the names in flight on the given nodes. */
  public Future<Backlog> backlog(Collection<String> nodeIds) {
    List<Request> reqs = new ArrayList<>();
    reqs.add(Request.cmd(Command.SCARD).arg(todo));
    for (String id : nodeIds) {
      reqs.add(Request.cmd(Command.SCARD).arg(RedisKeys.inflight(id)));
    }
    return redis.batch(reqs).map(rs -> {
      long inFlight = 0;
      for (int i = 1; i < rs.size(); i++) {
        inFlight += rs.get(i).toLong();
      }
      return new Backlog(rs.get(0).toLong(), inFlight);
    });
  }

  // ---- lookups (the dashboard) ----

  /**
   * The stored answer of the first of {@code names} the Redis door wrote, as
   * {@link StoredResult#toJson}; null when none has one. A key of another type (any key may be
   * named like a host: the todo set, a user's own) holds no result, like a missing key.
   */
  public Future<JsonObject> storedResult(List<String> names) {
    List<Future<Response>> replies = new ArrayList<>();
    for (String name : names) {
      replies.add(sendAlone(Request.cmd(Command.GET).arg(name)));
      replies.add(sendAlone(Request.cmd(Command.HGETALL).arg(RedisKeys.result(name))));
    }
    return Future.all(replies).map(all -> {
      for (int i = 0; i < names.size(); i++) {
        Response label = all.resultAt(2 * i);
        if (label != null && StoredResult.isVerdict(label.toString())) {
          return StoredResult.toJson(names.get(i), label.toString(), Replies.hash(all.resultAt(2 * i + 1)));
        }
      }
      return null;
    });
  }

  /** Why the Redis door refused a name it was given, or null if it recorded nothing. */
  public Future<String> invalidReason(String name) {
    return sendAlone(Request.cmd(Command.GET).arg(RedisKeys.invalidReason(name))).map(r -> r == null ? null : r.toString());
  }

  /** One command, WRONGTYPE read as no value. Sent alone: in a batch its error fails all. */
  private Future<Response> sendAlone(Request request) {
    return redis.send(request).recover(e -> String.valueOf(e.getMessage()).startsWith("WRONGTYPE")
        ? Future.succeededFuture(null) : Future.failedFuture(e));
  }

  // ---- the leader ----

  /** Names the leader for tools outside the cluster, until ttlMs passes without a renewal. */
  public Future<Void> announceLeader(String nodeId, long ttlMs) {
    return redis.send(leaderRequest(nodeId, ttlMs)).mapEmpty();
  }

  /** Keeps the latest dgad.stats message for tools outside the cluster, and renews the leader's name. */
  public Future<Void> publishStats(JsonObject stats, long statsTtlMs, String leader, long leaderTtlMs) {
    return redis.batch(List.of(
        Request.cmd(Command.SET).arg(RedisKeys.STATS).arg(stats.encode()).arg("PX").arg(statsTtlMs),
        leaderRequest(leader, leaderTtlMs))).mapEmpty();
  }

  private static Request leaderRequest(String nodeId, long ttlMs) {
    return Request.cmd(Command.SET).arg(RedisKeys.LEADER).arg(nodeId).arg("PX").arg(ttlMs);
  }

  // ---- the retry policy ----

  /**
   * Runs op until it succeeds or this store is closed, pausing 20 ms after the first failure and
   * twice as long after each next one, up to redis.errorBackoffMaxMs: Redis restarting or a
   * classifier dying must cost a pause, never a lost name. The outage is told of every outcome.
   */
  <T> Future<T> retry(Outage outage, Supplier<Future<T>> op) {
    Promise<T> p = Promise.promise();
    attempt(outage, op, p, FIRST_RETRY_MS);
    return p.future();
  }

  private <T> void attempt(Outage outage, Supplier<Future<T>> op, Promise<T> p, long delay) {
    if (closed) {
      p.tryFail("stopped");
      return;
    }
    op.get().onComplete(ar -> {
      if (ar.succeeded()) {
        outage.ok();
        p.complete(ar.result());
      } else if (closed) {
        p.tryFail(ar.cause());
      } else {
        outage.failed(ar.cause());
        vertx.setTimer(delay, t -> attempt(outage, op, p, Math.min(delay * 2, errorBackoffMaxMs)));
      }
    });
  }
}
