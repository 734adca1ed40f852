package io.dgadmesh.trainer;

import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code dgad-train analyse --model F --data D}: where a model errs on the validation slice
 * (the only data that may steer design choices): top-scoring benign names, weakest families.
 */
final class AnalyseCommand {
  private AnalyseCommand() {}

  static void run(Path modelFile, Path dataDir) {
    DomainDataset data = DomainDataset.load(dataDir);
    List<DomainDataset.Row> val = data.select(DomainDataset.Row::validation);
    try (DgaModel model = DgaModel.load(modelFile, 2)) {
      List<String> hosts = val.stream().map(DomainDataset.Row::host).toList();
      List<Prediction> p = Evaluation.classifyHosts(model, hosts);
      List<Integer> benign = new ArrayList<>();
      Map<String, int[]> fam = new TreeMap<>();
      Map<String, int[]> src = new TreeMap<>();
      for (int i = 0; i < val.size(); i++) {
        DomainDataset.Row r = val.get(i);
        boolean hit = p.get(i).dga();
        if (r.dga()) {
          int[] c = fam.computeIfAbsent(r.family(), k -> new int[2]);
          c[0] += hit ? 1 : 0;
          c[1]++;
        } else {
          benign.add(i);
          int[] c = src.computeIfAbsent(r.source(), k -> new int[2]);
          c[0] += hit ? 1 : 0;
          c[1]++;
        }
      }
      System.out.printf("threshold %.5f%n", model.spec().threshold());
      src.forEach((k, c) -> System.out.printf("benign %-14s FPR %.5f (%d/%d)%n", k, (double) c[0] / c[1], c[0], c[1]));
      benign.sort(Comparator.comparingDouble(i -> -p.get(i).score()));
      System.out.println("top benign by score:");
      for (int i = 0; i < Math.min(60, benign.size()); i++) {
        int j = benign.get(i);
        System.out.printf("  %.5f %-45s %s unit=%s%n", p.get(j).score(), val.get(j).host(), val.get(j).source(),
            model.encoder().unitOf(val.get(j).host()));
      }
      System.out.println("families by recall at threshold (weakest first):");
      fam.entrySet().stream().sorted(Comparator.comparingDouble(e -> (double) e.getValue()[0] / e.getValue()[1]))
          .limit(30).forEach(e -> System.out.printf("  %-18s %.4f (%d rows)%n", e.getKey(),
              (double) e.getValue()[0] / e.getValue()[1], e.getValue()[1]));
      familyHead(model, val, p);
      System.out.println("missed DGA examples:");
      int shown = 0;
      for (int i = 0; i < val.size() && shown < 40; i++) {
        if (val.get(i).dga() && !p.get(i).dga() && i % 7 == 0) {
          System.out.printf("  %.4f %-40s %s%n", p.get(i).score(), val.get(i).host(), val.get(i).family());
          shown++;
        }
      }
    }
  }

  /**
   * The family head on the validation slice: macro-F1 over the merged classes, as the card counts
   * it, and the weakest classes with what they were taken for. Confusions between families that
   * differ in something the network cannot see (label length, before the length bins) show here.
   */
  private static void familyHead(DgaModel model, List<DomainDataset.Row> val, List<Prediction> p) {
    FamilyHeadAnswers answers = FamilyHeadAnswers.of(model.spec().families(), val, p);
    List<String> classes = answers.classes();
    Map<Integer, Map<Integer, Integer>> takenFor = new TreeMap<>();
    for (int i = 0; i < answers.rows(); i++) {
      if (answers.truth()[i] != answers.predicted()[i]) {
        takenFor.computeIfAbsent(answers.truth()[i], k -> new TreeMap<>()).merge(answers.predicted()[i], 1, Integer::sum);
      }
    }
    List<Integer> present = answers.present();
    double[] f1 = answers.f1PerClass();
    System.out.printf("family head: macro-F1 %.4f over %d classes; weakest (taken for):%n",
        answers.macroF1(), present.size());
    present.stream().sorted(Comparator.comparingDouble(c -> f1[c])).limit(20).forEach(c -> System.out.printf(
        "  %-26s F1 %.3f  %s%n", classes.get(c), f1[c], takenFor.getOrDefault(c, Map.of()).entrySet().stream()
            .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed()).limit(3)
            .map(e -> classes.get(e.getKey()) + " " + e.getValue()).collect(Collectors.joining(", "))));
  }
}
