package io.dgadmesh.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.node.MeshNode;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of jobs waiting at once: the leader's round used to send two Redis calls per active
 * job all at once, which overflowed its pool's waiting line (1,024), so every round failed and no
 * job moved again. A round now plans a bounded window of the oldest jobs with few calls out.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManyJobsTest {

  static final int JOBS = 3000;

  @Test
  void threeThousandJobsSubmittedAtOnceAllComplete() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      JsonObject conf = NodeConfig.load(null, Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT",
          Integer.toString(server.port()), "DGAD_NODE_ID", "many", "DGAD_ROLES", "worker,classifier",
          "DGAD_CLASSIFIERS", "1"));
      conf.getJsonObject("jobs").put("tasksPerWorker", 64);
      Vertx vertx = Vertx.vertx();
      RedisStore store = RedisStore.create(vertx, NodeConfig.settings(conf).redis(), RedisStore.Pool.DEFAULT);
      JobStore jobs = store.jobs();
      List<String> ids = new ArrayList<>();
      // All waiting before the leader's first round, as after 5,000 quick POSTs or a leader change.
      for (int i = 0; i < JOBS; i += 200) {
        List<Future<JsonObject>> part = new ArrayList<>();
        for (int j = i; j < i + 200; j++) {
          part.add(jobs.submit(List.of(j % 2 == 0 ? "site" + j + ".example.org" : "qzx" + j + "vbnwkj.net")));
        }
        Poll.get(Future.all(part), 30_000);
        part.forEach(f -> ids.add(f.result().getString("id")));
      }
      MeshNode node = new MeshNode(conf);
      try {
        node.start();
        Poll.await(150_000, "every job done", () -> Poll.get(jobs.active(), 10_000).isEmpty());
        for (int i = 0; i < JOBS; i += 200) {
          List<Future<JsonObject>> part = new ArrayList<>();
          ids.subList(i, i + 200).forEach(id -> part.add(jobs.status(id)));
          Poll.get(Future.all(part), 30_000);
          for (Future<JsonObject> f : part) {
            assertEquals("done", f.result().getString("status"), f.result().encode());
            assertEquals(1, f.result().getInteger("done"), f.result().encode());
          }
        }
      } finally {
        node.close();
        Poll.get(store.close(), 10_000);
        Poll.get(vertx.close(), 10_000);
      }
    }
  }
}
