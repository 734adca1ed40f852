package io.dgadmesh.trainer;

import io.dgadmesh.model.CharFeatures;
import io.dgadmesh.model.CharLm;
import io.dgadmesh.model.CharStats;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The character LMs of a training run (benign, and one per word-list DGA family) and the
 * statistics of its examples. A training label an LM has counted is scored leaving itself out of
 * that LM's counts: scored by a model that has seen it, a benign label would look more benign, and
 * a suppobox label more like suppobox, than any new name of its kind does, and the network would
 * learn a boundary that new names fall on the wrong side of. Every other name (validation,
 * synthetic, served) is scored with the tables the model ships, as the node does.
 */
final class TrainingFeatures {

  private final LmCounts benign;
  private final Map<String, LmCounts> words = new LinkedHashMap<>();
  private final CharFeatures tables;
  private final Map<String, float[]> leftOut = new HashMap<>();

  /** One LM's counts, the labels they hold and their table. */
  private record LmCounts(CharLm.Counts counts, Set<String> labels, CharLm table) {
    static LmCounts of(Collection<String> labels) {
      CharLm.Counts c = new CharLm.Counts();
      Set<String> distinct = new LinkedHashSet<>(labels);
      for (String l : distinct) {
        c.add(l);
      }
      return new LmCounts(c, distinct, c.table());
    }

    double bits(String label) {
      return labels.contains(label) ? counts.bitsPerCharLeavingOut(label) : table.bitsPerChar(label);
    }
  }

  /** Benign labels only: the {@link CharStats#BASE} features. */
  TrainingFeatures(Collection<String> benignLabels) {
    this(benignLabels, Map.of());
  }

  /**
   * {@code benignLabels}: the registrable labels of the benign training rows; {@code wordFamilies}:
   * those of each word-list family's training rows, in the order the model records them.
   */
  TrainingFeatures(Collection<String> benignLabels, Map<String, ? extends Collection<String>> wordFamilies) {
    this(benignLabels, wordFamilies, 0);
  }

  /** As above, the statistics followed by {@code lengthBins} one-hot length bins. */
  TrainingFeatures(Collection<String> benignLabels, Map<String, ? extends Collection<String>> wordFamilies,
      int lengthBins) {
    benign = LmCounts.of(benignLabels);
    Map<String, CharLm> wordTables = new LinkedHashMap<>();
    wordFamilies.forEach((family, labels) -> {
      LmCounts c = LmCounts.of(labels);
      words.put(family, c);
      wordTables.put(family, c.table());
    });
    tables = new CharFeatures(benign.table(), wordTables, lengthBins);
  }

  /** The tables the model ships. */
  CharFeatures tables() {
    return tables;
  }

  int labels() {
    return benign.labels().size();
  }

  int wordLabels(String family) {
    return words.get(family).labels().size();
  }

  /** Whether {@code label}'s statistics leave it out of some LM's counts (a training label). */
  boolean counted(String label) {
    if (benign.labels().contains(label)) {
      return true;
    }
    for (LmCounts c : words.values()) {
      if (c.labels().contains(label)) {
        return true;
      }
    }
    return false;
  }

  /** The statistics of a training label, as if no LM had seen it. Not thread-safe. */
  float[] leavingOut(String label) {
    return leftOut.computeIfAbsent(label, l -> {
      double[] wordBits = new double[words.size()];
      int i = 0;
      for (LmCounts c : words.values()) {
        wordBits[i++] = c.bits(l);
      }
      float[] out = new float[tables.count()];
      tables.compute(l, benign.bits(l), wordBits, out, 0);
      return out;
    });
  }
}
