package io.dgadmesh.jobs;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.TaskState;
import io.dgadmesh.config.JobsConf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The leader's share of batch jobs, one round at a time: splits new jobs into tasks of
 * jobs.taskSize names, puts back the tasks of nodes that are gone (and of tasks that ran longer
 * than jobs.taskTimeoutMs), and assigns queued tasks to worker nodes, at most
 * jobs.tasksPerWorker each, the least loaded first. Every change of a task is a compare-and-set
 * in Redis, so a round that races a worker (or an old leader) changes nothing it did not see.
 *
 * <p>A round is bounded, however many jobs wait: it plans the {@link #JOBS_PER_ROUND} oldest
 * active jobs (in submit order; the others wait their turn) with at most
 * {@link #CALLS_IN_FLIGHT} Redis calls out at once, so it never fills the pool's waiting line.
 */
public final class JobPlanner {

  private static final Logger LOG = Logger.getLogger(JobPlanner.class.getName());
  /** How long a worker node has to take a task before it goes back to the queue. */
  private static final long TAKE_TIMEOUT_MS = 5000;
  /**
   * Jobs planned per round, oldest first: each costs two Redis calls a round (split, read its
   * tasks), and more than the workers' task slots cannot run at once anyway. A job gets tasks
   * only inside this window, so the running tasks the round counts are all there are.
   */
  public static final int JOBS_PER_ROUND = 100;
  /** Redis calls (and task hand-overs) a round has out at once. */
  public static final int CALLS_IN_FLIGHT = 16;

  private final Vertx vertx;
  private final JobStore jobs;
  private final String leaderId;
  private final int taskSize;
  private final int tasksPerWorker;
  private final long taskTimeoutMs;

  public JobPlanner(Vertx vertx, JobStore jobs, String leaderId, JobsConf conf) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.leaderId = leaderId;
    this.taskSize = conf.taskSize();
    this.tasksPerWorker = conf.tasksPerWorker();
    this.taskTimeoutMs = conf.taskTimeoutMs();
  }

  /** One round over the active jobs; {@code live} is the NodeInfo of every live node by id. */
  public Future<Void> plan(Map<String, JsonObject> live) {
    return jobs.oldestActive(JOBS_PER_ROUND).compose(jobIds -> {
      if (jobIds.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      List<Map<Integer, TaskState>> tasks = new ArrayList<>(jobIds.size());
      jobIds.forEach(id -> tasks.add(null));
      return bounded(jobIds.size(), CALLS_IN_FLIGHT, i -> {
        String id = jobIds.get(i);
        return jobs.split(id, taskSize)
            .andThen(ar -> {
              if (ar.succeeded() && ar.result() >= 0) {
                LOG.info("leader " + leaderId + ": job " + id + " split into " + ar.result() + " tasks of " + taskSize);
              }
            })
            .compose(v -> jobs.tasks(id))
            .map(t -> tasks.set(i, t));
      }).compose(v -> assign(live, jobIds, tasks));
    });
  }

  /**
   * Runs op(0) .. op(n - 1) with at most {@code width} of them out at once. After a failure
   * nothing more starts, and the result fails once those under way have ended. Also the
   * leader's bound on its clean-up calls.
   */
  public static Future<Void> bounded(int n, int width, IntFunction<Future<?>> op) {
    int[] next = {0}; // one event loop runs every step
    List<Future<Void>> runners = new ArrayList<>();
    for (int r = 0; r < Math.min(width, n); r++) {
      runners.add(runner(next, n, op));
    }
    return Future.join(runners).mapEmpty();
  }

  private static Future<Void> runner(int[] next, int n, IntFunction<Future<?>> op) {
    int i = next[0]++;
    if (i >= n) {
      return Future.succeededFuture();
    }
    return op.apply(i).transform(ar -> {
      if (ar.failed()) {
        next[0] = n; // start nothing more: the round has failed
        return Future.failedFuture(ar.cause());
      }
      return runner(next, n, op);
    });
  }

  private record QueuedTask(int jobIndex, String job, int task) {}

  private Future<Void> assign(Map<String, JsonObject> live, List<String> jobIds, List<Map<Integer, TaskState>> tasks) {
    Map<String, Integer> load = new HashMap<>();
    for (JsonObject n : live.values()) {
      if (n.getJsonArray("roles", new JsonArray()).contains("worker")) {
        load.put(n.getString("id"), 0);
      }
    }
    long now = System.currentTimeMillis();
    List<Supplier<Future<?>>> work = new ArrayList<>();
    List<QueuedTask> queued = new ArrayList<>();
    for (int j = 0; j < jobIds.size(); j++) {
      String job = jobIds.get(j);
      for (Map.Entry<Integer, TaskState> t : tasks.get(j).entrySet()) {
        TaskState state = t.getValue();
        if (state.isQueued()) {
          queued.add(new QueuedTask(j, job, t.getKey()));
        } else if (state.isRunning()) {
          String node = state.node();
          if (!live.containsKey(node) || now - state.assignedMs() > taskTimeoutMs) {
            String why = !live.containsKey(node) ? "its node " + node + " is gone" : "it ran over " + taskTimeoutMs + " ms";
            work.add(() -> jobs.moveTask(job, t.getKey(), state, TaskState.QUEUED).onSuccess(ok -> {
              if (ok) {
                LOG.warning("leader " + leaderId + ": job " + job + " task " + t.getKey() + " re-queued: " + why);
              }
            }));
          } else {
            load.merge(node, 1, Integer::sum);
          }
        }
      }
    }
    // Oldest job first (the window's order), then task order.
    queued.sort(Comparator.comparingInt(QueuedTask::jobIndex).thenComparingInt(QueuedTask::task));
    for (QueuedTask q : queued) {
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
      String node = best;
      work.add(() -> send(q.job(), q.task(), node));
    }
    return bounded(work.size(), CALLS_IN_FLIGHT, i -> work.get(i).get());
  }

  /** Assigns a task to a node and hands it over; a node that does not take it gives it back. */
  private Future<Void> send(String job, int task, String node) {
    TaskState token = TaskState.runningOn(node);
    return jobs.moveTask(job, task, TaskState.QUEUED, token).compose(ok -> {
      if (!ok) {
        return Future.<Void>succeededFuture();
      }
      JsonObject msg = new JsonObject().put("job", job).put("task", task).put("token", token.stored());
      return vertx.eventBus().request(Bus.jobTaskAddress(node), msg, new DeliveryOptions().setSendTimeout(TAKE_TIMEOUT_MS))
          .<Void>mapEmpty()
          .recover(err -> {
            LOG.warning("leader " + leaderId + ": node " + node + " did not take job " + job + " task " + task + ": " + err.getMessage());
            return jobs.moveTask(job, task, token, TaskState.QUEUED).mapEmpty();
          });
    });
  }
}
