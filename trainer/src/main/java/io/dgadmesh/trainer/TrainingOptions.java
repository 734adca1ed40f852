package io.dgadmesh.trainer;

import io.dgadmesh.model.InputUnit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every knob of a training run; the defaults are the shipped model's settings. */
public final class TrainingOptions {
  Path data = Path.of("../shared/data");
  Path out = Path.of("target/model");
  InputUnit inputUnit = InputUnit.REGISTRABLE_DOMAIN;
  int epochs = 10;
  /** DGA rows drawn per family per epoch, so the big families do not drown the small ones. */
  int capPerFamily = 3000;
  int batchSize = 256;
  float learningRate = 3e-3f;
  long seed = 20261123L;
  int embedding = 32;
  int[] widths = {2, 3, 4, 5};
  int filters = 64;
  int hidden = 128;
  float dropout = 0.2f;
  /** Tokens including BOS and EOS. */
  int maxLen = 72;
  float familyLossWeight = 0.5f;
  /** Extra share of rows re-parented under dynamic-DNS suffixes (both classes). */
  double augmentShare = 0.05;
  /** Share of the training part used (ablations use less). */
  double trainingShare = 1.0;
  int threads = 2;
  int timeBudgetMinutes = 28;

  /** Applies one {@code --key value} pair. */
  public void set(String key, String value) {
    switch (key) {
      case "--data" -> data = Path.of(value);
      case "--out" -> out = Path.of(value);
      case "--input-unit" -> inputUnit = InputUnit.fromId(value);
      case "--epochs" -> epochs = Integer.parseInt(value);
      case "--cap" -> capPerFamily = Integer.parseInt(value);
      case "--batch" -> batchSize = Integer.parseInt(value);
      case "--lr" -> learningRate = Float.parseFloat(value);
      case "--seed" -> seed = Long.parseLong(value);
      case "--embedding" -> embedding = Integer.parseInt(value);
      case "--widths" -> widths = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
      case "--filters" -> filters = Integer.parseInt(value);
      case "--hidden" -> hidden = Integer.parseInt(value);
      case "--dropout" -> dropout = Float.parseFloat(value);
      case "--max-len" -> maxLen = Integer.parseInt(value);
      case "--family-weight" -> familyLossWeight = Float.parseFloat(value);
      case "--augment" -> augmentShare = Double.parseDouble(value);
      case "--train-share" -> trainingShare = Double.parseDouble(value);
      case "--threads" -> threads = Integer.parseInt(value);
      case "--budget-minutes" -> timeBudgetMinutes = Integer.parseInt(value);
      default -> throw new IllegalArgumentException("unknown option " + key);
    }
  }

  /** For the model's metadata and the card. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input_unit", inputUnit.id());
    m.put("epochs_max", Integer.toString(epochs));
    m.put("cap_per_family", Integer.toString(capPerFamily));
    m.put("batch", Integer.toString(batchSize));
    m.put("learning_rate", Float.toString(learningRate) + " (Adam, cosine decay)");
    m.put("seed", Long.toString(seed));
    m.put("dropout", Float.toString(dropout));
    m.put("family_loss_weight", Float.toString(familyLossWeight));
    m.put("augment_share", Double.toString(augmentShare));
    m.put("training_share", Double.toString(trainingShare));
    m.put("threads", Integer.toString(threads));
    return m;
  }
}
