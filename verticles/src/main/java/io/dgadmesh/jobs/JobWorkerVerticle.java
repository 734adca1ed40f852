package io.dgadmesh.jobs;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.redis.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The worker side of batch jobs: takes tasks the leader sends to {@code dgad.job.task.<nodeId>},
 * reads the task's names from Redis, classifies them over the (clustered) event bus in chunks,
 * each chunk retried on another classifier after a reply timeout, and stores the results with
 * the fenced {@link JobStore#complete} step. Then it tells the leader ({@link Bus#JOB_REPORT}).
 */
public class JobWorkerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(JobWorkerVerticle.class.getName());
  static final int CHUNK = 512;

  private RedisStore store;
  private JobStore jobs;
  private String nodeId;
  private long classifyTimeoutMs;
  private boolean stopped;
  /** Tasks this node runs now, with the token they were assigned under: handed back at stop. */
  private final java.util.Map<String, TaskState> running = new java.util.HashMap<>();

  private final NodeSettings given;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public JobWorkerVerticle() {
    this(null);
  }

  public JobWorkerVerticle(NodeSettings settings) {
    this.given = settings;
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    nodeId = settings.node().idOrDefault();
    classifyTimeoutMs = settings.redis().classifyTimeoutMs();
    store = RedisStore.create(vertx, settings.redis(), RedisStore.Pool.DEFAULT);
    jobs = store.jobs();
    return vertx.eventBus().<JsonObject>consumer(Bus.jobTaskAddress(nodeId), this::onTask).completion();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    // Hand the tasks under way back to the queue, as the Redis door hands back its names: a node
    // restarting under the same id would otherwise leave them to the leader's task timeout. The
    // move is fenced by the task's token, so a task that finished meanwhile is not re-run.
    List<Future<Boolean>> handedBack = new ArrayList<>();
    running.forEach((key, token) -> {
      int slash = key.lastIndexOf('/');
      handedBack.add(jobs.moveTask(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)), token,
          TaskState.QUEUED));
    });
    if (!running.isEmpty()) {
      LOG.info("node " + nodeId + ": " + running.size() + " job task(s) under way handed back at stop");
    }
    return Future.join(handedBack).eventually(() -> store.close());
  }

  private void onTask(Message<JsonObject> msg) {
    String job = msg.body().getString("job");
    int task = msg.body().getInteger("task");
    TaskState token = new TaskState(msg.body().getString("token"));
    msg.reply(new JsonObject());
    String key = job + "/" + task;
    running.put(key, token);
    run(job, task, token).onComplete(ar -> {
      running.remove(key);
      boolean ok = ar.succeeded() && ar.result();
      if (ar.failed()) {
        LOG.warning("node " + nodeId + ": job " + job + " task " + task + " failed: " + ar.cause().getMessage()
            + " (handed back to the leader)");
        jobs.moveTask(job, task, token, TaskState.QUEUED);
      }
      vertx.eventBus().publish(Bus.JOB_REPORT, new JsonObject().put("job", job).put("task", task)
          .put("node", nodeId).put("ok", ok));
    });
  }

  private Future<Boolean> run(String job, int task, TaskState token) {
    return jobs.taskNames(job, task).compose(names -> {
      List<Future<List<Bus.Result>>> parts = new ArrayList<>();
      for (int i = 0; i < names.size(); i += CHUNK) {
        List<String> chunk = names.subList(i, Math.min(names.size(), i + CHUNK));
        parts.add(retry(() -> Bus.classify(vertx.eventBus(), Bus.CLASSIFY, chunk, classifyTimeoutMs), 10));
      }
      return Future.all(parts).compose(cf -> {
        StringBuilder b = new StringBuilder(names.size() * 96);
        for (Future<List<Bus.Result>> p : parts) {
          for (Bus.Result r : p.result()) {
            b.append(r.toJson().encode()).append('\n');
          }
        }
        return jobs.complete(job, task, token, names.size(), b.toString());
      }).map(written -> {
        if (!written) {
          LOG.warning("node " + nodeId + ": job " + job + " task " + task + " was re-assigned meanwhile; results dropped");
          return false;
        }
        return true;
      });
    });
  }

  /** A reply timeout (a classifier died or stalled) is followed by a retry, on the next classifier. */
  private <T> Future<T> retry(Supplier<Future<T>> op, int attempts) {
    Promise<T> p = Promise.promise();
    attempt(op, p, attempts, 20);
    return p.future();
  }

  private <T> void attempt(Supplier<Future<T>> op, Promise<T> p, int left, long delay) {
    op.get().onComplete(ar -> {
      if (ar.succeeded()) {
        p.complete(ar.result());
      } else if (left <= 1 || stopped) {
        p.fail(ar.cause());
      } else {
        vertx.setTimer(delay, t -> attempt(op, p, left - 1, Math.min(delay * 2, 2000)));
      }
    });
  }
}
