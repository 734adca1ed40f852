package io.dgadmesh.redis;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Batch jobs in Redis, so they survive any node (from {@link RedisStore#jobs()}). A job is stored
 * whole at submit; the leader splits it into tasks and assigns them; a worker writes a task's
 * results and marks it done in one fenced step (only while the task is still assigned to it).
 *
 * <pre>
 * dgad:jobs                 zset  id by creation time
 * dgad:jobs:active          set   ids not done yet (what the leader plans)
 * dgad:job:&lt;id&gt;             hash  id, status (queued|running|done|failed), total, done, created,
 *                                 finished, task_size, tasks_total, tasks_done
 * dgad:job:&lt;id&gt;:names       list  the names, in submit order
 * dgad:job:&lt;id&gt;:tasks       hash  task index -> {@link TaskState}
 * dgad:job:&lt;id&gt;:result:&lt;i&gt;  string results of task i, JSON lines in name order
 * </pre>
 */
public final class JobStore {

  private static final String QUEUED = TaskState.QUEUED.stored();
  /** Names per RPUSH of {@link #submit}. */
  private static final int CHUNK = 1000;
  /**
   * How long the names of an upload that never completes stay in Redis: a node that dies mid-upload
   * cannot delete them, so they expire; a completed job's names are kept ({@code PERSIST}).
   */
  private static final long UPLOAD_TTL_MS = 3_600_000;

  /** The store's calls: a failure is a {@link RedisUnavailable}, Redis's text logged, not returned. */
  private final RedisCalls redis;

  JobStore(RedisCalls redis) {
    this.redis = redis;
  }

  /**
   * Stores a job (queued); the leader picks it up. Returns {"id", "total"}. The names go to Redis
   * in chunks ({@link #upload()}); on a failure the partial job is deleted and the future fails.
   */
  public Future<JsonObject> submit(List<String> names) {
    Upload upload = upload();
    Future<Void> stored = Future.succeededFuture();
    for (int i = 0; i < names.size(); i += CHUNK) {
      List<String> chunk = names.subList(i, Math.min(names.size(), i + CHUNK));
      stored = stored.compose(v -> upload.add(chunk));
    }
    return stored.compose(v -> upload.commit())
        .recover(e -> upload.abort().transform(ar -> Future.<JsonObject>failedFuture(e)));
  }

  /** Job ids as {@link #upload()} makes them: 12 lowercase hex digits. */
  public static boolean isJobId(String id) {
    if (id == null || id.length() != 12) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** A new job to fill with {@link Upload#add} and publish with {@link Upload#commit}. */
  public Upload upload() {
    return new Upload(UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  /**
   * A job being stored: its names go to Redis chunk by chunk (call {@link #add} again only after
   * the previous add completed, so that they stay in order), and the job becomes visible (its hash,
   * the job list and the leader's active set) only at {@link #commit}. Until then the names list
   * expires by itself; {@link #abort} deletes it at once.
   */
  public final class Upload {
    private final String id;
    private long total;

    private Upload(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /** Names stored so far. */
    public long total() {
      return total;
    }

    /** Appends names to the job's list (one round trip). */
    public Future<Void> add(List<String> names) {
      if (names.isEmpty()) {
        return Future.succeededFuture();
      }
      Request push = Request.cmd(Command.RPUSH).arg(RedisKeys.jobNames(id));
      names.forEach(push::arg);
      long n = names.size();
      return redis.batch(List.of(push, Request.cmd(Command.PEXPIRE).arg(RedisKeys.jobNames(id)).arg(UPLOAD_TTL_MS)))
          .<Void>map(v -> {
            total += n;
            return null;
          });
    }

    /** Publishes the job, queued, in one transaction. Returns {"id", "total"}. */
    public Future<JsonObject> commit() {
      long now = System.currentTimeMillis();
      Request hash = Request.cmd(Command.HSET).arg(RedisKeys.job(id)).arg("id").arg(id).arg("status").arg(QUEUED)
          .arg("total").arg(total).arg("done").arg(0).arg("created").arg(now)
          .arg("tasks_total").arg(0).arg("tasks_done").arg(0);
      return redis.batch(List.of(Request.cmd(Command.MULTI), Request.cmd(Command.PERSIST).arg(RedisKeys.jobNames(id)),
              hash, Request.cmd(Command.ZADD).arg(RedisKeys.JOBS).arg(now).arg(id),
              Request.cmd(Command.SADD).arg(RedisKeys.ACTIVE_JOBS).arg(id), Request.cmd(Command.EXEC)))
          .map(v -> new JsonObject().put("id", id).put("total", total));
    }

    /** Deletes what was stored; never fails (what a lost DEL leaves expires). */
    public Future<Void> abort() {
      return redis.send(Request.cmd(Command.DEL).arg(RedisKeys.jobNames(id))).<Void>mapEmpty().otherwiseEmpty();
    }
  }

  /**
   * Status as in the HTTP contract, or null if there is no such job: {"id", "status", "total",
   * "done", "tasks": {"total", "done", "running"}, "created", "finished"}.
   */
  public Future<JsonObject> status(String id) {
    return redis.batch(List.of(Request.cmd(Command.HGETALL).arg(RedisKeys.job(id)),
            Request.cmd(Command.HVALS).arg(RedisKeys.jobTasks(id))))
        .map(r -> {
          Map<String, String> h = Replies.hash(r.get(0));
          if (h.isEmpty()) {
            return null;
          }
          int running = 0;
          for (String v : Replies.strings(r.get(1))) {
            if (new TaskState(v).isRunning()) {
              running++;
            }
          }
          return new JsonObject().put("id", id).put("status", h.get("status"))
              .put("total", num(h, "total")).put("done", num(h, "done"))
              .put("tasks", new JsonObject().put("total", num(h, "tasks_total")).put("done", num(h, "tasks_done"))
                  .put("running", running))
              .put("created", num(h, "created"))
              .put("finished", h.containsKey("finished") ? num(h, "finished") : null);
        });
  }

  private static long num(Map<String, String> h, String k) {
    String v = h.get(k);
    return v == null ? 0 : Long.parseLong(v);
  }

  /** The latest jobs' status, newest first (at most max). */
  public Future<List<JsonObject>> list(int max) {
    return redis.send(Request.cmd(Command.ZREVRANGE).arg(RedisKeys.JOBS).arg(0).arg(max - 1)).compose(ids -> {
      List<Future<JsonObject>> all = new ArrayList<>();
      for (String id : Replies.strings(ids)) {
        all.add(status(id));
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
  public Future<String> taskResults(String id, int task) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.jobResult(id, task))).map(r -> r == null ? null : r.toString());
  }

  // ---- the leader's planning ----

  /** The ids of the jobs not done yet. */
  public Future<List<String>> active() {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.ACTIVE_JOBS)).map(Replies::strings);
  }

  /**
   * The ids of the {@code max} oldest jobs not done yet, oldest first (ties by id): the leader
   * plans a bounded window of jobs per round, in submit order, however many are waiting.
   */
  public Future<List<String>> oldestActive(int max) {
    return redis.send(Request.cmd(Command.SORT).arg(RedisKeys.ACTIVE_JOBS).arg("BY").arg(RedisKeys.job("*") + "->created")
        .arg("LIMIT").arg(0).arg(max)).map(Replies::strings);
  }

  /** Splits a queued job into tasks of taskSize names: the number of tasks, -1 if it was split before. */
  public Future<Long> split(String id, int taskSize) {
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.JOB_SPLIT).arg(3).arg(RedisKeys.job(id))
            .arg(RedisKeys.jobTasks(id)).arg(RedisKeys.ACTIVE_JOBS).arg(taskSize).arg(System.currentTimeMillis()).arg(id))
        .map(Response::toLong);
  }

  /** Every task of a job with its state, by task index. */
  public Future<Map<Integer, TaskState>> tasks(String id) {
    return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.jobTasks(id))).map(r -> {
      Map<Integer, TaskState> tasks = new LinkedHashMap<>();
      Replies.hash(r).forEach((task, state) -> tasks.put(Integer.valueOf(task), new TaskState(state)));
      return tasks;
    });
  }

  /** Moves a task from one state to another, only if it is still in the first: true if moved. */
  public Future<Boolean> moveTask(String job, int task, TaskState from, TaskState to) {
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.TASK_CAS).arg(1).arg(RedisKeys.jobTasks(job)).arg(task)
        .arg(from.stored()).arg(to.stored())).map(r -> r.toLong() == 1);
  }

  // ---- a worker's task ----

  /** The names of task i, in submit order. */
  public Future<List<String>> taskNames(String job, int task) {
    return redis.send(Request.cmd(Command.HGET).arg(RedisKeys.job(job)).arg("task_size")).compose(size -> {
      long from = (long) task * size.toLong();
      long to = from + size.toLong() - 1;
      return redis.send(Request.cmd(Command.LRANGE).arg(RedisKeys.jobNames(job)).arg(from).arg(to));
    }).map(Replies::strings);
  }

  /**
   * Stores a task's results (JSON lines of {@code names} names) and marks it done, completing the
   * job with its last task; only while the task is still assigned with {@code token}. False if it
   * was taken away meanwhile: nothing is written.
   */
  public Future<Boolean> complete(String job, int task, TaskState token, int names, String resultLines) {
    return redis.send(Request.cmd(Command.EVAL).arg(RedisScripts.TASK_COMPLETE).arg(4).arg(RedisKeys.jobTasks(job))
            .arg(RedisKeys.job(job)).arg(RedisKeys.jobResult(job, task)).arg(RedisKeys.ACTIVE_JOBS)
            .arg(task).arg(token.stored()).arg(names).arg(resultLines).arg(System.currentTimeMillis()).arg(job))
        .map(r -> r.toLong() != 0);
  }
}
