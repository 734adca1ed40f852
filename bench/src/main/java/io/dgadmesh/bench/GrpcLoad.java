package io.dgadmesh.bench;

import io.dgadmesh.grpc.dgad4.ClassifierGrpcClient;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The bench's gRPC callers: closed-loop callers (each sends its next call when the last one is
 * answered) against a node's port, a warm-up, then a measured window. Failed calls are counted
 * apart and never as answered calls.
 */
final class GrpcLoad {

  /**
   * A measured window. calls and failures are counts; latencies are of answered calls;
   * warmedSeconds is how long the warm-up before it ran.
   */
  record Outcome(long calls, long failures, long names, double p50Ms, double p99Ms, CpuMeter.Window cpu,
                 double warmedSeconds) {
    double callsPerSecond() {
      return calls / cpu.seconds();
    }

    double namesPerSecond() {
      return names / cpu.seconds();
    }

    Outcome afterWarmUp(double seconds) {
      return new Outcome(calls, failures, names, p50Ms, p99Ms, cpu, seconds);
    }
  }

  private final Vertx vertx;
  private final SocketAddress target;
  private final List<String> sample;

  GrpcLoad(Vertx vertx, SocketAddress target, List<String> sample) {
    this.vertx = vertx;
    this.target = target;
    this.sample = sample;
  }

  /**
   * dgad 4.x single-name calls from {@code callers} callers spread over {@code connections}
   * HTTP/2 connections (one GrpcClient each: one shared connection would pin the whole server
   * side to one event loop, which no deployment with many clients looks like).
   */
  Outcome singleNames(int callers, int connections, double warmup, double seconds) {
    List<ClassifierGrpcClient> clients = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      clients.add(ClassifierGrpcClient.create(GrpcClient.client(vertx), target));
    }
    return measure(callers, warmup, seconds, k -> {
      ClassifierGrpcClient client = clients.get(k % connections);
      int[] next = {k};
      return () -> {
        String name = sample.get(next[0] % sample.size());
        next[0] += callers;
        return client.getClassification(Domain.newBuilder().setFqdn(name).build()).map(d -> 1);
      };
    });
  }

  /** The native batch API: each call carries {@code perCall} names; one connection. */
  Outcome batches(int perCall, int callers, double warmup, double seconds) {
    DgaClassifierGrpcClient client = DgaClassifierGrpcClient.create(GrpcClient.client(vertx), target);
    List<ClassifyRequest> requests = new ArrayList<>();
    for (int i = 0; i + perCall <= sample.size(); i += perCall) {
      requests.add(ClassifyRequest.newBuilder().addAllNames(sample.subList(i, i + perCall)).build());
    }
    return measure(callers, warmup, seconds, k -> {
      int[] next = {k};
      return () -> {
        ClassifyRequest r = requests.get(next[0] % requests.size());
        next[0] += callers;
        return client.classifyBatch(r).map(resp -> resp.getResultsCount());
      };
    });
  }

  /** One caller's next call; its future yields the names answered. */
  private interface Call {
    Future<Integer> send();
  }

  private Outcome measure(int callers, double warmup, double seconds, Function<Integer, Call> callerOf) {
    List<Call> calls = new ArrayList<>();
    for (int k = 0; k < callers; k++) {
      calls.add(callerOf.apply(k));
    }
    double warmed = warmUp(calls, warmup);
    return run(calls, seconds, new long[4_000_000]).afterWarmUp(warmed);
  }

  /** The longest warm-up, whatever the rate does. */
  static final double MAX_WARMUP_SECONDS = 60;

  /** The longest warm-up that starts with minSeconds: 6 x minSeconds, at most 60 s. */
  static double longestWarmup(double minSeconds) {
    return Math.min(MAX_WARMUP_SECONDS, 6 * minSeconds);
  }

  /**
   * At least minSeconds, then rounds of a fifth of it (2 s by default) while the rate still rises
   * by 5% or more from one round to the next, up to {@link #longestWarmup}: with the callers in
   * this JVM, the JIT compiles the client's and the server's HTTP/2 paths for 10 to 30 s here,
   * and a figure taken before that measures the compiler. Returns the seconds spent.
   */
  private double warmUp(List<Call> calls, double minSeconds) {
    if (minSeconds <= 0) {
      return 0;
    }
    double round = minSeconds / 5;
    double most = longestWarmup(minSeconds);
    double spent = minSeconds;
    double rate = run(calls, minSeconds, new long[0]).callsPerSecond();
    while (spent + round <= most) {
      double next = run(calls, round, new long[0]).callsPerSecond();
      spent += round;
      if (next < rate * 1.05) {
        break;
      }
      rate = next;
    }
    return spent;
  }

  private Outcome run(List<Call> calls, double seconds, long[] latencies) {
    AtomicLong answered = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong names = new AtomicLong();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    CpuMeter meter = CpuMeter.start();
    List<Future<Void>> done = new ArrayList<>();
    for (Call call : calls) {
      Promise<Void> p = Promise.promise();
      done.add(p.future());
      vertx.runOnContext(v -> loop(call, deadline, latencies, answered, failed, names, p));
    }
    Future.all(done).toCompletionStage().toCompletableFuture().join();
    CpuMeter.Window cpu = meter.stop();
    int n = (int) Math.min(answered.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    double p50 = n == 0 ? Double.NaN : sorted[n / 2] / 1e6;
    double p99 = n == 0 ? Double.NaN : sorted[(int) (n * 0.99)] / 1e6;
    return new Outcome(answered.get(), failed.get(), names.get(), p50, p99, cpu, 0);
  }

  private void loop(Call call, long deadline, long[] latencies, AtomicLong answered, AtomicLong failed,
                    AtomicLong names, Promise<Void> done) {
    if (System.nanoTime() > deadline) {
      done.complete();
      return;
    }
    long t = System.nanoTime();
    call.send().onComplete(ar -> {
      if (ar.succeeded()) {
        long k = answered.getAndIncrement();
        names.addAndGet(ar.result());
        if (k < latencies.length) {
          latencies[(int) k] = System.nanoTime() - t;
        }
      } else {
        failed.incrementAndGet();
      }
      loop(call, deadline, latencies, answered, failed, names, done);
    });
  }
}
