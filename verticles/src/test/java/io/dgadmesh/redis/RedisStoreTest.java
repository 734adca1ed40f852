package io.dgadmesh.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.metrics.Readiness;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    store = RedisStore.create(vertx, conf(), RedisStore.Pool.DEFAULT);
  }

  private io.dgadmesh.config.RedisConf conf() {
    return NodeSettings.of(new JsonObject().put("redis", new JsonObject().put("host", "127.0.0.1")
        .put("port", server.port()).put("set", "todo_store"))).redis();
  }

  /** The failure of f, as its caller receives it. */
  private static Throwable failure(Future<?> f) {
    try {
      Poll.get(f, 10_000);
    } catch (IllegalStateException e) {
      return e.getCause();
    }
    return fail("succeeded: " + f.result());
  }

  /** The key under which the pop script records a member too long to pop (prefix, "...", SHA-1). */
  static String tooLongKey(String prefix, byte[]... parts) throws Exception {
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    for (byte[] p : parts) {
      sha1.update(p);
    }
    return prefix + "..." + HexFormat.of().formatHex(sha1.digest());
  }

  static final int MB10 = 10 << 20;

  /** SADDs ten members of 10 MB of 'a's and a digit, made inside Redis: no JVM ever holds one. */
  static Future<Response> addTenHugeMembers(Redis redis, String set) {
    return redis.send(Request.cmd(Command.EVAL).arg("for i = 0, 9 do redis.call('SADD', KEYS[1], string.rep('a', "
        + MB10 + ") .. i) end return redis.call('SCARD', KEYS[1])").arg(1).arg(set));
  }

  @Test
  void aMemberLongerThanMaxNameBytesIsRefusedInsideRedisAndNeverPopped() throws Exception {
    Redis raw = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
    assertEquals(10, Poll.get(addTenHugeMembers(raw, "todo_store"), 60_000).toInteger());
    raw.close();
    List<String> valid = List.of("google.com", "example.org", "x".repeat(60) + ".example");
    Poll.get(store.enqueue("todo_store", valid), 10_000);
    PoppedNames popped = Poll.get(store.pop("n1", 100), 60_000);
    assertEquals(10, popped.tooLong());
    Set<String> got = new TreeSet<>();
    for (int i = 0; i < popped.size(); i++) {
      assertTrue(popped.key(i).length <= 1024, "a member over redis.maxNameBytes reached the JVM");
      got.add(new String(popped.key(i), StandardCharsets.UTF_8));
    }
    assertEquals(new TreeSet<>(valid), got, "the names that fit are popped as usual");
    assertEquals(":0", server.command("SCARD todo_store"), "refused members leave the todo set");
    assertEquals(":3", server.command("SCARD dgad:inflight:n1"), "only names that fit are in flight");
    assertEquals(":10", server.command("SCARD dgad:invalid"), "one record per member, each its own");
    byte[] mb = new byte[1 << 20];
    Arrays.fill(mb, (byte) 'a');
    byte[][] parts = new byte[11][];
    Arrays.fill(parts, 0, 10, mb);
    parts[10] = "7".getBytes(StandardCharsets.US_ASCII);
    String key = tooLongKey("a".repeat(RedisStore.SHOWN_BYTES), parts);
    assertEquals("longer than 1024 bytes (a host name has at most 253 characters): " + (MB10 + 1) + " bytes",
        Poll.get(store.invalidReason(key), 10_000));
    assertEquals(":1", server.command("SISMEMBER dgad:invalid " + key));
  }

  /** The reason of an over-long member is found under the name the pop script recorded it by. */
  @Test
  void theReasonOfAnOverLongMemberIsFoundByTheMember() {
    String big = "é".repeat(700) + ".com"; // 1,404 bytes: over 1,024, and cut inside no character of its own
    Poll.get(store.enqueue("todo_store", List.of(big, "ok.example")), 10_000);
    PoppedNames popped = Poll.get(store.pop("n1", 10), 10_000);
    assertEquals(1, popped.tooLong());
    String reason = Poll.get(store.invalidReason(big), 10_000);
    assertTrue(reason != null && reason.contains("1404 bytes"), String.valueOf(reason));
    assertEquals(null, Poll.get(store.invalidReason("x" + big), 10_000), "another long name has no reason");
  }

  @Test
  void callersGetRedisFailuresWithoutRedisText() throws Exception {
    JobStore jobs = store.jobs();
    String id = Poll.get(jobs.submit(List.of("a.example")), 10_000).getString("id");
    // A key of another type (the job's names are a list): Redis answers WRONGTYPE.
    Throwable refused = failure(jobs.status(id + ":names"));
    assertTrue(refused instanceof RedisUnavailable, String.valueOf(refused));
    assertEquals("Redis refused the request", refused.getMessage());
    assertEquals(RedisUnavailable.Kind.REFUSED, ((RedisUnavailable) refused).kind());
    server.stop(false);
    // A connection the server closed can first fail a call with the client's own error text; once
    // the pool has noticed, every call is "did not answer". Neither carries Redis's text.
    Poll.await(10_000, "calls fail as 'Redis did not answer' once the server is gone", () -> {
      Throwable down = failure(jobs.status(id));
      assertTrue(down instanceof RedisUnavailable, String.valueOf(down));
      assertFalse(down.getMessage().contains("CONNECTION") || down.getMessage().contains("ERR"), down.getMessage());
      return ((RedisUnavailable) down).kind() == RedisUnavailable.Kind.NO_ANSWER
          && down.getMessage().equals("Redis did not answer");
    });
    assertFalse(Readiness.of(vertx).problems().toString().contains("WRONGTYPE"));
  }

  @Test
  void anExhaustedPoolIsReportedToReadinessAndRefusedCallsGetAPlainError() {
    RedisStore tiny = RedisStore.create(vertx, conf(), new RedisStore.Pool("tiny", 1, 2));
    try {
      List<Future<Long>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(tiny.queueDepth());
      }
      Poll.get(Future.join(calls).otherwiseEmpty(), 10_000);
      List<Throwable> refused = calls.stream().filter(Future::failed).map(Future::cause).toList();
      assertFalse(refused.isEmpty(), "50 calls at once on 1 connection with 2 waiting");
      for (Throwable t : refused) {
        assertEquals(RedisUnavailable.Kind.BUSY, ((RedisUnavailable) t).kind());
        assertEquals("too many Redis requests are waiting on this node", t.getMessage());
      }
      Map<String, String> problems = Readiness.of(vertx).problems();
      assertTrue(problems.entrySet().stream().anyMatch(e -> e.getKey().startsWith("redis-pool:tiny:")
          && e.getValue().contains("is exhausted")), problems.toString());
    } finally {
      Poll.get(tiny.close(), 10_000);
    }
    assertFalse(Readiness.of(vertx).problems().keySet().stream().anyMatch(k -> k.startsWith("redis-pool:tiny:")),
        "a closed store's check is gone");
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
        case "google.com" -> Bus.Result.judged(name, false, 0.25f, null, 0f, "1.0.0@0123456789ab", "balanced");
        case "a..b" -> Bus.Result.invalid(name, "empty label");
        default -> Bus.Result.judged(name, true, 0.75f, "fam", 0.5f, "1.0.0@0123456789ab", "balanced");
      });
    }
    Instant written = Instant.now();
    assertEquals(3L, Poll.get(store.write("n1", popped, results, true, written), 10_000));
    assertEquals(0L, Poll.get(store.write("n1", popped, results, true, written.plusMillis(1)), 10_000),
        "fenced: written once");
    assertEquals(2L, Poll.get(store.write("n1", popped, results, true, written), 10_000),
        "a retry of the same write (its reply lost) counts the labelled names that write wrote");
    Redis raw = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
    assertEquals("1", Poll.get(raw.send(Request.cmd(Command.HGET).arg("dgad:result:google.com").arg("writes")),
        10_000).toString(), "and writes nothing again");
    raw.close();

    JsonObject ok = Poll.get(store.storedResult(List.of("google.com")), 10_000);
    assertEquals("ok", ok.getString("label"));
    assertFalse(ok.getBoolean("is_dga"));
    assertEquals(0.25, ok.getDouble("score"), 1e-6);
    assertNull(ok.getString("family"));
    assertEquals("n1", ok.getString("node"));
    assertEquals("1.0.0@0123456789ab", ok.getString("model"), "the model version, from the hash field 'model'");
    assertEquals("balanced", ok.getString("point"), "the operating point, from the hash field 'point'");
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
