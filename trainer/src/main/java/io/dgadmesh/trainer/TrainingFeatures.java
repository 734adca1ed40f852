package io.dgadmesh.trainer;

import io.dgadmesh.model.CharLm;
import io.dgadmesh.model.CharStats;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The benign character LM of a training run and the statistics of its examples. A benign
 * training label is scored leaving itself out of the LM's counts: scored by a model that has seen
 * it, it would look more benign than any new benign name does, and the network would learn a
 * boundary that new benign names fall on the wrong side of. Every other name (DGA, validation,
 * served) is scored with the table the model ships, as the node does.
 */
final class TrainingFeatures {

  private final CharLm.Counts counts = new CharLm.Counts();
  private final Set<String> counted;
  private final CharLm table;
  private final Map<String, float[]> leftOut = new HashMap<>();

  /** {@code benignLabels}: the registrable labels of the benign training rows (each counted once). */
  TrainingFeatures(Collection<String> benignLabels) {
    counted = new LinkedHashSet<>(benignLabels);
    for (String label : counted) {
      counts.add(label);
    }
    table = counts.table();
  }

  CharLm table() {
    return table;
  }

  int labels() {
    return counted.size();
  }

  /** Whether {@code label}'s statistics leave it out of the counts (a benign training label). */
  boolean counted(String label) {
    return counted.contains(label);
  }

  /** The statistics of a benign training label, as if the LM had not seen it. Not thread-safe. */
  float[] leavingOut(String label) {
    return leftOut.computeIfAbsent(label, l -> {
      float[] out = new float[CharStats.COUNT];
      CharStats.compute(l, counts.bitsPerCharLeavingOut(l), out, 0);
      return out;
    });
  }
}
