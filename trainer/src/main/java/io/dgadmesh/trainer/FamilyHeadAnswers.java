package io.dgadmesh.trainer;

import io.dgadmesh.model.Prediction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The family head's answers on the DGA rows of the classes it was trained on, as the card counts
 * them: the head's argmax whatever the binary verdict, families that share a generator merged
 * ({@link FamilyGroups}). One place for the card, {@code compare} and {@code analyse}.
 */
record FamilyHeadAnswers(List<String> classes, int[] truth, int[] predicted) {

  /** {@code rows} and {@code predictions} in the same order; benign rows and unknown families are skipped. */
  static FamilyHeadAnswers of(List<String> classes, List<DomainDataset.Row> rows, List<Prediction> predictions) {
    Map<String, Integer> index = new HashMap<>();
    for (String c : classes) {
      index.put(c, index.size());
    }
    List<int[]> pairs = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      DomainDataset.Row r = rows.get(i);
      Integer t = r.dga() ? index.get(FamilyGroups.of(r.family())) : null;
      if (t != null) {
        pairs.add(new int[] {t, predictions.get(i).familyIndex()});
      }
    }
    return new FamilyHeadAnswers(classes, pairs.stream().mapToInt(x -> x[0]).toArray(),
        pairs.stream().mapToInt(x -> x[1]).toArray());
  }

  int rows() {
    return truth.length;
  }

  /** The classes with at least one row: the ones macro-F1 averages over. */
  List<Integer> present() {
    TreeSet<Integer> present = new TreeSet<>();
    for (int t : truth) {
      present.add(t);
    }
    return new ArrayList<>(present);
  }

  double macroF1() {
    return Metrics.macroF1(truth, predicted, classes.size(), present());
  }

  double[] f1PerClass() {
    return Metrics.f1PerClass(truth, predicted, classes.size());
  }

  double accuracy() {
    int right = 0;
    for (int i = 0; i < truth.length; i++) {
      right += truth[i] == predicted[i] ? 1 : 0;
    }
    return (double) right / Math.max(1, truth.length);
  }
}
