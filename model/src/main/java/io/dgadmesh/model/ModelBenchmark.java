package io.dgadmesh.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the ONNX model on this machine: single-name latency percentiles and batched
 * throughput, including host-name parsing and encoding (what a classifier pays per name).
 */
public final class ModelBenchmark {

  private ModelBenchmark() {}

  public record Latency(double p50Micros, double p99Micros, double meanMicros, int calls) {}

  public record Throughput(int batch, int callers, int threadsPerSession, double namesPerSecond) {}

  public static Latency latency(DgaModel model, List<String> hosts, int calls) {
    long[] t = new long[calls];
    for (int i = 0; i < Math.min(calls, 2000); i++) {
      model.classify(List.of(hosts.get(i % hosts.size())));
    }
    for (int i = 0; i < calls; i++) {
      String h = hosts.get(i % hosts.size());
      long s = System.nanoTime();
      model.classify(List.of(h));
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    double mean = Arrays.stream(t).average().orElse(0);
    return new Latency(t[calls / 2] / 1e3, t[(int) (calls * 0.99)] / 1e3, mean / 1e3, calls);
  }

  /**
   * Names per second with {@code callers} threads each classifying batches of {@code batch}
   * names from {@code hosts} for about {@code seconds}, after a warm-up.
   */
  public static Throughput throughput(DgaModel model, List<String> hosts, int batch, int callers,
      double seconds) throws Exception {
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i + batch <= hosts.size(); i += batch) {
      batches.add(hosts.subList(i, i + batch));
    }
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("need at least " + batch + " names");
    }
    return new Throughput(batch, callers, -1, namesPerSecond(callers, seconds, i -> {
      List<String> b = batches.get(i % batches.size());
      model.classify(b);
      return b.size();
    }));
  }

  /**
   * Names per second of ONNX Runtime alone: batches are parsed, sorted into runs of similar
   * length (as {@link DgaModel#classify} does) and encoded beforehand; only the runs are timed.
   */
  public static Throughput onnxOnly(DgaModel model, List<String> hosts, int batch, int callers,
      double seconds) throws Exception {
    List<List<CharEncoder.Batch>> batches = new ArrayList<>();
    for (int i = 0; i + batch <= hosts.size() && batches.size() < 400; i += batch) {
      List<String> units = new ArrayList<>();
      for (String h : hosts.subList(i, i + batch)) {
        units.add(model.encoder().unitOf(h));
      }
      units.sort((a, b) -> Integer.compare(a.length(), b.length()));
      List<CharEncoder.Batch> runs = new ArrayList<>();
      for (int r = 0; r < units.size(); r += DgaModel.RUN_SIZE) {
        runs.add(model.encoder().encodeUnits(units.subList(r, Math.min(units.size(), r + DgaModel.RUN_SIZE))));
      }
      batches.add(runs);
    }
    return new Throughput(batch, callers, -1, namesPerSecond(callers, seconds, i -> {
      long n = 0;
      for (CharEncoder.Batch b : batches.get(i % batches.size())) {
        model.run(b);
        n += b.rows();
      }
      return n;
    }));
  }

  /** One unit of work: process item {@code i}, return how many names it held. */
  private interface Work {
    long run(int i);
  }

  /** Runs {@code work} on {@code callers} threads: a short warm-up, then a timed window. */
  private static double namesPerSecond(int callers, double seconds, Work work) throws Exception {
    double rate = 0;
    for (double window : new double[] {Math.min(1.0, seconds / 3), seconds}) {
      AtomicLong names = new AtomicLong();
      long start = System.nanoTime();
      long deadline = start + (long) (window * 1e9);
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
          final int offset = c;
          fs.add(pool.submit(() -> {
            for (int i = offset; System.nanoTime() < deadline; i += callers) {
              names.addAndGet(work.run(i));
            }
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      rate = names.get() / ((System.nanoTime() - start) / 1e9);
    }
    return rate;
  }
}
