package io.dgadmesh.trainer;

import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.model.ModelBenchmark;
import io.dgadmesh.model.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dgad-train reexport --model IN --out OUT [--data D]}: rewrites an exported model into the
 * current ONNX graph with its weights and metadata unchanged, then shows that both files give the
 * same answers (largest score differences and verdict changes on test-split names when --data is
 * there, else on the synthetic names of shape-bench) and how fast each runs here.
 */
final class ReexportCommand {
  private ReexportCommand() {}

  static void run(Path in, Path out, Path data) throws Exception {
    Files.write(out, OnnxExporter.reexport(Files.readAllBytes(in)));
    List<String> hosts = hosts(data);
    try (DgaModel before = DgaModel.load(in, 1); DgaModel after = DgaModel.load(out, 1)) {
      List<Prediction> a = before.classify(hosts);
      List<Prediction> b = after.classify(hosts);
      double maxScore = 0;
      double maxFamily = 0;
      int verdicts = 0;
      int families = 0;
      for (int i = 0; i < hosts.size(); i++) {
        maxScore = Math.max(maxScore, Math.abs(a.get(i).score() - b.get(i).score()));
        maxFamily = Math.max(maxFamily, Math.abs(a.get(i).familyScore() - b.get(i).familyScore()));
        verdicts += a.get(i).dga() != b.get(i).dga() ? 1 : 0;
        families += a.get(i).familyIndex() != b.get(i).familyIndex() ? 1 : 0;
      }
      System.out.printf("%s -> %s (%,d bytes)%n", in, out, Files.size(out));
      System.out.printf("%,d names: largest score difference %.2e, largest family-score difference %.2e, "
          + "%d verdicts and %d family argmaxes changed%n", hosts.size(), maxScore, maxFamily, verdicts, families);
      for (int round = 0; round < 2; round++) {
        for (DgaModel m : List.of(before, after)) {
          System.out.printf("  %s: batch 64, 1 thread: %,.0f names/s (ONNX only)%n", m == before ? "before" : "after ",
              ModelBenchmark.onnxOnly(m, hosts, 64, 1, 3).namesPerSecond());
        }
      }
      if (verdicts > 0) {
        throw new IllegalStateException("the re-exported model changes " + verdicts + " verdicts");
      }
    }
  }

  private static List<String> hosts(Path data) {
    List<String> hosts = new ArrayList<>();
    if (data != null && Files.isDirectory(data)) {
      for (String h : BenchCommand.sampleHosts(DomainDataset.load(data), 50_000)) {
        HostnameNormalizer.Result r = HostnameNormalizer.normalize(h);
        if (r.ok()) {
          hosts.add(r.host());
        }
      }
      return hosts;
    }
    return ShapeBenchCommand.syntheticHosts(20_000);
  }
}
