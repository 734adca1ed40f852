package io.dgadmesh.hosts;

import java.util.Optional;

/**
 * How much one model score says about a name: the log-likelihood ratio
 * {@code ln P(score | DGA name) / P(score | benign name)} of the shipped model, measured per score
 * bin on the validation slice of the train split (names the network was not fitted on; every DGA
 * family weighs the same), made monotone in the score. {@code bench ...hosts.ScoreCalibration}
 * prints this table from the data; it belongs to the shipped model and must be measured again
 * with a new one ({@link #MEASURED_WITH} names it, and a test holds it to the model in the jar).
 *
 * <p>The table knows only families the model was trained on. A name of a family the model has
 * never seen (the wordlist DGAs, say) looks benign to it, so a low score must not count as strong
 * proof of innocence: with a share {@code u} of DGA names assumed to come from families the model
 * cannot recognise (and to score like benign names), the ratio becomes
 * {@code (1 - u) * LR(score) + u}, whose logarithm never falls below {@code ln u}.
 */
public final class NameEvidence {

  /** Upper bin edges of the model score; the last bin takes everything up to 1. */
  static final double[] UPPER_EDGES = {
      0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0};

  /** The version of the model the table was measured with: the model shipped in the jar. */
  public static final String MEASURED_WITH = "2.4.0+d3517216";

  /** ln LR per bin, from the validation slice (see the class comment). */
  static final double[] LOG_LR = {
      -9.58, -9.58, -6.09, -6.09, -4.15, -4.11, -2.06, -1.80, 0.01, 0.34, 1.17, 2.56, 3.89, 4.60, 5.89, 8.07, 10.01,
      10.01};

  private NameEvidence() {}

  /**
   * Whether the table belongs to a served model, named as results name it ({@code declared@hash},
   * or just the declared version): a node serving another model ({@code classifier.modelPath})
   * weighs its scores with a table measured for the shipped one.
   */
  public static boolean measuredFor(String model) {
    if (model == null) {
      return false;
    }
    int at = model.indexOf('@');
    return (at < 0 ? model : model.substring(0, at)).equals(MEASURED_WITH);
  }

  /** What to tell the operator when host scores weigh the names of {@code model}; empty when the table is its own. */
  public static Optional<String> approximateFor(String model) {
    return measuredFor(model) ? Optional.empty() : Optional.of("host scores weigh the names"
        + " judged by model " + model + " with the name-evidence table measured for model " + MEASURED_WITH
        + ": host verdicts are approximate until bench's hosts.ScoreCalibration is run for it (docs/host-score.md)");
  }

  /** Score bins of the table. */
  public static final int BINS = UPPER_EDGES.length;

  /** The table's bin of a score. */
  public static int bin(float score) {
    for (int i = 0; i < UPPER_EDGES.length; i++) {
      if (score < UPPER_EDGES[i]) {
        return i;
      }
    }
    return UPPER_EDGES.length - 1;
  }

  /** The table's ln LR for a score (no unseen-family share); 0 for NaN (a name not judged). */
  public static double tableLlr(float score) {
    return Float.isNaN(score) ? 0 : LOG_LR[bin(score)];
  }

  /**
   * The evidence of a score once families the model has not seen are allowed for: {@code
   * ln((1 - u) * LR(score) + u)}. A score of NaN (a name not judged) says nothing: 0.
   */
  public static double llr(float score, double unseenShare) {
    return Float.isNaN(score) ? 0 : llrOfBin(bin(score), unseenShare);
  }

  /** {@link #llr} of a bin. */
  public static double llrOfBin(int bin, double unseenShare) {
    return Math.log((1 - unseenShare) * Math.exp(LOG_LR[bin]) + unseenShare);
  }
}
