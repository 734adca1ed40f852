package io.dgadmesh.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.bus.Bus;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's own round trips against a real redis-server: what the door writes is what the
 * lookup reads back (one owner of the stored-result format), re-queueing, and a job's task states.
 */
class RedisStoreTest {

  private RedisServer server;
  private Vertx vertx;
  private RedisStore store;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.start();
    vertx = Vertx.vertx();
    store = RedisStore.create(vertx, NodeSettings.of(new JsonObject().put("redis", new JsonObject().put("host", "127.0.0.1")
        .put("port", server.port()).put("set", "todo_store"))).redis(), RedisStore.Pool.DEFAULT);
  }

  @AfterEach
  void stop() throws Exception {
    Poll.get(store.close(), 10_000);
    Poll.get(vertx.close(), 10_000);
    server.close();
  }

  @Test
  void whatTheDoorWritesTheLookupReadsBack() {
    Poll.get(store.enqueue("todo_store", List.of("google.com", "qwxzkjhgfdsapoiuytre.com", "a..b")), 10_000);
    PoppedNames popped = Poll.get(store.pop("n1", 10), 10_000);
    assertEquals(3, popped.size());
    assertEquals(0L, Poll.get(store.queueDepth(), 10_000));
    assertEquals(new RedisStore.Backlog(0, 3), Poll.get(store.backlog(List.of("n1", "n2")), 10_000));
    List<Bus.Result> results = new ArrayList<>();
    for (int i = 0; i < popped.size(); i++) {
      String name = new String(popped.key(i), StandardCharsets.UTF_8);
      results.add(switch (name) {
        case "google.com" -> new Bus.Result(name, false, 0.25f, null, 0f, null);
        case "a..b" -> Bus.Result.invalid(name, "empty label");
        default -> new Bus.Result(name, true, 0.75f, "fam", 0.5f, null);
      });
    }
    assertEquals(3L, Poll.get(store.write("n1", popped, results, true), 10_000));
    assertEquals(0L, Poll.get(store.write("n1", popped, results, true), 10_000), "fenced: written once");

    JsonObject ok = Poll.get(store.storedResult(List.of("google.com")), 10_000);
    assertEquals("ok", ok.getString("label"));
    assertFalse(ok.getBoolean("is_dga"));
    assertEquals(0.25, ok.getDouble("score"), 1e-6);
    assertNull(ok.getString("family"));
    assertEquals("n1", ok.getString("node"));
    JsonObject dga = Poll.get(store.storedResult(List.of("missing.example", "qwxzkjhgfdsapoiuytre.com")), 10_000);
    assertEquals("qwxzkjhgfdsapoiuytre.com", dga.getString("domain"));
    assertTrue(dga.getBoolean("is_dga"));
    assertEquals("fam", dga.getString("family"));
    assertEquals(0.5, dga.getDouble("family_score"), 1e-6);
    assertNull(Poll.get(store.storedResult(List.of("todo_store", "missing.example")), 10_000),
        "a key of another type, or none, holds no result");
    assertEquals("empty label", Poll.get(store.invalidReason("a..b"), 10_000));
    assertNull(Poll.get(store.invalidReason("google.com"), 10_000));
  }

  @Test
  void requeueGivesBackTheNamesOfANodeWhoseHeartbeatExpired() {
    Poll.get(store.enqueue("todo_store", List.of("a.example", "b.example")), 10_000);
    Poll.get(store.heartbeat("gone", 60_000), 10_000);
    Poll.get(store.pop("gone", 10), 10_000);
    assertEquals(-1L, Poll.get(store.requeue("gone", false), 10_000), "alive: left alone");
    assertEquals(List.of("gone"), Poll.get(store.nodes(), 10_000));
    assertEquals(2L, Poll.get(store.requeue("gone", true), 10_000));
    assertEquals(2L, Poll.get(store.queueDepth(), 10_000));
    Poll.get(store.unregister("gone"), 10_000);
    assertEquals(List.of(), Poll.get(store.nodes(), 10_000));
  }

  @Test
  void aTaskIsWrittenOnlyByTheAssignmentThatHoldsIt() {
    JobStore jobs = store.jobs();
    String id = Poll.get(jobs.submit(List.of("a.example", "b.example", "c.example")), 10_000).getString("id");
    assertEquals(List.of(id), Poll.get(jobs.active(), 10_000));
    assertEquals(2L, Poll.get(jobs.split(id, 2), 10_000));
    assertEquals(-1L, Poll.get(jobs.split(id, 2), 10_000), "split once");
    Map<Integer, TaskState> tasks = Poll.get(jobs.tasks(id), 10_000);
    assertEquals(Map.of(0, TaskState.QUEUED, 1, TaskState.QUEUED), tasks);

    TaskState first = TaskState.runningOn("w1");
    assertTrue(Poll.get(jobs.moveTask(id, 1, TaskState.QUEUED, first), 10_000));
    assertEquals("w1", first.node());
    assertTrue(first.isRunning() && !first.isQueued());
    assertEquals(List.of("c.example"), Poll.get(jobs.taskNames(id, 1), 10_000));
    TaskState second = TaskState.runningOn("w2");
    assertTrue(Poll.get(jobs.moveTask(id, 1, first, second), 10_000), "re-assigned");
    assertFalse(Poll.get(jobs.complete(id, 1, first, 1, "{}\n"), 10_000), "the old assignment writes nothing");
    assertTrue(Poll.get(jobs.complete(id, 1, second, 1, "{}\n"), 10_000));
    assertEquals("{}\n", Poll.get(jobs.taskResults(id, 1), 10_000));
    assertNull(Poll.get(jobs.taskResults(id, 0), 10_000));
    JsonObject status = Poll.get(jobs.status(id), 10_000);
    assertEquals("running", status.getString("status"));
    assertEquals(1, status.getJsonObject("tasks").getInteger("done"));
    assertNull(Poll.get(jobs.status("nosuchjob"), 10_000));
  }
}
