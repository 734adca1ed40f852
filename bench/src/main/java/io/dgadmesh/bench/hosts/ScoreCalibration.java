package io.dgadmesh.bench.hosts;

import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.Prediction;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the table of {@code io.dgadmesh.hosts.NameEvidence}: per model-score bin, the log ratio
 * of the share of DGA names (every family weighing the same) to the share of benign names that fall
 * in it, on the train split's validation slice, made non-decreasing in the score (pool-adjacent
 * violators, weighted by the bins' mass). Prints the Java array to paste.
 *
 * <pre>  ScoreCalibration --data DIR [--threads N]</pre>
 */
public final class ScoreCalibration {

  /** Upper bin edges; must match NameEvidence.UPPER_EDGES. */
  static final double[] UPPER_EDGES = {
      0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0};
  /** Added to both shares so an empty bin gives a finite ratio. */
  static final double SMOOTHING = 1e-5;
  /** Families with fewer validation names than this are too noisy to weigh as much as the rest. */
  static final int MIN_FAMILY_NAMES = 5;

  private ScoreCalibration() {}

  public static void main(String[] args) {
    Path data = null;
    int threads = 2;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (data == null) {
      throw new IllegalArgumentException("--data DIR is required");
    }
    SplitData split = SplitData.load(data, "train");
    try (DgaModel model = DgaModel.loadDefault(threads)) {
      double[] benign = shares(model.classify(split.benignByRank()));
      double[] dga = new double[UPPER_EDGES.length];
      int families = 0;
      for (Map.Entry<String, List<String>> f : split.dgaByFamily().entrySet()) {
        if (f.getValue().size() < MIN_FAMILY_NAMES) {
          continue;
        }
        families++;
        double[] s = shares(model.classify(f.getValue()));
        for (int i = 0; i < s.length; i++) {
          dga[i] += s[i];
        }
      }
      double[] llr = new double[dga.length];
      double[] mass = new double[dga.length];
      for (int i = 0; i < dga.length; i++) {
        dga[i] /= families;
        llr[i] = Math.log((dga[i] + SMOOTHING) / (benign[i] + SMOOTHING));
        mass[i] = dga[i] + benign[i];
      }
      double[] monotone = poolAdjacentViolators(llr, mass);
      System.out.printf(Locale.ROOT, "%d benign names, %d families (train validation slice)%n",
          split.benignByRank().size(), families);
      StringBuilder b = new StringBuilder("  static final double[] LOG_LR = {");
      for (int i = 0; i < monotone.length; i++) {
        System.out.printf(Locale.ROOT, "  < %.3f  benign %.5f  dga %.5f  llr %6.2f  monotone %6.2f%n",
            UPPER_EDGES[i], benign[i], dga[i], llr[i], monotone[i]);
        b.append(String.format(Locale.ROOT, "%s%.2f", i == 0 ? "" : ", ", monotone[i]));
      }
      System.out.println(b.append("};"));
      System.out.printf(Locale.ROOT, "  public static final String MEASURED_WITH = \"%s\";%n", model.spec().version());
    }
  }

  private static double[] shares(List<Prediction> p) {
    double[] s = new double[UPPER_EDGES.length];
    for (Prediction x : p) {
      s[bin(x.score())] += 1.0 / p.size();
    }
    return s;
  }

  static int bin(float score) {
    for (int i = 0; i < UPPER_EDGES.length; i++) {
      if (score < UPPER_EDGES[i]) {
        return i;
      }
    }
    return UPPER_EDGES.length - 1;
  }

  /** The weighted least-squares non-decreasing fit of {@code v}. */
  static double[] poolAdjacentViolators(double[] v, double[] w) {
    int n = v.length;
    double[] value = new double[n];
    double[] weight = new double[n];
    int[] size = new int[n];
    int blocks = 0;
    for (int i = 0; i < n; i++) {
      value[blocks] = v[i];
      weight[blocks] = Math.max(w[i], 1e-12);
      size[blocks] = 1;
      blocks++;
      while (blocks > 1 && value[blocks - 2] > value[blocks - 1]) {
        double tw = weight[blocks - 2] + weight[blocks - 1];
        value[blocks - 2] = (value[blocks - 2] * weight[blocks - 2] + value[blocks - 1] * weight[blocks - 1]) / tw;
        weight[blocks - 2] = tw;
        size[blocks - 2] += size[blocks - 1];
        blocks--;
      }
    }
    double[] out = new double[n];
    int k = 0;
    for (int b = 0; b < blocks; b++) {
      for (int j = 0; j < size[b]; j++) {
        out[k++] = value[b];
      }
    }
    return out;
  }
}
