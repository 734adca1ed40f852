package io.dgadmesh.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.dgadmesh.model.CharEncoder;
import io.dgadmesh.model.CharStats;
import io.dgadmesh.model.SuffixList;
import io.dgadmesh.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Trains a {@link DgaNetwork} with DJL on the PyTorch CPU engine. */
public final class ModelTrainer implements AutoCloseable {

  private final TrainingOptions options;
  private final CharEncoder encoder;
  private final TrainingFeatures features;
  private final DgaNetwork network;
  private final Model model;
  private final Trainer trainer;
  private final MutableRate rate = new MutableRate();
  private float benignWeight = 1f;

  /** {@code features}: the run's character LM and statistics, or null for a network of characters only. */
  ModelTrainer(TrainingOptions options, ModelSpec spec, SuffixList suffixes, TrainingFeatures features) {
    DjlSetup.configure(options.threads);
    this.options = options;
    this.features = features;
    this.encoder = new CharEncoder(spec, suffixes, features == null ? null : features.tables());
    Engine.getEngine("PyTorch").setRandomSeed((int) options.seed);
    NetworkShape shape = new NetworkShape(spec.vocabularySize(), options.embedding, options.widths,
        options.filters, options.hidden, spec.families().size(), options.ngram, options.buckets,
        options.ngramDim, features == null ? 0 : features.tables().count());
    this.network = new DgaNetwork(shape, options.dropout);
    this.model = Model.newInstance("dga-detector", "PyTorch");
    model.setBlock(network);
    this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
        .optDevices(new Device[] {Device.cpu()})
        .optOptimizer(Optimizer.adam().optLearningRateTracker(rate).build()));
    if (features == null) {
      trainer.initialize(new Shape(options.batchSize, 16));
    } else {
      trainer.initialize(new Shape(options.batchSize, 16), new Shape(options.batchSize, features.tables().count()));
    }
  }

  public DgaNetwork network() {
    return network;
  }

  public long parameterCount() {
    long n = 0;
    for (var p : network.getParameters().values()) {
      n += p.getArray().size();
    }
    return n;
  }

  /**
   * Results of one epoch on the validation slice; {@code averaged}: of the mean weights of that
   * many epochs ending with this one (0: the epoch's own weights).
   */
  public record EpochReport(int epoch, double loss, double auc, double tprAt1e3, double familyAccuracy,
      double seconds, double examplesPerSecond, int averaged) {}

  /** A labelled validation set in encoded-unit form. */
  public record LabelledUnits(List<String> units, boolean[] dga, int[] family) {}

  public interface Progress {
    void epoch(EpochReport report);
  }

  /**
   * Runs epochs with a cosine-decayed learning rate until done or out of time. With
   * {@code --average-last N} the network ends with the mean of the last N epochs' weights (fewer
   * when the time budget stops it early), and the last report is of those weights.
   */
  public List<EpochReport> train(TrainingExamples examples, LabelledUnits validation, Progress progress) {
    try (WeightAverage average = new WeightAverage(network.getParameters(), trainer.getManager())) {
      List<EpochReport> reports = trainEpochs(examples, validation, progress, average);
      if (average.snapshots() > 1) {
        average.apply();
        EpochReport last = reports.get(reports.size() - 1);
        Scores sc = score(validation.units());
        EpochReport r = validate(last.epoch(), last.loss(), validation, sc, last.seconds(), last.examplesPerSecond(),
            average.snapshots());
        reports.add(r);
        progress.epoch(r);
      }
      return reports;
    }
  }

  private List<EpochReport> trainEpochs(TrainingExamples examples, LabelledUnits validation, Progress progress,
      WeightAverage average) {
    Random rnd = new Random(options.seed);
    List<EpochReport> reports = new ArrayList<>();
    long start = System.nanoTime();
    double budget = options.timeBudgetMinutes * 60.0;
    int stepsPerEpoch = -1;
    int step = 0;
    for (int epoch = 1; epoch <= options.epochs; epoch++) {
      long t0 = System.nanoTime();
      List<TrainingExamples.Example> drawn = examples.epoch(rnd);
      long dgaCount = drawn.stream().filter(TrainingExamples.Example::dga).count();
      benignWeight = options.benignWeight * dgaCount / (float) Math.max(1, drawn.size() - dgaCount);
      List<List<TrainingExamples.Example>> batches =
          TrainingExamples.batches(drawn, options.batchSize, rnd);
      if (stepsPerEpoch < 0) {
        stepsPerEpoch = batches.size();
      }
      int totalSteps = stepsPerEpoch * options.epochs;
      double lossSum = 0;
      long seen = 0;
      for (List<TrainingExamples.Example> batch : batches) {
        float lr = cosine(options.learningRate, step++, totalSteps);
        setLearningRate(lr);
        lossSum += trainBatch(batch) * batch.size();
        seen += batch.size();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      if (!Double.isFinite(lossSum)) {
        // Seen with oneDNN's AVX-512 kernels on an AMD EPYC VM: every later epoch would be garbage too.
        throw new IllegalStateException("the training loss is " + lossSum + " in epoch " + epoch + ": the network"
            + " diverged or the CPU kernels compute wrongly here; bin/dgad-train sets ONEDNN_MAX_CPU_ISA=AVX2"
            + " (now: " + System.getenv("ONEDNN_MAX_CPU_ISA") + ")");
      }
      EpochReport r = validate(epoch, lossSum / seen, validation, score(validation.units()), secs, seen / secs, 0);
      reports.add(r);
      if (epoch > options.epochs - options.averageLast) {
        average.add();
      }
      progress.epoch(r);
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (elapsed + secs * 1.05 > budget && epoch < options.epochs) {
        System.out.printf("time budget: stopping after epoch %d (%.0f s used of %.0f s)%n", epoch, elapsed, budget);
        break;
      }
    }
    return reports;
  }

  private static float cosine(float base, int step, int total) {
    double progress = Math.min(1.0, (double) step / Math.max(1, total));
    return (float) (base * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * progress))));
  }

  private void setLearningRate(float lr) {
    rate.value = lr;
  }

  /** DJL's Adam reads its rate from a tracker; this one follows our per-step schedule. */
  private static final class MutableRate implements Tracker {
    volatile float value;

    @Override
    public float getNewValue(int numUpdate) {
      return value;
    }
  }

  private double trainBatch(List<TrainingExamples.Example> batch) {
    int n = batch.size();
    List<String> units = new ArrayList<>(n);
    float[] y = new float[n];
    float[] w = new float[n];
    int[] fam = new int[n];
    float[] famW = new float[n];
    for (int i = 0; i < n; i++) {
      TrainingExamples.Example e = batch.get(i);
      units.add(e.unit());
      float eps = options.labelSmoothing;
      y[i] = e.dga() ? 1f - eps : eps;
      w[i] = e.dga() ? 1f : benignWeight;
      fam[i] = Math.max(0, e.family());
      famW[i] = e.dga() ? e.weight() : 0f;
    }
    CharEncoder.Batch enc = encoder.encodeUnits(units);
    if (enc.stats() != null) {
      for (int i = 0; i < n; i++) {
        TrainingExamples.Example e = batch.get(i);
        String label = encoder.labelOfUnit(e.unit());
        if (e.counted() && features.counted(label)) {
          System.arraycopy(features.leavingOut(label), 0, enc.stats(), i * enc.statsWidth(), enc.statsWidth());
        }
      }
    }
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray labels = m.create(y);
      NDArray weights = m.create(w);
      NDArray famOneHot = m.create(fam).oneHot(network.shape().families());
      NDArray famWeights = m.create(famW);
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDList out = trainer.forward(inputs(m, enc));
        NDArray logit = out.get(0);
        NDArray bce = logit.maximum(0f).sub(logit.mul(labels)).add(logit.abs().neg().exp().add(1f).log());
        NDArray binLoss = bce.mul(weights).sum().div(weights.sum());
        NDArray nll = out.get(1).logSoftmax(1).mul(famOneHot).sum(new int[] {1}).neg();
        NDArray famLoss = nll.mul(famWeights).sum().div(famWeights.sum().add(1e-6f));
        NDArray loss = binLoss.add(famLoss.mul(options.familyLossWeight));
        gc.backward(loss);
        double v = loss.getFloat();
        trainer.step();
        return v;
      }
    }
  }

  /** Binary scores and family argmax for units, in order, batched by length. */
  public record Scores(float[] score, int[] family) {}

  public Scores score(List<String> units) {
    float[] s = new float[units.size()];
    int[] f = new int[units.size()];
    Integer[] order = new Integer[units.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> units.get(i).length()));
    int bs = 1024;
    for (int start = 0; start < order.length; start += bs) {
      int end = Math.min(order.length, start + bs);
      List<String> part = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        part.add(units.get(order[i]));
      }
      CharEncoder.Batch enc = encoder.encodeUnits(part);
      try (NDManager m = trainer.getManager().newSubManager()) {
        NDList out = trainer.evaluate(inputs(m, enc));
        float[] logits = out.get(0).toFloatArray();
        long[] arg = out.get(1).argMax(1).toLongArray();
        for (int i = start; i < end; i++) {
          s[order[i]] = (float) (1.0 / (1.0 + Math.exp(-logits[i - start])));
          f[order[i]] = (int) arg[i - start];
        }
      }
    }
    return new Scores(s, f);
  }

  /** The network's inputs for a batch: ids, and the statistics when it takes them. */
  private static NDList inputs(NDManager m, CharEncoder.Batch enc) {
    NDArray ids = m.create(enc.ids(), new Shape(enc.rows(), enc.width()));
    return enc.stats() == null ? new NDList(ids)
        : new NDList(ids, m.create(enc.stats(), new Shape(enc.rows(), enc.statsWidth())));
  }

  public CharEncoder encoder() {
    return encoder;
  }

  private EpochReport validate(int epoch, double loss, LabelledUnits val, Scores sc, double secs, double rate,
      int averaged) {
    List<Float> pos = new ArrayList<>();
    List<Float> neg = new ArrayList<>();
    int famTotal = 0;
    int famRight = 0;
    for (int i = 0; i < sc.score().length; i++) {
      if (val.dga()[i]) {
        pos.add(sc.score()[i]);
        if (val.family()[i] >= 0) {
          famTotal++;
          famRight += sc.family()[i] == val.family()[i] ? 1 : 0;
        }
      } else {
        neg.add(sc.score()[i]);
      }
    }
    float[] p = toArray(pos);
    float[] n = toArray(neg);
    return new EpochReport(epoch, loss, Metrics.auc(p, n), Metrics.tprAtFpr(p, n, 1e-3),
        famTotal == 0 ? Double.NaN : (double) famRight / famTotal, secs, rate, averaged);
  }

  static float[] toArray(List<Float> l) {
    float[] a = new float[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
  }
}
