package io.dgadmesh.redis;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.RedisConf;
import io.dgadmesh.config.RedisEndpoint;
import io.dgadmesh.metrics.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
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
import java.util.concurrent.atomic.AtomicInteger;
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

  /**
   * Connections a store may open, and how many calls may wait for one before failing; the name
   * says whose they are in logs and in readiness.
   */
  public record Pool(String name, int maxSize, int maxWaiting) {
    /** Batch jobs, the jobs API and the command line: a few calls at a time. */
    public static final Pool DEFAULT = new Pool("default", 4, 1024);
    /** The leader's rounds, which bound their own calls in flight. */
    public static final Pool LEADER = new Pool("leader", 4, 1024);
    /** The dashboard: lookups and the queue sample; a burst beyond it fails fast. */
    public static final Pool DASHBOARD = new Pool("dashboard", 4, 256);

    /** The Redis door: a connection per lane, plus the heartbeat and a re-queue. */
    public static Pool door(int lanes) {
      return new Pool("door", lanes + 2, 1024);
    }
  }

  /** The todo set and the in-flight count of some nodes, read in one round trip. */
  public record Backlog(long queueDepth, long inFlight) {}

  /** The first pause after a failed call; it doubles up to redis.errorBackoffMaxMs. */
  private static final long FIRST_RETRY_MS = 20;
  /** How much of an over-long member names it in dgad:invalid: enough to recognise, never the whole. */
  static final int SHOWN_BYTES = 256;
  private static final AtomicInteger STORES = new AtomicInteger();

  private final Vertx vertx;
  private final RedisCalls redis;
  private final RedisConf conf;
  private final byte[] todoKey;
  private final String readinessName;
  private final JobStore jobs;
  private final HostStore hosts;
  private boolean closed;

  private RedisStore(Vertx vertx, RedisCalls redis, RedisConf conf, Pool pool) {
    this.vertx = vertx;
    this.redis = redis;
    this.conf = conf;
    this.todoKey = conf.set().getBytes(StandardCharsets.UTF_8);
    this.jobs = new JobStore(redis);
    this.hosts = new HostStore(redis);
    // One check per store: each has its own pool (a node runs several: door, leader, dashboard, jobs).
    this.readinessName = "redis-pool:" + pool.name() + ":" + STORES.incrementAndGet();
    Readiness.of(vertx).register(readinessName, redis::problem);
  }

  /**
   * A store on the Redis of the node's {@code redis} settings (redis.url or host, port, db; user
   * and password; TLS for rediss://, trusting tls.caPath or else the JVM's trust store).
   */
  public static RedisStore create(Vertx vertx, RedisConf conf, Pool pool) {
    RedisEndpoint server = conf.server();
    RedisOptions options = new RedisOptions()
        .setConnectionString(server.connectionString())
        .setMaxPoolSize(pool.maxSize())
        .setMaxPoolWaiting(pool.maxWaiting());
    if (server.authenticates()) {
      // AUTH user password (Redis 6 ACL), or the default user's password; apart from the
      // connection string, so no character of theirs needs escaping there.
      options.setPassword(server.password());
      if (!server.user().isEmpty()) {
        options.setUser(server.user());
      }
    }
    if (server.tls()) {
      tls(options.getNetClientOptions(), server);
    }
    return new RedisStore(vertx, new RedisCalls(Redis.createClient(vertx, options), conf.where(), pool), conf, pool);
  }

  /**
   * TLS from the first byte, the server's certificate checked against the private CA or the JVM's
   * trust store, and its name against the host connected to, as HTTPS does: a certificate of any
   * other server signed by the same CA is refused.
   */
  private static void tls(NetClientOptions net, RedisEndpoint server) {
    net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
    if (!server.caPath().isEmpty()) {
      net.setTrustOptions(new PemTrustOptions().addCertPath(server.caPath()));
    }
  }

  /** host:port/db, for messages. */
  public String where() {
    return conf.where();
  }

  /** The todo set (dgad's REDIS_SET) this store's door reads. */
  public String todoSet() {
    return conf.set();
  }

  /** Batch jobs' state, on this store's connections. */
  public JobStore jobs() {
    return jobs;
  }

  /** Per-host evidence of the live path, on this store's connections. */
  public HostStore hosts() {
    return hosts;
  }

  /** Stops retries and closes the connections. */
  public Future<Void> close() {
    closed = true;
    Readiness.of(vertx).unregister(readinessName);
    return redis.close();
  }

  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  // ---- the Redis door ----

  /**
   * Moves up to {@code count} names from the todo set into the node's in-flight set. A member
   * longer than redis.maxNameBytes never gets here: the script records it in dgad:invalid, under
   * its first {@link #SHOWN_BYTES} bytes, "..." and its SHA-1 (hex), so no member's size can
   * exhaust the heap.
   */
  Future<PoppedNames> pop(String nodeId, int count) {
    int max = conf.maxNameBytes();
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.POP).arg(3).arg(conf.set()).arg(RedisKeys.inflight(nodeId))
        .arg(RedisKeys.INVALID).arg(count).arg(max).arg(SHOWN_BYTES).arg(tooLong(max))).map(resp -> {
          Response popped = resp.get(1);
          List<byte[]> names = new ArrayList<>(popped.size());
          for (Response r : popped) {
            names.add(r.toBytes());
          }
          return PoppedNames.of(names, todoKey, resp.get(0).toInteger());
        });
  }

  /** The reason of a member over the limit, up to its size, which the pop script appends. */
  static String tooLong(int maxBytes) {
    return "longer than " + maxBytes + " bytes (a host name has at most 253 characters): ";
  }

  /**
   * What an operator must fix when Redis refuses this store's connections (no such database, a
   * wrong password), naming the setting; null for any other failure (an outage passes by itself).
   */
  public String setupProblem(Throwable failure) {
    return failure instanceof RedisUnavailable u ? u.setupProblem(conf.server()) : null;
  }

  /**
   * Writes one result per popped name (dgad's SET, the result hash when {@code withHash}, or the
   * invalid reason), fenced: only names still in the node's in-flight set are written, and leave
   * it. Returns how many were written; fewer than popped means the rest were re-queued meanwhile.
   * Every attempt of one write passes the same {@code written} time: it is how a retry whose
   * earlier attempt ran (and lost its reply) recognises the names that attempt wrote.
   */
  Future<Long> write(String nodeId, PoppedNames names, List<Bus.Result> results, boolean withHash, Instant written) {
    Request req = Request.cmd(Command.EVAL).arg(RedisScripts.WRITE).arg(2).arg(RedisKeys.inflight(nodeId))
        .arg(RedisKeys.INVALID).arg(nodeId).arg(written.toString()).arg(withHash ? "1" : "0");
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
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.REQUEUE).arg(4).arg(conf.set())
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
    return redis.send(Request.cmd(Command.SCARD).arg(conf.set())).map(n -> n == null ? 0 : n.toLong());
  }

  /** The queue depth and the names in flight on the given nodes. */
  public Future<Backlog> backlog(Collection<String> nodeIds) {
    List<Request> reqs = new ArrayList<>();
    reqs.add(Request.cmd(Command.SCARD).arg(conf.set()));
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
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > conf.maxNameBytes()) {
      // Recorded by the pop script under its first bytes, "..." and its SHA-1: look it up there.
      byte[] key = recordedName(bytes);
      byte[] prefix = (RedisKeys.INVALID + ":").getBytes(StandardCharsets.UTF_8);
      byte[] full = new byte[prefix.length + key.length];
      System.arraycopy(prefix, 0, full, 0, prefix.length);
      System.arraycopy(key, 0, full, prefix.length, key.length);
      return sendAlone(Request.cmd(Command.GET).arg(full)).map(r -> r == null ? null : r.toString());
    }
    return sendAlone(Request.cmd(Command.GET).arg(RedisKeys.invalidReason(name))).map(r -> r == null ? null : r.toString());
  }

  /** What the pop script records for a member over redis.maxNameBytes: first bytes, "...", SHA-1 hex. */
  static byte[] recordedName(byte[] member) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(member);
      String tail = "..." + java.util.HexFormat.of().formatHex(digest);
      byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
      int n = Math.min(SHOWN_BYTES, member.length);
      byte[] out = new byte[n + t.length];
      System.arraycopy(member, 0, out, 0, n);
      System.arraycopy(t, 0, out, n, t.length);
      return out;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java has SHA-1
    }
  }

  /** One command, WRONGTYPE read as no value. Sent alone: in a batch its error fails all. */
  private Future<Response> sendAlone(Request request) {
    return redis.sendQuietly(request).recover(e -> e instanceof RedisUnavailable u && u.is("WRONGTYPE")
        ? Future.succeededFuture(null) : Future.failedFuture(redis.failed(e, request)));
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
        vertx.setTimer(delay, t -> attempt(outage, op, p, Math.min(delay * 2, conf.errorBackoffMaxMs())));
      }
    });
  }
}
