package io.dgadmesh.trainer;

import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.Prediction;
import io.dgadmesh.model.SuffixList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dgad-train compare}: models trained with different settings, side by side. Choices are
 * read on the validation slice (AUC, TPR at both FPRs, wordlist families, family macro-F1, FPR by
 * benign source);
 * two columns read test rows that no choice was made on and that the validation slice cannot give:
 * bamital (an unseen family, the only one under co.cc and cz.cc, so the suffix list's effect shows there alone) and the families a
 * leave-family-out run never saw (their test rows, the figure users care about for next month's family).
 */
final class CompareCommand {

  /** The families leave-family-out runs hold back: the two wordlist families in training. */
  static final List<String> LEFT_OUT = List.of("suppobox", "nymaim2");

  private CompareCommand() {}

  static void run(Path dataDir, Map<String, Path> models, Path report) throws Exception {
    DomainDataset data = DomainDataset.load(dataDir);
    List<DomainDataset.Row> val = data.select(DomainDataset.Row::validation);
    Set<String> wordlist = data.wordlistFamilies();
    List<DomainDataset.Row> bamital = data.select(r -> r.dga() && "bamital".equals(r.family()) && !"train".equals(r.split()));
    List<DomainDataset.Row> leftOut = data.select(r -> r.dga() && LEFT_OUT.contains(r.family()) && "test".equals(r.split()));
    StringBuilder md = new StringBuilder();
    md.append("| run | val AUC | val TPR at FPR 1e-3 | val TPR at FPR 1e-4 | val TPR at 1e-3 of distinct benign domains "
        + "| val wordlist recall (pooled) | val family macro-F1 (merged) | val FPR alexa2016 | val FPR umbrella2025 | bamital recall (unseen) | test ")
        .append(String.join(" / ", LEFT_OUT)).append(" recall |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Path> run : models.entrySet()) {
      byte[] onnx = Files.readAllBytes(run.getValue());
      try (DgaModel m = open(onnx)) {
        md.append(row(run.getKey(), m, val, wordlist, bamital, leftOut)).append('\n');
      }
      System.out.print(md.substring(md.lastIndexOf("\n", md.length() - 2) + 1));
    }
    if (report != null) {
      Files.writeString(report, md.toString());
    }
    System.out.print("\n" + md);
  }

  /** With the suffix list the model was trained with: the bundled one, or the PSL without the project's additions. */
  static DgaModel open(byte[] onnx) {
    try {
      return DgaModel.load(onnx, 2);
    } catch (IllegalStateException other) {
      return DgaModel.load(onnx, 2, SuffixList.pslOnly(null));
    }
  }

  private static String row(String name, DgaModel m, List<DomainDataset.Row> val, Set<String> wordlist,
      List<DomainDataset.Row> bamital, List<DomainDataset.Row> leftOut) {
    List<Prediction> p = Evaluation.classifyHosts(m, val.stream().map(DomainDataset.Row::host).toList());
    List<Float> pos = new ArrayList<>();
    List<Float> neg = new ArrayList<>();
    // one score per benign registrable domain, as the operating points are chosen (TrainCommand):
    // umbrella2025's several host names of one domain are one input, and by rows they move this figure
    Map<String, Float> negUnits = new LinkedHashMap<>();
    Map<String, int[]> fpr = new LinkedHashMap<>();
    int[] words = new int[2];
    for (int i = 0; i < val.size(); i++) {
      DomainDataset.Row r = val.get(i);
      Prediction x = p.get(i);
      if (r.dga()) {
        pos.add(x.score());
        if (wordlist.contains(r.family())) {
          words[0] += x.dga() ? 1 : 0;
          words[1]++;
        }
      } else {
        neg.add(x.score());
        negUnits.putIfAbsent(m.encoder().unitOf(r.host()), x.score());
        int[] c = fpr.computeIfAbsent(r.source(), k -> new int[2]);
        c[0] += x.dga() ? 1 : 0;
        c[1]++;
      }
    }
    float[] ps = ModelTrainer.toArray(pos);
    float[] ns = ModelTrainer.toArray(neg);
    int[] alexa = fpr.getOrDefault("alexa2016", new int[] {0, 0});
    int[] umbrella = fpr.getOrDefault("umbrella2025", new int[] {0, 0});
    StringBuilder lfo = new StringBuilder();
    for (String f : LEFT_OUT) {
      // four digits: one name of suppobox's 6,280 test names is 0.00016, which three digits round to the
      // zero it is compared with
      lfo.append(lfo.length() == 0 ? "" : " / ").append(String.format("%.4f",
          recall(m, leftOut.stream().filter(r -> f.equals(r.family())).toList())));
    }
    float[] units = ModelTrainer.toArray(new ArrayList<>(negUnits.values()));
    double macroF1 = FamilyHeadAnswers.of(m.spec().families(), val, p).macroF1();
    return String.format("| %s | %.5f | %.4f | %.4f | %.4f | %.4f | %.4f | %.3f%% | %.3f%% | %.4f | %s |", name,
        Metrics.auc(ps, ns), Metrics.tprAtFpr(ps, ns, 1e-3), Metrics.tprAtFpr(ps, ns, 1e-4),
        Metrics.tprAtFpr(ps, units, 1e-3),
        (double) words[0] / Math.max(1, words[1]), macroF1, 100.0 * alexa[0] / Math.max(1, alexa[1]),
        100.0 * umbrella[0] / Math.max(1, umbrella[1]), recall(m, bamital), lfo);
  }

  private static double recall(DgaModel m, List<DomainDataset.Row> rows) {
    if (rows.isEmpty()) {
      return Double.NaN;
    }
    return Evaluation.classifyHosts(m, rows.stream().map(DomainDataset.Row::host).toList()).stream()
        .filter(Prediction::dga).count() / (double) rows.size();
  }
}
