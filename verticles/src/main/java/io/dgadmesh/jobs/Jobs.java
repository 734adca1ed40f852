package io.dgadmesh.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Batch jobs in Redis, so they survive any node. A job is stored whole at submit; the leader
 * splits it into tasks and assigns them; a worker writes a task's results and marks it done in
 * one fenced step (only while the task is still assigned to it).
 *
 * <pre>
 * dgad:jobs                 zset  id by creation time
 * dgad:jobs:active          set   ids not done yet (what the leader plans)
 * dgad:job:&lt;id&gt;             hash  id, status (queued|running|done|failed), total, done, created,
 *                                 finished, task_size, tasks_total, tasks_done
 * dgad:job:&lt;id&gt;:names       list  the names, in submit order
 * dgad:job:&lt;id&gt;:tasks       hash  task index -> "queued" | "running|node|token|assignedMs" | "done"
 * dgad:job:&lt;id&gt;:result:&lt;i&gt;  string results of task i, JSON lines in name order
 * </pre>
 */
public final class Jobs {

  public static final String JOBS = "dgad:jobs";
  public static final String ACTIVE = "dgad:jobs:active";
  public static final String QUEUED = "queued";
  public static final String DONE = "done";

  private Jobs() {}

  public static String job(String id) {
    return "dgad:job:" + id;
  }

  public static String names(String id) {
    return job(id) + ":names";
  }

  public static String tasks(String id) {
    return job(id) + ":tasks";
  }

  public static String result(String id, int task) {
    return job(id) + ":result:" + task;
  }

  /** A Redis client for the node's configured Redis ("redis" section). */
  public static Redis client(Vertx vertx, JsonObject conf) {
    JsonObject r = conf.getJsonObject("redis");
    RedisOptions o = new RedisOptions()
        .setConnectionString("redis://" + r.getString("host") + ":" + r.getInteger("port") + "/" + r.getInteger("db"))
        .setMaxPoolSize(4).setMaxPoolWaiting(1024);
    if (!r.getString("password", "").isEmpty()) {
      o.setPassword(r.getString("password"));
    }
    return Redis.createClient(vertx, o);
  }

  /** Compare-and-set of one task: KEYS tasks hash; ARGV task, expected, new. 1 if set. */
  public static final String CAS = """
      if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        return 1
      end
      return 0
      """;

  /** KEYS job hash, tasks hash, active set; ARGV task size, now, id. Splits a queued job once. */
  public static final String SPLIT = """
      if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return -1 end
      local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
      local size = tonumber(ARGV[1])
      local n = math.floor((total + size - 1) / size)
      for i = 0, n - 1 do redis.call('HSET', KEYS[2], tostring(i), 'queued') end
      redis.call('HSET', KEYS[1], 'status', 'running', 'task_size', size, 'tasks_total', n, 'tasks_done', 0)
      if n == 0 then
        redis.call('HSET', KEYS[1], 'status', 'done', 'finished', ARGV[2])
        redis.call('SREM', KEYS[3], ARGV[3])
      end
      return n
      """;

  /**
   * KEYS tasks hash, job hash, result key, active set; ARGV task, token, names, results, now, id.
   * Writes a task's results only while it is still assigned with this token; completes the job
   * with its last task. 1 if written, 0 if the task was taken away (re-assigned).
   */
  static final String COMPLETE = """
      if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
      redis.call('SET', KEYS[3], ARGV[4])
      redis.call('HSET', KEYS[1], ARGV[1], 'done')
      redis.call('HINCRBY', KEYS[2], 'done', ARGV[3])
      local d = redis.call('HINCRBY', KEYS[2], 'tasks_done', 1)
      if d >= tonumber(redis.call('HGET', KEYS[2], 'tasks_total')) then
        redis.call('HSET', KEYS[2], 'status', 'done', 'finished', ARGV[5])
        redis.call('SREM', KEYS[4], ARGV[6])
      end
      return 1
      """;

  /** Stores a job (queued); the leader picks it up. Returns {"id", "total"}. */
  public static Future<JsonObject> submit(Redis redis, List<String> names) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    List<Request> reqs = new ArrayList<>();
    for (int i = 0; i < names.size(); i += 1000) {
      Request r = Request.cmd(Command.RPUSH).arg(names(id));
      names.subList(i, Math.min(names.size(), i + 1000)).forEach(r::arg);
      reqs.add(r);
    }
    long now = System.currentTimeMillis();
    // The job becomes visible to the leader (active set) only once all its names are stored.
    Request hash = Request.cmd(Command.HSET).arg(job(id)).arg("id").arg(id).arg("status").arg(QUEUED)
        .arg("total").arg(names.size()).arg("done").arg(0).arg("created").arg(now)
        .arg("tasks_total").arg(0).arg("tasks_done").arg(0);
    Future<?> stored = reqs.isEmpty() ? Future.succeededFuture() : redis.batch(reqs);
    return stored.compose(v -> redis.batch(List.of(hash,
            Request.cmd(Command.ZADD).arg(JOBS).arg(now).arg(id),
            Request.cmd(Command.SADD).arg(ACTIVE).arg(id))))
        .map(v -> new JsonObject().put("id", id).put("total", names.size()));
  }

  /** Status as in the HTTP contract, or null if there is no such job. */
  public static Future<JsonObject> status(Redis redis, String id) {
    return redis.batch(List.of(Request.cmd(Command.HGETALL).arg(job(id)), Request.cmd(Command.HVALS).arg(tasks(id))))
        .map(r -> {
          Map<String, String> h = map(r.get(0));
          if (h.isEmpty()) {
            return null;
          }
          int running = 0;
          for (Response v : r.get(1)) {
            if (v.toString().startsWith("running")) {
              running++;
            }
          }
          return new JsonObject().put("id", id).put("status", str(h, "status"))
              .put("total", num(h, "total")).put("done", num(h, "done"))
              .put("tasks", new JsonObject().put("total", num(h, "tasks_total")).put("done", num(h, "tasks_done"))
                  .put("running", running))
              .put("created", num(h, "created"))
              .put("finished", h.containsKey("finished") ? num(h, "finished") : null);
        });
  }

  /** The latest jobs, newest first (at most max). */
  public static Future<List<JsonObject>> list(Redis redis, int max) {
    return redis.send(Request.cmd(Command.ZREVRANGE).arg(JOBS).arg(0).arg(max - 1)).compose(ids -> {
      List<Future<JsonObject>> all = new ArrayList<>();
      for (Response id : ids) {
        all.add(status(redis, id.toString()));
      }
      return Future.all(all).map(cf -> {
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          if (cf.resultAt(i) != null) {
            out.add(cf.resultAt(i));
          }
        }
        return out;
      });
    });
  }

  /** The results of task i (JSON lines, one per name), or null if the task is not done. */
  public static Future<String> taskResults(Redis redis, String id, int task) {
    return redis.send(Request.cmd(Command.GET).arg(result(id, task))).map(r -> r == null ? null : r.toString());
  }

  static String str(Map<String, String> h, String k) {
    return h.get(k);
  }

  static long num(Map<String, String> h, String k) {
    String v = h.get(k);
    return v == null ? 0 : Long.parseLong(v);
  }

  /** A hash reply (HGETALL) as a map, whichever way the client shaped it. */
  public static Map<String, String> map(Response r) {
    Map<String, String> m = new LinkedHashMap<>();
    if (r == null) {
      return m;
    }
    Set<String> keys = r.getKeys();
    if (keys != null && !keys.isEmpty()) {
      for (String k : keys) {
        m.put(k, r.get(k).toString());
      }
    } else {
      for (int i = 0; i + 1 < r.size(); i += 2) {
        m.put(r.get(i).toString(), r.get(i + 1).toString());
      }
    }
    return m;
  }
}
