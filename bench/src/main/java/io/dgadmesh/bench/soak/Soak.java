package io.dgadmesh.bench.soak;

import io.dgadmesh.bench.PrivateNodePorts;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.node.PrivateRedis;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * {@code bin/dgad bench --soak MINUTES}: a node with every role in a JVM of its own (as
 * {@code bin/dgad up} runs it, on a private redis-server and free ports) under a steady load on
 * every door at once plus a hostile client, restarted with SIGTERM every so often under the same
 * node id. A row per report interval; at the end the load stops, the node answers what is left,
 * and Redis is checked: every name added must have its label, written once.
 */
public final class Soak {
  static final String NODE_ID = "soak";
  static final long READY_TIMEOUT_MS = 180_000;
  /**
   * Vert.x logs each connection a restart resets at SEVERE, in this process: the clients' side of
   * a restart, counted by the meters already. (Held here: a logger only weakly held forgets its level.)
   */
  private static final Logger QUIET = Logger.getLogger("io.vertx.core.net.impl.ConnectionBase");

  private final SoakPlan plan;
  private final PrintStream progress;
  private final Path dir;
  private final Path nodeConf;
  private final int webPort;
  private final RestartWindows windows = new RestartWindows();
  private final NodeHeap heap;
  private final List<SoakReport.Life> lives = new ArrayList<>();
  private final Object nodeLock = new Object();
  private SoakNode node;
  private long readyAt;
  private long endedLivesCpu;
  private volatile boolean stopping;
  private volatile String aborted;
  private final MachineCpu machine = new MachineCpu();
  /** Where the current row began: its time, the node's CPU so far, the restarts so far. */
  private long rowStart;
  private long rowCpu;
  private long rowClientCpu;
  private long rowRedisCpu;
  private PrivateRedis redisServer;
  private int stopsSent;
  private int stopsSeen;

  private Soak(SoakPlan plan, PrintStream progress, Path dir, Path nodeConf, int webPort) throws Exception {
    this.plan = plan;
    this.progress = progress;
    this.dir = dir;
    this.nodeConf = nodeConf;
    this.webPort = webPort;
    this.heap = new NodeHeap(dir);
  }

  /** Runs the soak; progress (a row per interval) goes to {@code progress}. */
  public static SoakReport run(JsonObject conf, SoakPlan plan, PrintStream progress) throws Exception {
    QUIET.setLevel(Level.OFF);
    Path dir = Files.createTempDirectory("dgad-soak-");
    progress.println("soak: node logs and crash reports (if any) in " + dir);
    PrivateRedis redisServer = PrivateRedis.start(true); // also stopped on exit (Ctrl-C)
    try {
      JsonObject c = conf.copy();
      PrivateNodePorts ports = PrivateNodePorts.apply(c, redisServer.port(), "domains_todo");
      int grpc = ports.grpc();
      int grpc3 = ports.grpc3();
      int web = ports.web();
      c.getJsonObject("node").put("id", NODE_ID);
      NodeSettings settings = NodeConfig.settings(c); // refuses a bad combination before any JVM starts
      Path confFile = dir.resolve("node.json");
      Files.writeString(confFile, c.encodePrettily());
      Soak soak = new Soak(plan, progress, dir, confFile, web);
      return soak.run(settings, redisServer, SocketAddress.inetSocketAddress(grpc, "127.0.0.1"),
          SocketAddress.inetSocketAddress(grpc3, "127.0.0.1"));
    } finally {
      redisServer.close();
    }
  }

  private SoakReport run(NodeSettings settings, PrivateRedis redisServer, SocketAddress port4, SocketAddress port3)
      throws Exception {
    String started = Instant.now().toString();
    this.redisServer = redisServer;
    Vertx clients = Vertx.vertx();
    Redis redis = Redis.createClient(clients, new RedisOptions()
        .setConnectionString("redis://127.0.0.1:" + redisServer.port()).setMaxPoolSize(8).setMaxPoolWaiting(4096));
    RedisStore store = RedisStore.create(clients, settings.redis(), RedisStore.Pool.DEFAULT);
    Map<Door, DoorMeter> meters = new EnumMap<>(Door.class);
    for (Door d : Door.values()) {
      meters.put(d, new DoorMeter(d, windows));
    }
    GrpcCalls grpc = new GrpcCalls(clients, port4, port3);
    StreamCalls stream = new StreamCalls(clients, port4);
    // A connection pool each: slow classify calls must not keep a job's submit waiting for a connection.
    HttpCalls http = new HttpCalls(clients, webPort);
    HttpCalls jobs = new HttpCalls(clients, webPort);
    HttpCalls hostileHttp = new HttpCalls(clients, webPort);
    RedisFeed feed = new RedisFeed(clients, redis, store.todoSet(), meters.get(Door.REDIS));
    HostileClient hostile = new HostileClient(grpc, hostileHttp, redis, store, plan.seed());
    Map<Door, Pacer.Call> calls = Map.of(Door.REDIS, feed.load(), Door.GRPC4, grpc.dgad4Load(),
        Door.GRPC3, grpc.dgad3Load(), Door.BATCH, grpc.batchLoad(), Door.STREAM, stream.load(),
        Door.CLASSIFY, http.classifyLoad(), Door.JOBS, jobs.jobsLoad(), Door.HOSTILE, hostile.load());
    List<Pacer> pacers = new ArrayList<>();
    Thread onExit = new Thread(this::killNode, "soak-node-kill");
    Runtime.getRuntime().addShutdownHook(onExit); // Ctrl-C must not leave a node behind
    try {
      startNode(1);
      progress.println("soak: " + rates());
      progress.println(SoakReport.tableHead());
      feed.start();
      for (Door d : Door.values()) {
        Pacer p = new Pacer(clients, meters.get(d), plan.callsPerSecond(d), plan.ramp().toMillis() / 1000.0, calls.get(d));
        pacers.add(p);
        p.start();
      }
      Thread restarter = new Thread(this::restartLoop, "soak-restarts");
      restarter.setDaemon(true);
      restarter.start();
      List<SoakReport.Row> rows = new ArrayList<>(intervals(meters, hostile));
      stopping = true;
      pacers.forEach(Pacer::stop);
      restarter.join(SoakNode.STOP_WAIT_MS + READY_TIMEOUT_MS + 60_000);
      long[] left = drain(pacers, redis, store.todoSet());
      rows.add(row(rows.size() + 1, meters, true));
      progress.println(SoakReport.row(rows.get(rows.size() - 1)));
      SoakNode last;
      synchronized (nodeLock) {
        last = node;
      }
      OptionalLong heapAtEnd = last == null ? OptionalLong.empty() : heap.afterFullGc(last.pid());
      hostile.judgeRedis();
      if (last != null) {
        endLife(last, heapAtEnd);
      }
      SoakReport.End end = new SoakReport.End(left[0], left[1], RedisLedger.check(redis, feed.added()),
          List.copyOf(jobs.jobsNotDone()), hostile.tallies(), severeLines(), aborted);
      Map<Door, DoorMeter.Interval> totals = new EnumMap<>(Door.class);
      Map<Door, List<String>> examples = new EnumMap<>(Door.class);
      meters.forEach((d, m) -> {
        totals.put(d, m.total());
        if (!m.examples().isEmpty()) {
          examples.put(d, m.examples());
        }
      });
      return new SoakReport(header(started, settings), rows, lives, totals, examples, end);
    } finally {
      pacers.forEach(Pacer::stop);
      feed.stop();
      killNode(); // only when the soak failed before its end
      Runtime.getRuntime().removeShutdownHook(onExit);
      for (HttpCalls h : List.of(http, jobs, hostileHttp)) {
        RedisLedger.await(h.close());
      }
      RedisLedger.await(clients.close());
      QUIET.setLevel(null);
    }
  }

  private void killNode() {
    synchronized (nodeLock) {
      if (node != null && node.alive()) {
        node.kill();
      }
    }
  }

  /** The SEVERE records of every life's log: the first lines of each. */
  private List<String> severeLines() throws java.io.IOException {
    List<String> severe = new ArrayList<>();
    for (int life = 1; life <= lives.size(); life++) {
      String of = "life " + life + ": ";
      try (var lines = Files.lines(dir.resolve("node-" + life + ".log"))) {
        lines.filter(l -> l.contains("SEVERE")).limit(10).forEach(l -> severe.add(of + l));
      }
    }
    return severe;
  }

  private String rates() {
    return "rates (names/s): " + plan.rates().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey().key + " " + e.getValue()).collect(Collectors.joining(", "))
        + " (hostile: calls/s), reached after a " + human(plan.ramp()) + " ramp";
  }

  /** Rows until the soak's length has passed (or a restart failed). */
  private List<SoakReport.Row> intervals(Map<Door, DoorMeter> meters, HostileClient hostile) throws Exception {
    List<SoakReport.Row> rows = new ArrayList<>();
    long t0 = System.nanoTime();
    rowStart = t0;
    machine.next();
    rowClientCpu = clientCpuNanos();
    rowRedisCpu = redisServer.cpuNanos();
    synchronized (nodeLock) {
      rowCpu = endedLivesCpu + Math.max(0, node.cpuNanos()); // the node's start-up is not the load's
    }
    long end = t0 + plan.length().toNanos();
    for (int k = 1; aborted == null; k++) {
      long at = Math.min(end, t0 + k * plan.interval().toNanos());
      while (System.nanoTime() < at && aborted == null) {
        LockSupport.parkNanos(Math.min(at - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200)));
      }
      SoakReport.Row r = row(k, meters, false);
      rows.add(r);
      progress.println(SoakReport.row(r));
      if (at >= end) {
        break;
      }
      long t = System.nanoTime();
      DoorMeter m = meters.get(Door.HOSTILE);
      hostile.huge().onComplete(ar -> {
        if (ar.succeeded()) {
          m.answered(ar.result(), t);
        } else {
          m.failed(t, "10 MB input: " + Pacer.why(ar.cause()));
        }
      });
    }
    return rows;
  }

  /** The interval since the last row: the meters, the node's heap after a full collection, CPU. */
  private SoakReport.Row row(int index, Map<Door, DoorMeter> meters, boolean draining) {
    Map<Door, DoorMeter.Interval> doors = new EnumMap<>(Door.class);
    meters.forEach((d, m) -> doors.put(d, m.take()));
    long now = System.nanoTime();
    SoakNode current;
    long cpu;
    int restarts;
    synchronized (nodeLock) {
      current = node;
      cpu = endedLivesCpu + (current == null ? 0 : Math.max(0, current.cpuNanos()));
      restarts = stopsSent;
    }
    OptionalLong h = current == null || draining ? OptionalLong.empty() : heap.afterFullGc(current.pid());
    double cores = (double) (now - rowStart) * Runtime.getRuntime().availableProcessors();
    long clientCpu = clientCpuNanos();
    long redisCpu = redisServer.cpuNanos();
    double nodeCpu = (cpu - rowCpu) / cores;
    boolean restarted = restarts > stopsSeen;
    stopsSeen = restarts;
    rowCpu = cpu;
    double at = index * (double) plan.interval().toSeconds();
    at = Math.min(at, plan.length().toSeconds());
    SoakReport.Row r = new SoakReport.Row(index, draining, draining ? plan.length().toSeconds() : at, h, nodeCpu,
        (clientCpu - rowClientCpu) / cores, redisCpu < 0 ? Double.NaN : (redisCpu - rowRedisCpu) / cores, machine.next(),
        restarted, !draining && !windows.overlaps(rowStart, now), doors);
    rowStart = now;
    rowClientCpu = clientCpu;
    rowRedisCpu = redisCpu;
    return r;
  }

  /** CPU time of this process: the soak's clients (and, during a jcmd, nothing of the node's). */
  private static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Restarts the node whenever it has served {@code restartEvery} since it was ready. */
  private void restartLoop() {
    if (plan.restartEvery().isZero()) {
      return;
    }
    int life = 1;
    while (!stopping) {
      long due;
      synchronized (nodeLock) {
        due = readyAt + plan.restartEvery().toNanos();
      }
      while (System.nanoTime() < due && !stopping) {
        LockSupport.parkNanos(Math.min(due - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
      }
      if (stopping) {
        return;
      }
      try {
        SoakNode old;
        synchronized (nodeLock) {
          old = node;
        }
        endLife(old, heap.afterFullGc(old.pid()));
        startNode(++life);
      } catch (Exception e) {
        aborted = "restart " + life + " failed: " + e.getMessage();
        progress.println("soak: " + aborted);
        return;
      }
    }
  }

  /** SIGTERM to the node, and its life's record; the node counts as restarting until the next is ready. */
  private void endLife(SoakNode old, OptionalLong heapAtEnd) throws Exception {
    double served;
    synchronized (nodeLock) {
      long cpu = old.cpuNanos();
      endedLivesCpu += Math.max(0, cpu);
      node = null;
      stopsSent++;
      served = (System.nanoTime() - readyAt) / 1e9;
    }
    windows.open(System.nanoTime());
    SoakNode.Stop stop = old.terminate();
    synchronized (nodeLock) {
      SoakReport.Life ready = lives.get(lives.size() - 1);
      lives.set(lives.size() - 1, new SoakReport.Life(ready.life(), ready.readySeconds(), served, heapAtEnd, stop));
    }
    progress.printf("soak: life %d stopped in %.1f s (exit %d%s)%n", old.life(), stop.stopMs() / 1e3, stop.exitCode(),
        stop.clean() ? "" : ": " + String.join("; ", stop.problems()));
  }

  private void startNode(int life) throws Exception {
    long t0 = System.nanoTime();
    SoakNode n = SoakNode.start(dir, nodeConf, life, webPort);
    try {
      n.awaitReady(READY_TIMEOUT_MS);
    } catch (Exception e) {
      n.kill();
      throw e;
    }
    long now = System.nanoTime();
    windows.close(now);
    synchronized (nodeLock) {
      node = n;
      readyAt = now;
      lives.add(new SoakReport.Life(life, (now - t0) / 1e9, 0, OptionalLong.empty(),
          new SoakNode.Stop(0, 0, List.of("still running"))));
    }
    progress.printf("soak: life %d ready after %.1f s (pid %d)%n", life, (now - t0) / 1e9, n.pid());
  }

  /**
   * After the load: waits until every call has its answer and the todo set and the node's in-flight
   * set are empty, for at most the plan's drain time. Returns {names still queued, still in flight}.
   */
  private long[] drain(List<Pacer> pacers, Redis redis, String todo) throws Exception {
    long deadline = System.nanoTime() + plan.drain().toNanos();
    while (true) {
      long queued = RedisLedger.scard(redis, todo);
      long inFlight = RedisLedger.scard(redis, "dgad:inflight:" + NODE_ID);
      boolean callsDone = pacers.stream().allMatch(p -> p.inFlight() == 0);
      if ((queued == 0 && inFlight == 0 && callsDone) || System.nanoTime() > deadline || aborted != null) {
        return new long[] {queued, inFlight};
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // another process's work, read through Redis
    }
  }

  private String header(String started, NodeSettings settings) {
    return String.format("`bin/dgad bench --soak` started %s: %s long, a node restart (SIGTERM, then a new JVM under the"
            + " same node id) every %s of uptime, a row every %s; %d cores (%s), load average %.2f at the end; node:"
            + " `dgad up` in its own JVM, -Xmx512m, %d classifiers, every role; %s. Heap after GC: `jcmd <pid> GC.run`"
            + " then `GC.heap_info` at each row (a forced full collection). Node CPU: of all %d cores.",
        started, human(plan.length()), plan.restartEvery().isZero() ? "never" : human(plan.restartEvery()),
        human(plan.interval()), Runtime.getRuntime().availableProcessors(), cpuModel(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), settings.node().classifiers(), rates(),
        Runtime.getRuntime().availableProcessors());
  }

  private static String human(java.time.Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  private static String cpuModel() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(System.getProperty("os.arch"));
    } catch (java.io.IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }
}
