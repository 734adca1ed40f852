package io.dgadmesh.trainer;

import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.InputUnit;
import io.dgadmesh.model.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code dgad-train ablate --data D [--epochs N ...]}: trains the same network on each
 * input unit and compares them on the validation slice, so the choice of unit rests on figures.
 */
final class AblateCommand {
  private AblateCommand() {}

  private static final String HEADER = "| input unit | val AUC | val TPR at FPR 1e-3 | alexa2016 FPR | "
      + "umbrella2025 FPR | val DGA under held-out dyn-DNS parents: recall | val alexa labels under "
      + "them: FPR | val DGA names with a www./mail. subdomain: recall | CDN examples flagged |\n"
      + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";

  static void run(TrainingOptions base, Path report) throws Exception {
    DomainDataset data = DomainDataset.load(base.data);
    List<DomainDataset.Row> val = data.select(DomainDataset.Row::validation);
    StringBuilder md = new StringBuilder(HEADER);
    for (InputUnit unit : InputUnit.values()) {
      TrainingOptions o = base.copy();
      o.inputUnit = unit;
      o.out = Files.createTempDirectory("ablate-" + unit.id());
      Path model = TrainCommand.run(o);
      try (DgaModel m = DgaModel.load(model, 2)) {
        md.append(row(unit, m, val)).append('\n');
      }
      System.out.println(md);
    }
    Files.writeString(report, md.toString());
    System.out.println("written " + report);
  }

  /** Rows for already trained models, one per input unit, as {@link #run} writes them. */
  static void rows(Path data, Path report, Map<InputUnit, Path> models) throws Exception {
    List<DomainDataset.Row> val = DomainDataset.load(data).select(DomainDataset.Row::validation);
    StringBuilder md = new StringBuilder(HEADER);
    for (Map.Entry<InputUnit, Path> unitModel : models.entrySet()) {
      try (DgaModel m = DgaModel.load(unitModel.getValue(), 2)) {
        md.append(row(unitModel.getKey(), m, val)).append('\n');
      }
    }
    Files.writeString(report, md.toString());
    System.out.print(md);
  }

  private static String row(InputUnit unit, DgaModel m, List<DomainDataset.Row> val) {
    List<Prediction> p = Evaluation.classifyHosts(m, val.stream().map(DomainDataset.Row::host).toList());
    List<Float> pos = new ArrayList<>();
    List<Float> neg = new ArrayList<>();
    int[] alexa = new int[2];
    int[] umbrella = new int[2];
    List<String> dgaUnder = new ArrayList<>();
    List<String> benignUnder = new ArrayList<>();
    List<String> dgaWithSub = new ArrayList<>();
    for (int i = 0; i < val.size(); i++) {
      DomainDataset.Row r = val.get(i);
      String parent = Evaluation.HELD_OUT_PARENTS.get(i % Evaluation.HELD_OUT_PARENTS.size());
      if (r.dga()) {
        pos.add(p.get(i).score());
        if (i % 4 == 0) {
          dgaUnder.add(r.groupKey() + "." + parent);
        }
        if (i % 4 == 1) {
          dgaWithSub.add((i % 8 == 1 ? "www." : "mail.") + r.host());
        }
      } else {
        neg.add(p.get(i).score());
        int[] c = "alexa2016".equals(r.source()) ? alexa : umbrella;
        c[0] += p.get(i).dga() ? 1 : 0;
        c[1]++;
        if ("alexa2016".equals(r.source())) {
          benignUnder.add(r.groupKey() + "." + parent);
        }
      }
    }
    float[] ps = ModelTrainer.toArray(pos);
    float[] ns = ModelTrainer.toArray(neg);
    long cdn = m.classify(Evaluation.CDN_EXAMPLES).stream().filter(Prediction::dga).count();
    return String.format("| %s | %.5f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %d of %d |", unit.id(),
        Metrics.auc(ps, ns), Metrics.tprAtFpr(ps, ns, 1e-3), (double) alexa[0] / alexa[1],
        (double) umbrella[0] / umbrella[1], flagged(m, dgaUnder), flagged(m, benignUnder),
        flagged(m, dgaWithSub), cdn, Evaluation.CDN_EXAMPLES.size());
  }

  private static double flagged(DgaModel m, List<String> hosts) {
    return Evaluation.classifyHosts(m, hosts).stream().filter(Prediction::dga).count() / (double) hosts.size();
  }
}
