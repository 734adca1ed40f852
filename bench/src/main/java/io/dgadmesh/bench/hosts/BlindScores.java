package io.dgadmesh.bench.hosts;

import io.dgadmesh.hosts.NameVerdict;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.Prediction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Hides an infected host's DGA names from the model: each gets the score of a benign name of the
 * same split instead of its own, as the names of a family the model has never seen would. This
 * lets the host score be tuned for unseen families on train traffic alone, without the unseen split.
 */
final class BlindScores {

  /** Benign names scored to draw from. */
  static final int SAMPLE = 20_000;

  private final float[] benignScores;
  private final long seed;

  BlindScores(DgaModel model, List<String> benign, long seed) {
    List<String> sample = new ArrayList<>(benign);
    Collections.shuffle(sample, new Random(seed));
    sample = sample.subList(0, Math.min(SAMPLE, sample.size()));
    List<Prediction> p = model.classify(sample);
    benignScores = new float[p.size()];
    for (int i = 0; i < benignScores.length; i++) {
      benignScores[i] = p.get(i).score();
    }
    this.seed = seed;
  }

  /** The verdict with a benign name's score: the same name, scope and domain; never called DGA. */
  NameVerdict blind(NameVerdict v) {
    if (Float.isNaN(v.score())) {
      return v;
    }
    // The same name always gets the same benign score, wherever it is queried.
    int at = new SplittableRandom(seed ^ v.nameHash()).nextInt(benignScores.length);
    return new NameVerdict(v.query(), v.name(), v.registrableDomain(), v.sharedSuffixOwner(), v.scope(),
        benignScores[at], null, false, v.error(), 0, 0);
  }
}
