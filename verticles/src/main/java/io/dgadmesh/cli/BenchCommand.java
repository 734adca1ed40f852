package io.dgadmesh.cli;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.dgad4.ClassifierGrpcClient;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.ModelBenchmark;
import io.dgadmesh.node.Node;
import io.dgadmesh.node.PrivateRedis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code dgad bench}: the figures of issue 3 on this machine. Uses its own private redis-server
 * and free ports, so it never touches a Redis or node already running here.
 */
public final class BenchCommand {

  private final Args args;
  private final JsonObject conf;
  private final List<String[]> rows = new ArrayList<>();

  public BenchCommand(Args args, JsonObject conf) {
    this.args = args;
    this.conf = conf;
  }

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

  public int run() throws Exception {
    int total = Integer.parseInt(args.value("--names").orElse("1000000"));
    double seconds = Double.parseDouble(args.value("--seconds").orElse("5"));
    Path out = Path.of(args.value("--out").orElse(System.getenv().getOrDefault("DGAD_ROOT", ".") + "/bench/RESULTS.md"));
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      sample.add(name(i));
    }
    int classifiers = conf.getJsonObject("node").getInteger("classifiers");

    List<String> parts = List.of(args.value("--parts").orElse("model,redis,grpc").split(","));
    String modelVersion;
    try (DgaModel model = DgaModel.loadDefault(1)) {
      modelVersion = model.spec().version();
    }
    if (parts.contains("model")) {
      System.err.println("bench: model alone...");
      try (DgaModel model = DgaModel.loadDefault(1)) {
      for (int batch : new int[] {1, 64, 256}) {
        var t = ModelBenchmark.throughput(model, sample, batch, classifiers, seconds);
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
      c.getJsonObject("redis").put("host", "127.0.0.1").put("port", redisServer.port()).put("password", "").put("db", 0);
      c.getJsonObject("grpc").put("host", "127.0.0.1").put("port", port).put("dgad3Port", PrivateRedis.freePort());
      c.getJsonObject("node").put("roles", new JsonArray().add("classifier").add("grpc"));
      join(Node.deploy(vertx, c));

      if (parts.contains("redis")) {
      System.err.println("bench: Redis door, " + total + " names...");
      Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + redisServer.port());
      String set = c.getJsonObject("redis").getString("set");
      for (int i = 0; i < total; i += 10_000) {
        List<Future<?>> sadds = new ArrayList<>();
        for (int j = i; j < Math.min(total, i + 10_000); j += 1000) {
          Request r = Request.cmd(Command.SADD).arg(set);
          for (int k = j; k < Math.min(total, j + 1000); k++) {
            r.arg(name(k));
          }
          sadds.add(redis.send(r));
        }
        join(Future.all(sadds));
      }
      long start = System.nanoTime();
      long cpu = cpuNanos();
      JsonObject redisRole = c.copy();
      redisRole.getJsonObject("node").put("roles", new JsonArray().add("redis"));
      join(Node.deploy(vertx, redisRole));
      while (true) {
        JsonObject s = join(vertx.eventBus().<JsonObject>request(Bus.REDIS_STATUS, new JsonObject())).body();
        if (s.getLong("written") >= total) {
          break;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll interval
      }
      double secs = (System.nanoTime() - start) / 1e9;
      row("Redis door, " + fmt(total) + " names end to end", fmt(total / secs) + " names/s",
          String.format("%.1f s, %s (JVM only); target >= 50,000 names/s", secs, cpuPer(cpu, total, "name")));
      redis.close();
      }
      if (parts.contains("grpc")) {
      System.err.println("bench: gRPC...");
      Vertx clients = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
      try {
        grpcSingle(clients, port, sample, seconds);
        grpcBatch(clients, port, sample, seconds);
      } finally {
        join(clients.close());
      }
      }
    } finally {
      join(vertx.close());
      redisServer.close();
    }
    long heapMax = Runtime.getRuntime().maxMemory() >> 20;
    String table = table(modelVersion, heapMax);
    System.out.print(table);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, table);
    System.err.println("bench: wrote " + out);
    return 0;
  }

  /** Client connections for the 64 single-name callers: callers of a real door come from many hosts. */
  static final int SINGLE_CONNECTIONS = 4;

  private void grpcSingle(Vertx vertx, int port, List<String> sample, double seconds) {
    // Each GrpcClient has its own HTTP/2 connection; one shared connection would pin the whole
    // server side to one event loop, which no deployment with many clients looks like.
    List<ClassifierGrpcClient> clients = new ArrayList<>();
    for (int c = 0; c < SINGLE_CONNECTIONS; c++) {
      clients.add(ClassifierGrpcClient.create(GrpcClient.client(vertx),
          SocketAddress.inetSocketAddress(port, "127.0.0.1")));
    }
    int callers = 64;
    long[] lat = new long[4_000_000];
    AtomicLong n = new AtomicLong();
    // warm-up, then the measured run
    for (double run : new double[] {Math.min(1, seconds / 3), seconds}) {
      n.set(0);
      long deadline = System.nanoTime() + (long) (run * 1e9);
      List<Future<Void>> done = new ArrayList<>();
      long start = System.nanoTime();
      long cpu = cpuNanos();
      for (int k = 0; k < callers; k++) {
        Promise<Void> p = Promise.promise();
        done.add(p.future());
        int offset = k;
        ClassifierGrpcClient client = clients.get(k % clients.size());
        vertx.runOnContext(v -> singleLoop(client, sample, offset, deadline, lat, n, p));
      }
      join(Future.all(done));
      if (run == seconds) {
        double secs = (System.nanoTime() - start) / 1e9;
        int calls = (int) Math.min(n.get(), lat.length);
        long[] l = Arrays.copyOf(lat, calls);
        Arrays.sort(l);
        row("gRPC 4.x single-name calls, 64 callers over " + SINGLE_CONNECTIONS + " connections",
            fmt(calls / secs) + " calls/s",
            String.format("p50 %.2f ms, p99 %.2f ms, %s (clients included); target >= 20,000 calls/s, p99 <= 10 ms",
                l[calls / 2] / 1e6, l[(int) (calls * 0.99)] / 1e6, cpuPer(cpu, calls, "call")));
      }
    }
  }

  private void singleLoop(ClassifierGrpcClient client, List<String> sample, int i, long deadline, long[] lat,
                          AtomicLong n, Promise<Void> done) {
    if (System.nanoTime() > deadline) {
      done.complete();
      return;
    }
    long t = System.nanoTime();
    client.getClassification(Domain.newBuilder().setFqdn(sample.get(i % sample.size())).build())
        .onComplete(ar -> {
          long k = n.getAndIncrement();
          if (k < lat.length) {
            lat[(int) k] = System.nanoTime() - t;
          }
          singleLoop(client, sample, i + 64, deadline, lat, n, done);
        });
  }

  private void grpcBatch(Vertx vertx, int port, List<String> sample, double seconds) {
    DgaClassifierGrpcClient client = DgaClassifierGrpcClient.create(GrpcClient.client(vertx),
        SocketAddress.inetSocketAddress(port, "127.0.0.1"));
    int batch = 1000;
    int callers = 4;
    List<ClassifyRequest> reqs = new ArrayList<>();
    for (int i = 0; i + batch <= sample.size(); i += batch) {
      reqs.add(ClassifyRequest.newBuilder().addAllNames(sample.subList(i, i + batch)).build());
    }
    AtomicLong names = new AtomicLong();
    for (double run : new double[] {Math.min(1, seconds / 3), seconds}) {
      names.set(0);
      long deadline = System.nanoTime() + (long) (run * 1e9);
      long start = System.nanoTime();
      long cpu = cpuNanos();
      List<Future<Void>> done = new ArrayList<>();
      for (int k = 0; k < callers; k++) {
        Promise<Void> p = Promise.promise();
        done.add(p.future());
        int offset = k;
        vertx.runOnContext(v -> batchLoop(client, reqs, offset, deadline, names, p));
      }
      join(Future.all(done));
      if (run == seconds) {
        double secs = (System.nanoTime() - start) / 1e9;
        row("gRPC native batch API (" + batch + " names/call, " + callers + " callers)",
            fmt(names.get() / secs) + " names/s", cpuPer(cpu, names.get(), "name") + " (clients included); target >= 100,000 names/s");
      }
    }
  }

  private void batchLoop(DgaClassifierGrpcClient client, List<ClassifyRequest> reqs, int i, long deadline,
                         AtomicLong names, Promise<Void> done) {
    if (System.nanoTime() > deadline) {
      done.complete();
      return;
    }
    ClassifyRequest r = reqs.get(i % reqs.size());
    client.classifyBatch(r).onComplete(ar -> {
      if (ar.succeeded()) {
        names.addAndGet(ar.result().getResultsCount());
      }
      batchLoop(client, reqs, i + 4, deadline, names, done);
    });
  }

  private void row(String what, String value, String note) {
    rows.add(new String[] {what, value, note});
    System.err.println("  " + what + ": " + value + (note.isEmpty() ? "" : "  (" + note + ")"));
  }

  private String table(String modelVersion, long heapMax) {
    StringBuilder b = new StringBuilder();
    b.append("# dgad-mesh bench\n\n");
    b.append("`bin/dgad bench` on ").append(Instant.now()).append(": ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ")
        .append(String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
        .append(" at the end, Java ").append(System.getProperty("java.version"))
        .append(", heap max ").append(heapMax).append(" MB, model ").append(modelVersion)
        .append(", ").append(conf.getJsonObject("node").getInteger("classifiers")).append(" classifiers.\n\n");
    b.append("| figure | measured | notes |\n|---|---|---|\n");
    for (String[] r : rows) {
      b.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" |\n");
    }
    return b.toString();
  }

  /** CPU time of this whole process (server and bench clients): stable even on a busy machine. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String cpuPer(long cpuStart, double ops, String unit) {
    return String.format("%.1f µs CPU/%s", (cpuNanos() - cpuStart) / 1e3 / ops, unit);
  }

  private static String fmt(double v) {
    return String.format("%,.0f", v);
  }


  private static <T> T join(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }
}
