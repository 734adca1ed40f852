package io.dgadmesh.trainer;

import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.InputUnit;
import io.dgadmesh.model.ModelBenchmark;
import io.dgadmesh.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code dgad-train shape-bench [options]}: ONNX throughput of an untrained network of the given
 * shape, on synthetic names, to size the network against the serving budget before training.
 */
final class ShapeBenchCommand {
  private ShapeBenchCommand() {}

  static void run(TrainingOptions o) throws Exception {
    List<String> families = new ArrayList<>();
    for (int i = 0; i < 95; i++) {
      families.add("f" + i);
    }
    ModelSpec spec = new ModelSpec("bench", ModelSpec.DEFAULT_VOCABULARY, o.maxLen,
        o.tailPad(), InputUnit.REGISTRABLE_DOMAIN, families,
        0.5f, "", Map.of());
    Path file = Files.createTempFile("shape", ".onnx");
    try (ModelTrainer t = new ModelTrainer(o, spec, io.dgadmesh.model.SuffixList.bundled(), null)) {
      OnnxExporter.export(t.network(), spec, file);
      System.out.printf("%s: %,d parameters, %,d bytes%n", t.network().shape().describe(),
          t.parameterCount(), Files.size(file));
    }
    List<String> hosts = syntheticHosts(20_000);
    try (DgaModel m = DgaModel.load(file, 1)) {
      for (int batch : new int[] {64, 256}) {
        System.out.printf("  batch %d, 2 callers x 1 thread: %,.0f names/s (parse+encode+ONNX)%n", batch,
            ModelBenchmark.throughput(m, hosts, batch, 2, 3).namesPerSecond());
      }
    }
    Files.deleteIfExists(file);
  }

  /** Random letter labels of 5 to 30 characters under common suffixes: no data needed. */
  static List<String> syntheticHosts(int n) {
    Random rnd = new Random(1);
    List<String> hosts = new ArrayList<>();
    String[] tlds = {"com", "net", "org", "co.uk", "ru", "info"};
    for (int i = 0; i < n; i++) {
      int len = 5 + (int) Math.min(25, Math.abs(rnd.nextGaussian() * 8));
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < len; k++) {
        b.append((char) ('a' + rnd.nextInt(26)));
      }
      hosts.add(b + "." + tlds[rnd.nextInt(tlds.length)]);
    }
    return hosts;
  }
}
