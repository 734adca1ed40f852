package io.dgadmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.NodeProcess;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, defect 1: {@code kill -TERM} of a node with names flowing crashed the JVM in ONNX
 * Runtime (the model was closed under a running call). Twenty node JVMs as bin/dgad up runs them
 * (classifier and Redis door, one classifier instance, a real redis-server), each SIGTERMed while
 * it has names in flight and has written some: each must exit with 143 and no crash report (no
 * hs_err_pid*.log in its working directory, no fatal error in its output), with nothing left in its
 * in-flight set. A last node then answers whatever the twenty left, and every name must have
 * exactly one result write. As in ClusterFaultTest, several nodes run at once (each on its own todo
 * set, so "mid-run" is per node): JVM start-up, not the stop, is what takes the time.
 * Node logs: verticles/target/fault-logs/.
 */
@Timeout(value = 300)
class SigtermTest {

  static final int RUNS = Integer.getInteger("sigterm.runs", 20);
  static final int AT_ONCE = 3;
  static final int NAMES_PER_FEED = 3_000;
  static final String DRAIN_SET = "domains_todo";

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
  private Path workDir;
  private final List<String> all = new ArrayList<>();
  private final List<Run> alive = new ArrayList<>();

  /** One node's life: started on its own todo set, fed, SIGTERMed mid-run, checked once it exited. */
  private final class Run {
    final int index;
    final String id;
    final String todo;
    final NodeProcess node;
    final long started = System.nanoTime();
    long given;
    long terminated;

    Run(int index) throws IOException {
      this.index = index;
      this.id = "term" + index;
      this.todo = "todo_" + index;
      feed(this);
      node = NodeProcess.up("SigtermTest", id, workDir, server.port(),
          Map.of("DGAD_ROLES", "classifier,worker", "REDIS_SET", todo), List.of("-XX:TieredStopAtLevel=1"));
    }

    String inflight() {
      return "dgad:inflight:" + id;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    server = RedisServer.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
    workDir = Files.createDirectories(Path.of("target", "fault-logs", "sigterm-workdir").toAbsolutePath());
    try (Stream<Path> old = Files.list(workDir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Run r : alive) {
      r.node.close();
    }
    Poll.get(vertx.close(), 10_000);
    server.close();
  }

  @Test
  void sigtermMidRunTwentyTimesCrashesNothingAndLosesNothing() throws Exception {
    long t0 = System.nanoTime();
    int next = 0;
    int stopped = 0;
    while (stopped < RUNS) {
      while (alive.size() < AT_ONCE && next < RUNS) {
        alive.add(new Run(next++));
      }
      for (Run r : new ArrayList<>(alive)) {
        if (r.terminated == 0) {
          assertTrue(r.node.alive(), "node " + r.id + " exited before SIGTERM:\n" + r.node.log());
          assertTrue(System.nanoTime() - r.started < TimeUnit.SECONDS.toNanos(120), "node " + r.id + " never classified:\n"
              + r.node.log());
          long queued = scard(r.todo);
          long inFlight = scard(r.inflight());
          if (inFlight > 0 && queued + inFlight < r.given) { // mid-run: names held, and some already written
            r.node.terminate();
            r.terminated = System.nanoTime();
          } else if (queued + inFlight == 0) {
            feed(r); // it answered everything before we looked: keep names flowing
          }
        } else if (!r.node.alive()) {
          assertNoCrash(r.node, r.node.exitCode(1_000));
          assertEquals(0, scard(r.inflight()), "node " + r.id + " left names in flight:\n" + r.node.log());
          // What it did not answer goes to the set the last node drains.
          send(Command.SUNIONSTORE, DRAIN_SET, DRAIN_SET, r.todo);
          send(Command.DEL, r.todo);
          alive.remove(r);
          stopped++;
        } else {
          assertTrue(System.nanoTime() - r.terminated < TimeUnit.SECONDS.toNanos(30), "node " + r.id
              + " still runs 30 s after SIGTERM:\n" + r.node.log());
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll interval, not a sync
    }
    double termSeconds = (System.nanoTime() - t0) / 1e9;
    long left = scard(DRAIN_SET);

    NodeProcess last = NodeProcess.up("SigtermTest", "drain", workDir, server.port(),
        Map.of("DGAD_ROLES", "classifier,worker", "REDIS_SET", DRAIN_SET), List.of());
    try {
      Poll.await(120_000, "every name answered", () -> !last.alive()
          || (scard(DRAIN_SET) == 0 && scard("dgad:inflight:drain") == 0 && check(all)[0] == 0));
      assertTrue(last.alive(), last.log());
      last.terminate();
      assertNoCrash(last, last.exitCode(30_000));
    } finally {
      last.close();
    }
    long[] c = check(all);
    System.out.printf(Locale.ROOT, "sigterm: %d nodes stopped mid-run in %.1f s (%d at once); %,d names, %,d left"
        + " for the last node; %d lost, %d not written once%n", RUNS, termSeconds, AT_ONCE, all.size(), left, c[0], c[1]);
    assertEquals(0, c[0], "names lost");
    assertEquals(0, c[1], "names whose result was not written exactly once");
  }

  /** Adds new names to a node's todo set. */
  private void feed(Run r) {
    List<String> names = names(NAMES_PER_FEED, "t" + r.index + "x" + r.given);
    all.addAll(names);
    Request add = Request.cmd(Command.SADD).arg(r.todo);
    names.forEach(add::arg);
    Poll.get(redis.send(add), 20_000);
    r.given += names.size();
  }

  /** Exit 143 (SIGTERM, shutdown hook done), no fatal error in the output, no hs_err file. */
  private void assertNoCrash(NodeProcess node, int code) throws IOException {
    String log = node.log();
    String lower = log.toLowerCase(Locale.ROOT);
    assertFalse(lower.contains("fatal error") || log.contains("SIGSEGV") || log.contains("hs_err_pid"),
        "node " + node.id() + " crashed:\n" + log);
    try (Stream<Path> files = Files.list(workDir)) {
      List<Path> reports = files.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList();
      assertTrue(reports.isEmpty(), "crash reports: " + reports + "\n" + log);
    }
    assertEquals(143, code, "node " + node.id() + " exit code:\n" + log);
  }

  private Response send(Command c, Object... args) {
    Request r = Request.cmd(c);
    for (Object a : args) {
      r.arg(String.valueOf(a));
    }
    return Poll.get(redis.send(r), 20_000);
  }

  private long scard(String key) {
    return send(Command.SCARD, key).toLong();
  }

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

  static List<String> names(int n, String tag) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i % 2 == 0 ? tag + "-shop" + i + ".example.com" : tag + Names.randomDga(14, i + 31L * tag.hashCode()));
    }
    return out;
  }
}
