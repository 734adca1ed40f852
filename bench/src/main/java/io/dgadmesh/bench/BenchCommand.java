package io.dgadmesh.bench;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.config.RedisConf;
import io.dgadmesh.bench.fuzz.DoorTally;
import io.dgadmesh.bench.fuzz.Fuzz;
import io.dgadmesh.bench.soak.Soak;
import io.dgadmesh.bench.soak.SoakPlan;
import io.dgadmesh.bench.soak.SoakReport;
import io.dgadmesh.bus.Bus;
import io.dgadmesh.classifier.ModelSource;
import io.dgadmesh.config.ClassifierConf;
import io.dgadmesh.cli.ConfiguredCommand;
import io.dgadmesh.cli.HostPort;
import io.dgadmesh.cli.Version;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.ModelBenchmark;
import io.dgadmesh.node.Node;
import io.dgadmesh.node.PrivateRedis;
import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.redis.RedisWorkerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code dgad bench}: the figures of issue 3 on this machine. Uses its own private redis-server
 * and free ports, so it never touches a Redis or node already running here. With
 * {@code --remote HOST:PORT} it only loads a running node's gRPC port (from this or another host).
 */
@CommandLine.Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Measures this machine: the model, the Redis door, the gRPC doors; prints a table and writes it to --out.",
        "Uses its own private redis-server and free ports; with --remote, only the gRPC figures of a running node."})
public final class BenchCommand extends ConfiguredCommand {

  /** The single-name load: 64 concurrent callers, spread over 4 connections. */
  static final int SINGLE_CALLERS = 64;
  static final int SINGLE_CONNECTIONS = 4;
  static final int BATCH_NAMES = 1000;
  static final int BATCH_CALLERS = 4;

  @Option(names = "--names", paramLabel = "N", description = "names through the Redis door (default: ${DEFAULT-VALUE})")
  private int total = 1_000_000;

  @Option(names = "--parts", paramLabel = "PART", split = ",",
      description = "what to measure, of model, redis, ceiling, grpc (default: all)")
  private List<String> parts = List.of("model", "redis", "ceiling", "grpc");

  @Option(names = "--seconds", paramLabel = "S", description = "measured seconds per gRPC figure (default: ${DEFAULT-VALUE})")
  private double seconds = 10;

  /**
   * The JIT keeps compiling the HTTP/2 and gRPC paths for tens of seconds on 2 busy cores: the
   * figures are of the warmed-up service, as a long-running node serves.
   */
  @Option(names = "--warmup", paramLabel = "S",
      description = "warm-up seconds before each gRPC figure, at least (default: ${DEFAULT-VALUE})")
  private double warmup = 10;

  @Option(names = "--remote", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
      description = "only load the gRPC port of a node already running, from this process")
  private HostPort remote;

  @Option(names = "--fuzz", paramLabel = "N",
      description = "instead of measuring: N hostile inputs through every door; fails if any door fails one")
  private Integer fuzz;

  @Option(names = "--hosts", paramLabel = "DATA_DIR",
      description = "instead of measuring: per-host detection on traffic generated from the shared data"
          + " (dga.tsv.gz, benign.tsv.gz); HostTrafficBench's options follow: --split train|test, --benign-hosts N,"
          + " --per-family K, --seed S, --threshold T, --threads N")
  private Path hostsData;

  @Option(names = "--fuzz-doors", paramLabel = "DOOR", split = ",",
      description = "with --fuzz: only these doors (dgad4, dgad3, batch, stream, classify, redis, results, jobs, cli)")
  private List<String> fuzzDoors = new ArrayList<>();

  @Option(names = "--soak", paramLabel = "MINUTES",
      description = "instead of measuring: a node in its own JVM under steady load on every door plus a hostile client, "
          + "restarted every --restart-every minutes; a row every --report-every seconds, then names lost and answered "
          + "twice; exit 1 unless the verdict is PASS. Prints the report (writes no file)")
  private Double soak;

  @Option(names = "--restart-every", paramLabel = "MINUTES",
      description = "with --soak: restart (SIGTERM) the node after this much uptime; 0: never (default: ${DEFAULT-VALUE})")
  private double restartEvery = 5;

  @Option(names = "--report-every", paramLabel = "SECONDS",
      description = "with --soak: one report row per this many seconds (default: ${DEFAULT-VALUE})")
  private double reportEvery = 60;

  @Option(names = "--ramp", paramLabel = "SECONDS",
      description = "with --soak: the callers' rates rise from zero over this long at the start (default: 30, "
          + "or a tenth of a shorter soak)")
  private Double ramp;

  @Option(names = "--rate", paramLabel = "DOOR=N",
      description = "with --soak: names per second through a door (the hostile client: calls per second); doors: "
          + "redis, grpc4, grpc3, batch, stream, classify, jobs, hostile; 0 turns one off; the soak prints the rates it runs")
  private java.util.Map<String, Integer> rates = new java.util.HashMap<>();

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "${env:DGAD_ROOT:-.}/bench/RESULTS.md",
      description = "the table's file (default: ${DEFAULT-VALUE})")
  private Path out;

  private final List<String[]> rows = new ArrayList<>();
  private JsonObject conf;

  /** Name i of a deterministic mix: half word-like, half random letters (DGA-like). */
  static String name(int i) {
    if (i % 2 == 0) {
      return "shop" + i + ".example" + (i % 7) + ".com";
    }
    Random r = new Random(i);
    char[] c = new char[8 + r.nextInt(12)];
    for (int k = 0; k < c.length; k++) {
      c[k] = (char) ('a' + r.nextInt(26));
    }
    return new String(c) + ".net";
  }

  @Override
  protected int run(JsonObject conf) throws Exception {
    this.conf = conf;
    if (fuzz != null) {
      // Three 10 MB inputs: each is held whole while it is sent, in this JVM beside the node.
      List<DoorTally> tallies = Fuzz.run(conf, fuzz, 3, 20261201L, fuzzDoors);
      Fuzz.print(tallies, System.out);
      return tallies.stream().allMatch(t -> t.failed() == 0) ? 0 : 1;
    }
    if (soak != null) {
      SoakPlan plan = SoakPlan.of(minutes(soak)).withRestartEvery(minutes(restartEvery))
          .withInterval(Duration.ofMillis(Math.round(reportEvery * 1000))).withRates(rates);
      if (ramp != null) {
        plan = plan.withRamp(Duration.ofMillis(Math.round(ramp * 1000)));
      }
      SoakReport report = Soak.run(conf, plan, System.err);
      report.print(System.out);
      return report.passed() ? 0 : 1;
    }
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      sample.add(name(i));
    }
    CpuMeter whole = CpuMeter.start();
    String setup;
    if (remote != null) {
      remote(remote, sample);
      setup = "load sent to the node at " + remote + " (its model and classifiers are its own)";
    } else {
      String modelVersion = local(total, sample, parts);
      setup = "model " + modelVersion + ", " + NodeConfig.settings(conf).node().classifiers() + " classifiers";
    }
    String table = table(setup, whole.stop());
    System.out.print(table);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, withOtherSections(table, Files.exists(out) ? Files.readString(out) : ""));
    System.err.println("bench: wrote " + out);
    return 0;
  }

  /**
   * The new table in place of the old one, and the file's other sections (the soak, the fuzz and
   * per-host runs, each under its own "## " heading) kept as they are.
   */
  static String withOtherSections(String table, String old) {
    int others = old.startsWith("## ") ? 0 : old.indexOf("\n## ");
    return others < 0 ? table : table.stripTrailing() + "\n\n" + old.substring(others == 0 ? 0 : others + 1);
  }

  private static Duration minutes(double m) {
    return Duration.ofMillis(Math.round(m * 60_000));
  }

  private String local(int total, List<String> sample, List<String> parts) throws Exception {
    NodeSettings settings = NodeConfig.settings(conf);
    int classifiers = settings.node().classifiers();
    String modelVersion;
    // The model the node under test serves, opened as the node opens it (classifier.modelPath, DGAD_MODEL,
    // and its suffix list), so an A/B of two models measures the model rows and the doors with the same one.
    ClassifierConf cc = settings.classifier();
    try (DgaModel model = ModelSource.read(cc).open(1, cc.operatingPoint(), cc.threshold())) {
      modelVersion = model.spec().version();
      if (parts.contains("model")) {
        System.err.println("bench: model alone...");
        for (int batch : new int[] {1, 64, 256}) {
          var t = ModelBenchmark.throughput(model, sample, batch, classifiers, Math.min(seconds, 5));
          row("model, batch " + batch + " (" + classifiers + " threads)", fmt(t.namesPerSecond()) + " names/s", "");
        }
        var l = ModelBenchmark.latency(model, sample, 3000);
        row("model, one name, latency", String.format("p50 %.0f µs, p99 %.0f µs", l.p50Micros(), l.p99Micros()), "");
      }
    }
    PrivateRedis redisServer = PrivateRedis.start();
    Vertx vertx = Node.vertx(); // as bin/dgad up runs it: native transport, metrics on
    try {
      int port = PrivateRedis.freePort();
      JsonObject c = conf.copy();
      RedisConf.pointAt(c, "127.0.0.1", redisServer.port());
      c.getJsonObject("redis").put("db", 0);
      c.getJsonObject("grpc").put("host", "127.0.0.1").put("port", port).put("dgad3Port", PrivateRedis.freePort());
      c.getJsonObject("node").put("roles", new JsonArray().add("classifier").add("grpc"));
      join(Node.deploy(vertx, c));
      if (parts.contains("redis")) {
        redisDoor(vertx, c, redisServer, total);
      }
      Vertx callers = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
      try {
        if (parts.contains("ceiling")) {
          int ceilingPort = PrivateRedis.freePort();
          join(vertx.deployVerticle(FixedAnswerVerticle::new, new DeploymentOptions()
              .setInstances(NodeConfig.settings(c).grpc().instances())
              .setConfig(new JsonObject().put("port", ceilingPort))));
          System.err.println("bench: gRPC, the transport's ceiling (fixed answers, no model)...");
          GrpcLoad.Outcome ceiling = new GrpcLoad(callers, address("127.0.0.1", ceilingPort), sample)
              .singleNames(SINGLE_CALLERS, SINGLE_CONNECTIONS, warmup, seconds);
          singleRow("gRPC stack's ceiling here: 4.x calls answered with a fixed result (no model, no event bus)",
              ceiling, "the most this machine's gRPC server and these callers carry", null);
        }
        if (parts.contains("grpc")) {
          grpc(new GrpcLoad(callers, address("127.0.0.1", port), sample), "clients included");
          h2load(port);
        }
      } finally {
        join(callers.close());
      }
    } finally {
      join(vertx.close());
      redisServer.close();
    }
    return modelVersion;
  }

  private void remote(HostPort at, List<String> sample) {
    Vertx callers = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      grpc(new GrpcLoad(callers, address(at.host(), at.port()), sample), "callers only, this process");
    } finally {
      join(callers.close());
    }
  }

  private void grpc(GrpcLoad load, String cpuOf) {
    System.err.println("bench: gRPC single-name calls...");
    NodeMetrics.ModelCalls before = NodeMetrics.modelCalls();
    GrpcLoad.Outcome single = load.singleNames(SINGLE_CALLERS, SINGLE_CONNECTIONS, warmup, seconds);
    NodeMetrics.ModelCalls model = NodeMetrics.modelCalls().since(before);
    singleRow("gRPC 4.x single-name calls, " + SINGLE_CALLERS + " callers over " + SINGLE_CONNECTIONS + " connections",
        single, cpuOf + "; target >= 20,000 calls/s, p99 <= 10 ms", model);
    System.err.println("bench: gRPC batch API...");
    GrpcLoad.Outcome batch = load.batches(BATCH_NAMES, BATCH_CALLERS, warmup, seconds);
    row("gRPC native batch API (" + fmt(BATCH_NAMES) + " names/call, " + BATCH_CALLERS + " callers)",
        fmt(batch.namesPerSecond()) + " names/s", batch.cpu().perOp(batch.names(), "name") + " (" + cpuOf + "), "
            + failures(batch) + batch.cpu().steal() + warmed(batch) + "; target >= 100,000 names/s");
  }

  /** The node's own single-name figure, with callers that cost it little; skipped without h2load. */
  private void h2load(int port) throws Exception {
    if (!H2Load.available()) {
      System.err.println("bench: no h2load on the PATH (Debian: apt-get install nghttp2-client): "
          + "no single-name figure with a C load generator");
      return;
    }
    System.err.println("bench: gRPC single-name calls from h2load...");
    String name = "xjw3kq9vz1plmq.net";
    H2Load.run("127.0.0.1", port, name, SINGLE_CONNECTIONS, SINGLE_CALLERS / SINGLE_CONNECTIONS, warmup);
    long classified = NodeMetrics.classifiedNames();
    CpuMeter meter = CpuMeter.start();
    H2Load.Outcome o = H2Load.run("127.0.0.1", port, name, SINGLE_CONNECTIONS, SINGLE_CALLERS / SINGLE_CONNECTIONS, seconds);
    CpuMeter.Window w = meter.stop();
    long answered = NodeMetrics.classifiedNames() - classified;
    row("gRPC 4.x single-name calls from h2load (C, separate process), " + SINGLE_CALLERS + " streams over "
            + SINGLE_CONNECTIONS + " connections", fmt(o.callsPerSecond()) + " calls/s",
        String.format("p50 %.2f ms, p99 %.2f ms, %s (node only), %s; %s calls answered, %s names classified (calls in "
                + "flight when h2load stops, at most 64, are classified but not counted), %s failed; '%s' in every call (no result cache: each call runs the model); target >= 20,000 calls/s, p99 <= 10 ms",
            o.p50Ms(), o.p99Ms(), w.perOp(o.calls(), "call"), w.steal(), fmt(o.calls()), fmt(answered), fmt(o.notAnswered()), name));
  }

  private void singleRow(String what, GrpcLoad.Outcome o, String note, NodeMetrics.ModelCalls model) {
    String batching = model == null || model.calls() == 0 ? ""
        : String.format("%.1f names per model call, ", model.names() / model.calls());
    row(what, fmt(o.callsPerSecond()) + " calls/s", String.format("p50 %.2f ms, p99 %.2f ms, %s, %s%s%s%s; %s",
        o.p50Ms(), o.p99Ms(), o.cpu().perOp(o.calls(), "call"), batching, failures(o), o.cpu().steal(), warmed(o), note));
  }

  private static String warmed(GrpcLoad.Outcome o) {
    return String.format(", after %.0f s of warm-up", o.warmedSeconds());
  }

  private static String failures(GrpcLoad.Outcome o) {
    return o.failures() == 0 ? "" : fmt(o.failures()) + " failed calls, ";
  }

  /**
   * Three passes over the door, each on its own names: a warm-up (as the gRPC figures get one:
   * the JIT compiles the door's Redis, event-bus and script paths for the first seconds, and a
   * running node has long done that); the door writing only dgad's {@code SET name DGA|ok}
   * (writeResultHash off, the work dgad itself does); then the shipped configuration, deployed as
   * the node's redis role.
   */
  private void redisDoor(Vertx vertx, JsonObject c, PrivateRedis redisServer, int total) {
    RedisStore redis = RedisStore.create(vertx, NodeSettings.of(c).redis(), RedisStore.Pool.DEFAULT);
    int warm = Math.min(total / 5, 200_000);
    if (warm > 0) {
      System.err.println("bench: Redis door, warm-up with " + fmt(warm) + " other names...");
      fill(redis, benchSet("warmup"), total, total + warm);
      String id = deployWorker(vertx, c, "warmup", true);
      awaitWritten(vertx, warm);
      join(vertx.undeploy(id));
    }
    String warmNote = ", after a warm-up of " + fmt(warm) + " other names; target >= 50,000 names/s";
    System.err.println("bench: Redis door, " + total + " names, dgad's SET only (writeResultHash off)...");
    fill(redis, benchSet("sets"), total + warm, 2 * total + warm);
    String id = timedDoor(vertx, redisServer, total, () -> deployWorker(vertx, c, "sets", false),
        "Redis door, " + fmt(total) + " names end to end, writing dgad's SET only (writeResultHash off)", warmNote);
    join(vertx.undeploy(id));

    System.err.println("bench: Redis door, " + total + " names, shipped configuration...");
    fill(redis, NodeConfig.settings(c).redis().set(), 0, total);
    JsonObject redisRole = c.copy();
    redisRole.getJsonObject("node").put("roles", new JsonArray().add("redis"));
    timedDoor(vertx, redisServer, total, () -> join(Node.deploy(vertx, redisRole)),
        "Redis door, " + fmt(total) + " names end to end (SET and result hash, as shipped)", warmNote);
    redis.close();
  }

  /**
   * Times a door from its deployment until it has written {@code total} results (its names are
   * already queued) and adds its row: the JVM's and redis-server's CPU per name, and steal.
   */
  private <T> T timedDoor(Vertx vertx, PrivateRedis redisServer, int total, Supplier<T> deploy, String what,
                          String note) {
    CpuMeter meter = CpuMeter.start();
    long redisCpu0 = redisServer.cpuNanos();
    T deployed = deploy.get();
    awaitWritten(vertx, total);
    CpuMeter.Window w = meter.stop();
    String serverCpu = redisCpu0 < 0 ? ""
        : String.format(", redis-server %.1f µs CPU/name", (redisServer.cpuNanos() - redisCpu0) / 1e3 / total);
    row(what, fmt(total / w.seconds()) + " names/s",
        String.format("%.1f s, %s (JVM only)%s, %s%s", w.seconds(), w.perOp(total, "name"), serverCpu, w.steal(), note));
    return deployed;
  }

  private static String benchSet(String tag) {
    return "dgad-bench:" + tag; // outside dgad-mesh's own keys (dgad:), where redis.set may not be
  }

  /** A Redis door of its own: reads set {@link #benchSet} TAG as node ID-TAG. */
  private static String deployWorker(Vertx vertx, JsonObject c, String tag, boolean hash) {
    JsonObject conf = c.copy();
    conf.getJsonObject("redis").put("set", benchSet(tag)).put("writeResultHash", hash);
    conf.getJsonObject("node").put("id", c.getJsonObject("node").getString("id") + "-" + tag);
    return join(vertx.deployVerticle(RedisWorkerVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
  }

  /** SADDs names(from..to) in pipelined batches of 1,000 and waits for all of them. */
  private static void fill(RedisStore redis, String set, int from, int to) {
    for (int i = from; i < to; i += 10_000) {
      List<Future<?>> sadds = new ArrayList<>();
      for (int j = i; j < Math.min(to, i + 10_000); j += 1000) {
        List<String> names = new ArrayList<>(1000);
        for (int k = j; k < Math.min(to, j + 1000); k++) {
          names.add(name(k));
        }
        sadds.add(redis.enqueue(set, names));
      }
      join(Future.all(sadds));
    }
  }

  /** Until the Redis door of this process has written at least n results. */
  private static void awaitWritten(Vertx vertx, long n) {
    while (join(vertx.eventBus().<JsonObject>request(Bus.REDIS_STATUS, new JsonObject())).body().getLong("written") < n) {
      LockSupport.parkNanos(20_000_000L); // poll interval
    }
  }

  private void row(String what, String value, String note) {
    rows.add(new String[] {what, value, note});
    System.err.println("  " + what + ": " + value + (note.isEmpty() ? "" : "  (" + note + ")"));
  }

  private String table(String setup, CpuMeter.Window whole) {
    StringBuilder b = new StringBuilder();
    b.append("# dgad-mesh bench\n\n");
    b.append("`bin/dgad bench` on ").append(Instant.now()).append(": ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores (").append(cpuModel())
        .append("), load average ")
        .append(String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
        .append(" at the end, hypervisor ").append(whole.steal()).append(" over the run, Java ")
        .append(System.getProperty("java.version")).append(", heap max ")
        .append(Runtime.getRuntime().maxMemory() >> 20).append(" MB, ").append(setup)
        .append(String.format(", %.0f s measured per gRPC figure after a warm-up of at least %.0f s that goes on "
            + "while the rate still rises (at most %.0f s).%n%n", seconds, warmup, GrpcLoad.longestWarmup(warmup)));
    b.append("| figure | measured | notes |\n|---|---|---|\n");
    for (String[] r : rows) {
      b.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" |\n");
    }
    return b.toString();
  }

  /** The CPU's name from /proc/cpuinfo: VMs of the same size differ several times in speed. */
  private static String cpuModel() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(System.getProperty("os.arch"));
    } catch (java.io.IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }

  private static SocketAddress address(String host, int port) {
    return SocketAddress.inetSocketAddress(port, host);
  }

  private static String fmt(double v) {
    return String.format("%,.0f", v);
  }

  private static <T> T join(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }
}
