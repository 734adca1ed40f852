package io.dgadmesh.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.NodeProcess;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Fault tests of the mesh: three real node JVMs on loopback (Hazelcast TCP-IP join), a real
 * redis-server, 100,000 names in the todo set, and one node killed (SIGKILL), paused (SIGSTOP)
 * and resumed. Every name must end with exactly one result write (the hash's 'writes' is 1).
 * Node logs: verticles/target/fault-logs/.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterFaultTest {

  static final int NAMES = 100_000;
  static final String TODO = "domains_todo";
  /** Where the leader names itself and keeps its latest dgad.stats, for tools outside the cluster. */
  static final String LEADER_KEY = "dgad:leader";
  static final String STATS_KEY = "dgad:stats";

  /** Counts names without a label and names whose result was not written exactly once. */
  static final String CHECK = """
      local missing, notOnce = 0, 0
      for _, n in ipairs(ARGV) do
        if redis.call('EXISTS', n) == 0 then missing = missing + 1 end
        if redis.call('HGET', 'dgad:result:' .. n, 'writes') ~= '1' then notOnce = notOnce + 1 end
      end
      return {missing, notOnce}
      """;

  private RedisServer server;
  private Vertx vertx;
  private Redis redis;
  private JobStore jobs;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private String cluster;
  private String test;
  private final Map<String, Integer> ports = new HashMap<>();
  private String members;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp(TestInfo info) throws Exception {
    server = RedisServer.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
    jobs = RedisStore.create(vertx, NodeSettings.of(new JsonObject().put("redis", new JsonObject().put("host", "127.0.0.1")
        .put("port", server.port()))).redis(), RedisStore.Pool.DEFAULT).jobs();
    cluster = "dgad-test-" + UUID.randomUUID().toString().substring(0, 8);
    test = info.getTestMethod().map(m -> m.getName()).orElse("test");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
    Poll.get(vertx.close(), 10_000);
    server.close();
  }

  private Response send(Command c, Object... args) {
    Request r = Request.cmd(c);
    for (Object a : args) {
      r.arg(String.valueOf(a));
    }
    return Poll.get(redis.send(r), 20_000);
  }

  /** Starts the nodes (first one first: it is the oldest member, the leader) and waits for all. */
  private void startCluster(String... idRoles) throws Exception {
    List<String> addr = new ArrayList<>();
    for (String s : idRoles) {
      int p = RedisServer.freePort();
      ports.put(s.split("=")[0], p);
      addr.add("127.0.0.1:" + p);
    }
    members = String.join(",", addr);
    String[] first = idRoles[0].split("=");
    nodes.add(NodeProcess.start(test, first[0], first[1], ports.get(first[0]), members, cluster, server.port(), env));
    Poll.await(90_000, "the first node to lead", () -> first[0].equals(str(send(Command.GET, LEADER_KEY)))
        || exited(first[0]));
    assertTrue(node(first[0]).alive(), "node " + first[0] + " exited:\n" + node(first[0]).log());
    for (int i = 1; i < idRoles.length; i++) {
      String[] s = idRoles[i].split("=");
      nodes.add(NodeProcess.start(test, s[0], s[1], ports.get(s[0]), members, cluster, server.port(), env));
    }
    Poll.await(120_000, "all " + idRoles.length + " nodes in the stats", () -> statsNodes().size() == idRoles.length
        || nodes.stream().anyMatch(n -> !n.alive()));
    for (NodeProcess n : nodes) {
      assertTrue(n.alive(), "node " + n.id() + " exited:\n" + n.log());
    }
  }

  private boolean exited(String id) {
    return !node(id).alive();
  }

  private NodeProcess node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
  }

  private static String str(Response r) {
    return r == null ? null : r.toString();
  }

  private JsonObject stats() {
    String s = str(send(Command.GET, STATS_KEY));
    return s == null ? null : new JsonObject(s);
  }

  private Map<String, JsonObject> statsNodes() {
    Map<String, JsonObject> out = new HashMap<>();
    JsonObject s = stats();
    if (s != null) {
      for (Object o : s.getJsonArray("nodes")) {
        JsonObject n = (JsonObject) o;
        out.put(n.getString("id"), n);
      }
    }
    return out;
  }

  static List<String> names(int n, String tag) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i % 2 == 0 ? tag + "-shop" + i + ".example.com" : tag.charAt(0) + Names.randomDga(14, i) );
    }
    return out;
  }

  private void fill(List<String> names) {
    List<Request> reqs = new ArrayList<>();
    for (int i = 0; i < names.size(); i += 1000) {
      Request r = Request.cmd(Command.SADD).arg(TODO);
      names.subList(i, Math.min(names.size(), i + 1000)).forEach(r::arg);
      reqs.add(r);
    }
    Poll.get(redis.batch(reqs), 60_000);
  }

  private long inFlight() {
    long n = 0;
    for (Response k : send(Command.KEYS, "dgad:inflight:*")) {
      n += send(Command.SCARD, k.toString()).toLong();
    }
    return n;
  }

  /** {missing, not written exactly once} over all names. */
  private long[] check(List<String> names) {
    long missing = 0;
    long notOnce = 0;
    for (int i = 0; i < names.size(); i += 1000) {
      Request r = Request.cmd(Command.EVAL).arg(CHECK).arg(0);
      names.subList(i, Math.min(names.size(), i + 1000)).forEach(r::arg);
      Response res = Poll.get(redis.send(r), 30_000);
      missing += res.get(0).toLong();
      notOnce += res.get(1).toLong();
    }
    return new long[] {missing, notOnce};
  }

  private void awaitEveryNameOnce(List<String> names, long timeoutMs) {
    Poll.await(timeoutMs, "every name classified and nothing in flight",
        () -> send(Command.SCARD, TODO).toLong() == 0 && inFlight() == 0 && check(names)[0] == 0);
    long[] c = check(names);
    assertEquals(0, c[0], "names lost");
    assertEquals(0, c[1], "names whose result was not written exactly once");
  }

  @Test
  void workerKilledMidRunLosesNothing() throws Exception {
    startCluster("a=worker,classifier", "b=worker,classifier", "c=worker,classifier");
    List<String> all = names(NAMES, "w");
    long t0 = System.nanoTime();
    fill(all);
    Poll.await(60_000, "names in flight on b", () -> send(Command.SCARD, "dgad:inflight:b").toLong() > 0);
    long left = send(Command.SCARD, TODO).toLong();
    node("b").kill9();
    assertTrue(left > 0, "b must die mid-run");
    awaitEveryNameOnce(all, 150_000);
    System.out.printf("workerKilled: %,d names in %.1f s; %,d were still queued when b was killed%n", NAMES,
        (System.nanoTime() - t0) / 1e9, left);
    Poll.await(30_000, "b out of the registry", () -> !statsNodes().containsKey("b"));
    assertEquals(0, send(Command.EXISTS, "dgad:inflight:b").toLong(), "b's in-flight set re-queued");
    assertEquals(Set.of("a", "c"), statsNodes().keySet());
  }

  @Test
  void leaderKilledDuringAJobFailsOverAndTheJobCompletes() throws Exception {
    env.put("DGAD_TASK_SIZE", "250");
    startCluster("a=worker,classifier", "b=worker,classifier", "c=worker,classifier");
    List<String> jobNames = names(50_000, "job");
    String job = Poll.get(jobs.submit(jobNames), 60_000).getString("id");
    List<String> all = names(NAMES, "l");
    fill(all);
    Poll.await(60_000, "job under way", () -> {
      JsonObject s = Poll.get(jobs.status(job), 10_000);
      return s.getJsonObject("tasks").getLong("done") > 0;
    });
    JsonObject before = Poll.get(jobs.status(job), 10_000);
    long killedAt = System.nanoTime();
    node("a").kill9();
    assertFalse(before.getString("status").equals("done"), "the job must still run when the leader dies");
    Poll.await(20_000, "a new leader", () -> {
      String l = str(send(Command.GET, LEADER_KEY));
      return "b".equals(l) || "c".equals(l);
    });
    long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.printf("leaderKilled: new leader %s after %d ms; job was %s with %d/%d tasks done%n",
        str(send(Command.GET, LEADER_KEY)), failoverMs, before.getString("status"),
        before.getJsonObject("tasks").getLong("done"), before.getJsonObject("tasks").getLong("total"));
    assertTrue(failoverMs <= 10_000, "leader failover took " + failoverMs + " ms");

    Poll.await(150_000, "job done", () -> "done".equals(Poll.get(jobs.status(job), 10_000)
        .getString("status")));
    JsonObject s = Poll.get(jobs.status(job), 10_000);
    assertEquals(50_000, s.getLong("done"));
    assertEquals(200, s.getJsonObject("tasks").getLong("total"));
    assertEquals(200, s.getJsonObject("tasks").getLong("done"));
    List<String> seen = new ArrayList<>();
    for (int t = 0; t < 200; t++) {
      String lines = Poll.get(jobs.taskResults(job, t), 10_000);
      for (String line : lines.split("\n")) {
        JsonObject r = new JsonObject(line);
        assertTrue(r.containsKey("is_dga"), line);
        seen.add(r.getString("domain"));
      }
    }
    assertEquals(jobNames, seen, "job results: every name once, in order");
    awaitEveryNameOnce(all, 150_000);
  }

  @Test
  void classifierKilledWithRequestsInFlightIsRetriedOnAnother() throws Exception {
    startCluster("a=worker", "b=classifier", "c=classifier");
    List<String> all = names(NAMES, "k");
    fill(all);
    Poll.await(60_000, "work under way", () -> send(Command.SCARD, TODO).toLong() < NAMES - 10_000);
    long left = send(Command.SCARD, TODO).toLong();
    node("c").kill9();
    assertTrue(left > 0, "c must die mid-run");
    awaitEveryNameOnce(all, 150_000);
    Poll.await(20_000, "a's retry counter in the stats", () -> statsNodes().containsKey("a"));
    long retries = statsNodes().get("a").getLong("classify_retries", 0L);
    System.out.printf("classifierKilled: %,d names queued at the kill, worker a retried %d requests%n", left, retries);
    assertTrue(retries >= 1, "requests in flight to the dead classifier are retried after the reply timeout");
    Poll.await(30_000, "c out of the registry", () -> !statsNodes().containsKey("c"));
  }

  @Test
  void pausedNodeIsDroppedAndRejoinsAfterResume() throws Exception {
    startCluster("a=worker,classifier", "b=worker,classifier", "c=worker,classifier");
    List<String> all = names(NAMES, "p");
    fill(all);
    Poll.await(60_000, "names in flight on b", () -> send(Command.SCARD, "dgad:inflight:b").toLong() > 0);
    long stoppedAt = System.nanoTime();
    node("b").pause();
    Poll.await(30_000, "b dropped from the cluster", () -> !statsNodes().containsKey("b"));
    System.out.printf("paused: b dropped %d ms after SIGSTOP%n", (System.nanoTime() - stoppedAt) / 1_000_000);
    node("b").resume();
    Poll.await(90_000, "b back in the cluster after a restart", () -> {
      JsonObject b = statsNodes().get("b");
      return b != null && b.getInteger("restarts", 0) >= 1;
    });
    assertTrue(node("b").alive());
    awaitEveryNameOnce(all, 150_000);
    assertEquals(Set.of("a", "b", "c"), statsNodes().keySet());
  }
}
