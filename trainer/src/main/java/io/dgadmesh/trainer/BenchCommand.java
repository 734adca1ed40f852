package io.dgadmesh.trainer;

import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.ModelBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** {@code dgad-train bench --model F --data D}: ONNX latency and throughput on this machine. */
final class BenchCommand {
  private BenchCommand() {}

  record Figures(ModelBenchmark.Latency latency, List<ModelBenchmark.Throughput> throughput,
      List<ModelBenchmark.Throughput> onnxOnly, String cpu, String measuredAt) {

    /** One line per figure, so a card can be rebuilt later from figures taken on a quiet machine. */
    String save() {
      StringBuilder b = new StringBuilder();
      b.append("cpu\t").append(cpu).append('\n').append("at\t").append(measuredAt).append('\n');
      b.append(String.format(java.util.Locale.ROOT, "latency\t%f\t%f\t%f\t%d%n", latency.p50Micros(),
          latency.p99Micros(), latency.meanMicros(), latency.calls()));
      for (ModelBenchmark.Throughput t : throughput) {
        b.append(String.format(java.util.Locale.ROOT, "pipeline\t%d\t%d\t%d\t%f%n", t.batch(), t.callers(),
            t.threadsPerSession(), t.namesPerSecond()));
      }
      for (ModelBenchmark.Throughput t : onnxOnly) {
        b.append(String.format(java.util.Locale.ROOT, "onnx\t%d\t%d\t%d\t%f%n", t.batch(), t.callers(),
            t.threadsPerSession(), t.namesPerSecond()));
      }
      return b.toString();
    }

    static Figures load(String text) {
      String cpu = "";
      String at = "";
      ModelBenchmark.Latency lat = null;
      List<ModelBenchmark.Throughput> p = new ArrayList<>();
      List<ModelBenchmark.Throughput> o = new ArrayList<>();
      for (String line : text.split("\n")) {
        String[] c = line.split("\t");
        switch (c[0]) {
          case "cpu" -> cpu = c[1];
          case "at" -> at = c[1];
          case "latency" -> lat = new ModelBenchmark.Latency(Double.parseDouble(c[1]), Double.parseDouble(c[2]),
              Double.parseDouble(c[3]), Integer.parseInt(c[4]));
          case "pipeline", "onnx" -> (c[0].equals("onnx") ? o : p).add(new ModelBenchmark.Throughput(
              Integer.parseInt(c[1]), Integer.parseInt(c[2]), Integer.parseInt(c[3]), Double.parseDouble(c[4])));
          default -> { }
        }
      }
      return new Figures(lat, p, o, cpu, at);
    }
  }

  static Figures run(Path modelFile, List<String> hosts) throws Exception {
    List<ModelBenchmark.Throughput> t = new ArrayList<>();
    List<ModelBenchmark.Throughput> onnx = new ArrayList<>();
    ModelBenchmark.Latency lat;
    try (DgaModel one = DgaModel.load(modelFile, 1)) {
      lat = ModelBenchmark.latency(one, hosts, 20000);
      for (int batch : new int[] {1, 64, 256}) {
        t.add(tag(ModelBenchmark.throughput(one, hosts, batch, 2, 3.0), 1));
      }
      onnx.add(tag(ModelBenchmark.onnxOnly(one, hosts, 256, 2, 3.0), 1));
    }
    try (DgaModel two = DgaModel.load(modelFile, 2)) {
      t.add(tag(ModelBenchmark.throughput(two, hosts, 256, 1, 3.0), 2));
      onnx.add(tag(ModelBenchmark.onnxOnly(two, hosts, 256, 1, 3.0), 2));
    }
    return new Figures(lat, t, onnx, cpuName(), java.time.Instant.now().toString());
  }

  private static ModelBenchmark.Throughput tag(ModelBenchmark.Throughput t, int threads) {
    return new ModelBenchmark.Throughput(t.batch(), t.callers(), threads, t.namesPerSecond());
  }

  static String cpuName() {
    try {
      for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim() + ", " + Runtime.getRuntime().availableProcessors()
              + " cores";
        }
      }
    } catch (Exception e) {
      // Not Linux: fall through.
    }
    return Runtime.getRuntime().availableProcessors() + " cores";
  }

  static void print(Figures f) {
    System.out.printf("single name: p50 %.0f us, p99 %.0f us, mean %.0f us (%d calls)%n",
        f.latency().p50Micros(), f.latency().p99Micros(), f.latency().meanMicros(), f.latency().calls());
    for (ModelBenchmark.Throughput t : f.throughput()) {
      System.out.printf("batch %3d, %d caller(s) x %d ORT thread(s): %,.0f names/s (parse + encode + ONNX)%n",
          t.batch(), t.callers(), t.threadsPerSession(), t.namesPerSecond());
    }
    for (ModelBenchmark.Throughput t : f.onnxOnly()) {
      System.out.printf("batch %3d, %d caller(s) x %d ORT thread(s): %,.0f names/s (ONNX Runtime only)%n",
          t.batch(), t.callers(), t.threadsPerSession(), t.namesPerSecond());
    }
  }

  /** Test-split host names, shuffled: realistic lengths and a mix of both classes. */
  static List<String> sampleHosts(DomainDataset data, int n) {
    List<String> hosts = new ArrayList<>();
    for (DomainDataset.Row r : data.rows()) {
      if ("test".equals(r.split())) {
        hosts.add(r.host());
      }
    }
    Collections.shuffle(hosts, new Random(7));
    return hosts.subList(0, Math.min(n, hosts.size()));
  }
}
