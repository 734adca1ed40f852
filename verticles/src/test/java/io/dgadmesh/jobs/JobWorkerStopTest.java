package io.dgadmesh.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.redis.TaskState;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node stopped while it runs a job task hands the task back (found by the soak: a node that came
 * back under its own id left the task to the leader's 120 s task timeout).
 */
@Timeout(60)
class JobWorkerStopTest {

  @Test
  void aTaskUnderWayIsQueuedAgainAtStop() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      JsonObject conf = NodeConfig.load(null, Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT",
          Integer.toString(server.port()), "DGAD_NODE_ID", "stopper", "DGAD_ROLES", "worker"));
      NodeSettings settings = NodeConfig.settings(conf);
      Vertx vertx = Vertx.vertx();
      RedisStore store = RedisStore.create(vertx, settings.redis(), RedisStore.Pool.DEFAULT);
      JobStore jobs = store.jobs();
      try {
        String job = Poll.get(jobs.submit(List.of("a.example", "b.example")), 10_000).getString("id");
        Poll.get(jobs.split(job, 10), 10_000);
        TaskState token = TaskState.runningOn("stopper");
        assertTrue(Poll.get(jobs.moveTask(job, 0, TaskState.QUEUED, token), 10_000));
        // No classifier runs: the task stays under way, its names retried, until the stop.
        String id = Poll.get(vertx.deployVerticle(new JobWorkerVerticle(settings)), 10_000);
        Poll.get(vertx.eventBus().request(Bus.jobTaskAddress("stopper"),
            new JsonObject().put("job", job).put("task", 0).put("token", token.stored())), 10_000);
        assertEquals(token, Poll.get(jobs.tasks(job), 10_000).get(0));
        Poll.get(vertx.undeploy(id), 30_000);
        assertEquals(TaskState.QUEUED, Poll.get(jobs.tasks(job), 10_000).get(0), "handed back at stop");
      } finally {
        Poll.get(store.close(), 10_000);
        Poll.get(vertx.close(), 10_000);
      }
    }
  }
}
