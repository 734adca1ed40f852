package io.dgadmesh.trainer;

import java.util.Arrays;
import java.util.List;

/** Ranking and classification figures, computed exactly (no sampling). */
public final class Metrics {

  private Metrics() {}

  /** ROC AUC by the Mann-Whitney statistic, ties counted half. */
  public static double auc(float[] positives, float[] negatives) {
    float[] neg = negatives.clone();
    Arrays.sort(neg);
    double sum = 0;
    for (float p : positives) {
      int below = lowerBound(neg, p);
      int notAbove = upperBound(neg, p);
      sum += below + 0.5 * (notAbove - below);
    }
    return sum / ((double) positives.length * neg.length);
  }

  /**
   * The lowest threshold (score >= t is positive) at which at most {@code fpr} of the negatives
   * are positive.
   */
  public static float thresholdAtFpr(float[] negatives, double fpr) {
    float[] neg = negatives.clone();
    Arrays.sort(neg);
    int allowed = (int) Math.floor(fpr * neg.length);
    if (allowed >= neg.length) {
      return Float.NEGATIVE_INFINITY;
    }
    // Scores above neg[n-1-allowed] are at most `allowed` negatives; ties push the threshold up.
    return Math.nextUp(neg[neg.length - 1 - allowed]);
  }

  public static double tprAtFpr(float[] positives, float[] negatives, double fpr) {
    return rate(positives, thresholdAtFpr(negatives, fpr));
  }

  /** Share of scores >= t. */
  public static double rate(float[] scores, float t) {
    if (scores.length == 0) {
      return Double.NaN;
    }
    int n = 0;
    for (float s : scores) {
      if (s >= t) {
        n++;
      }
    }
    return (double) n / scores.length;
  }

  /** Macro-averaged F1 over the given classes; true and predicted are class indices. */
  public static double macroF1(int[] truth, int[] predicted, int classes, List<Integer> present) {
    double[] f1 = f1PerClass(truth, predicted, classes);
    double sum = 0;
    for (int c : present) {
      sum += f1[c];
    }
    return present.isEmpty() ? Double.NaN : sum / present.size();
  }

  /** F1 of each class (0 for a class never true nor predicted); true and predicted are class indices. */
  public static double[] f1PerClass(int[] truth, int[] predicted, int classes) {
    long[] tp = new long[classes];
    long[] fp = new long[classes];
    long[] fn = new long[classes];
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] == predicted[i]) {
        tp[truth[i]]++;
      } else {
        fn[truth[i]]++;
        fp[predicted[i]]++;
      }
    }
    double[] f1 = new double[classes];
    for (int c = 0; c < classes; c++) {
      double p = tp[c] + fp[c] == 0 ? 0 : (double) tp[c] / (tp[c] + fp[c]);
      double r = tp[c] + fn[c] == 0 ? 0 : (double) tp[c] / (tp[c] + fn[c]);
      f1[c] = p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
    return f1;
  }

  private static int lowerBound(float[] a, float v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int upperBound(float[] a, float v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
