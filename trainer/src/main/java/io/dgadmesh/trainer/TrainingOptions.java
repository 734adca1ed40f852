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
  int epochs = 30;
  /** DGA rows drawn per family per epoch, so the big families do not drown the small ones. */
  int capPerFamily = 4000;
  int batchSize = 256;
  float learningRate = 3e-3f;
  long seed = 20261123L;
  int embedding = 24;
  int[] widths = {2, 3, 4, 5, 6, 7};
  int filters = 48;
  int hidden = 256;
  /** Hashed character n-grams (0 = off): cheap memory for dictionary DGAs' words. */
  int ngram = 0;
  int buckets = 16384;
  int ngramDim = 16;
  float dropout = 0.2f;
  /** Tokens including BOS and EOS. */
  int maxLen = 72;
  float familyLossWeight = 0.5f;
  /** Share of rows re-parented under user-chosen-name suffixes (both classes; see TrainingExamples). */
  double augmentShare = 0.05;
  /** Of the re-parented rows, the share put under any PSL private suffix instead (0 = off). */
  double privateSuffixShare = 0.0;
  /** Share of the training part used (ablations use less). */
  double trainingShare = 1.0;
  /** Binary targets become eps and 1-eps: keeps logits finite, so float32 scores keep their order. */
  float labelSmoothing = 0.01f;
  /** Multiplier on the benign class weight (1 = both classes weigh the same in total). */
  float benignWeight = 1.0f;
  int threads = 2;
  int timeBudgetMinutes = 28;

  /** PADs the encoder must add after EOS: the widest convolution or n-gram minus one. */
  public int tailPad() {
    int w = java.util.Arrays.stream(widths).max().orElse(1);
    return Math.max(w, ngram) - 1;
  }

  public TrainingOptions copy() {
    TrainingOptions o = new TrainingOptions();
    for (java.lang.reflect.Field f : TrainingOptions.class.getDeclaredFields()) {
      try {
        f.set(o, f.get(this));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return o;
  }

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
      case "--ngram" -> ngram = Integer.parseInt(value);
      case "--buckets" -> buckets = Integer.parseInt(value);
      case "--ngram-dim" -> ngramDim = Integer.parseInt(value);
      case "--hidden" -> hidden = Integer.parseInt(value);
      case "--dropout" -> dropout = Float.parseFloat(value);
      case "--max-len" -> maxLen = Integer.parseInt(value);
      case "--family-weight" -> familyLossWeight = Float.parseFloat(value);
      case "--augment" -> augmentShare = Double.parseDouble(value);
      case "--private-suffix-share" -> privateSuffixShare = Double.parseDouble(value);
      case "--train-share" -> trainingShare = Double.parseDouble(value);
      case "--label-smoothing" -> labelSmoothing = Float.parseFloat(value);
      case "--benign-weight" -> benignWeight = Float.parseFloat(value);
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
    m.put("private_suffix_share", Double.toString(privateSuffixShare));
    m.put("training_share", Double.toString(trainingShare));
    m.put("label_smoothing", Float.toString(labelSmoothing));
    m.put("benign_weight", Float.toString(benignWeight) + " x (DGA rows / benign rows)");
    m.put("threads", Integer.toString(threads));
    return m;
  }
}
