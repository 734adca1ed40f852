package io.dgadmesh.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shipped DGA network in ONNX Runtime. Blocking: call it from a worker thread, never
 * from an event loop. One instance is safe for concurrent use (ORT sessions are).
 */
public final class DgaModel implements AutoCloseable {

  public static final String CLASSPATH_MODEL = "/model/dga-detector.onnx";
  public static final String INPUT = "char_ids";
  /** The second input of models that take {@link CharStats}: float [batch, features]. */
  public static final String INPUT_STATS = "char_stats";
  public static final String OUTPUT_SCORE = "dga_score";
  public static final String OUTPUT_FAMILIES = "family_probs";

  private OrtSession session;
  private final ModelSpec spec;
  private final CharEncoder encoder;
  private final long sizeBytes;
  private final ModelVersion version;
  /** Which threshold judges: one of the model's named points, or an operator's own. */
  private volatile OperatingPoint point;

  /**
   * A threshold and its name: one the model ships ({@code strict}, {@code balanced}) or
   * {@value #OPERATOR_POINT} when an operator set the number (DGAD_THRESHOLD). Results say which.
   */
  public record OperatingPoint(String name, float threshold) {}

  /** The name of a threshold an operator set by number. */
  public static final String OPERATOR_POINT = "threshold";

  private DgaModel(byte[] onnx, int threads, SuffixList suffixes) {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtEnvironmentHook.remove(); // never released under a running call (see there)
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(Math.max(1, threads));
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = env.createSession(onnx, options);
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      this.spec = ModelSpec.fromMetadata(meta);
      this.encoder = new CharEncoder(spec, pairedSuffixes(spec, suffixes), CharFeatures.fromMetadata(meta));
      this.sizeBytes = onnx.length;
      this.version = ModelVersion.of(spec.version(), onnx);
      this.point = new OperatingPoint(ModelSpec.DEFAULT_POINT, spec.operatingPoints()
          .getOrDefault(ModelSpec.DEFAULT_POINT, spec.threshold()));
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the ONNX model: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      closeQuietly();
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The suffix list, if it is the one the model was trained with: the same host read with another
   * list is another input (x.co.cc is "x" under one and "co" under the other), so scores would
   * drift without a sign. Models that predate the hash take the node's list.
   */
  private static SuffixList pairedSuffixes(ModelSpec spec, SuffixList suffixes) {
    if (!spec.pslHash().isEmpty() && !spec.pslHash().equals(suffixes.sha256())) {
      throw new IllegalArgumentException("the model was trained with the suffix list of sha256 "
          + spec.pslHash().substring(0, Math.min(12, spec.pslHash().length())) + ", but this node reads "
          + suffixes + " (classifier.pslPath): serve the model with the list it was trained with, or retrain it"
          + " with this one (bin/dgad-train train --psl FILE)");
    }
    return suffixes;
  }

  private void closeQuietly() {
    try {
      if (session != null) {
        session.close();
      }
    } catch (OrtException ignored) {
      // already failing with the reason
    }
  }

  /** The model shipped inside the jar. */
  public static DgaModel loadDefault(int threads) {
    return new DgaModel(defaultBytes(), threads, SuffixList.bundled());
  }

  public static DgaModel load(Path file, int threads) {
    try {
      return new DgaModel(Files.readAllBytes(file), threads, SuffixList.bundled());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + file, e);
    }
  }

  /** A model from the bytes of an ONNX file (read once, so several sessions share one version). */
  public static DgaModel load(byte[] onnx, int threads) {
    return new DgaModel(onnx, threads, SuffixList.bundled());
  }

  /**
   * As {@link #load(byte[], int)}, reading host names with {@code suffixes} (the node's classifier.pslPath); fails
   * with {@link IllegalStateException} if the model was trained with another list.
   */
  public static DgaModel load(byte[] onnx, int threads, SuffixList suffixes) {
    return new DgaModel(onnx, threads, suffixes);
  }

  /** The shipped model's bytes: to open sessions of it with {@link #load(byte[], int)}. */
  public static byte[] defaultBytes() {
    try (InputStream in = DgaModel.class.getResourceAsStream(CLASSPATH_MODEL)) {
      if (in == null) {
        throw new IllegalStateException("no model at classpath " + CLASSPATH_MODEL);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names the probe of {@link #check} classifies: one plainly benign, one plainly generated. */
  private static final List<String> PROBE = List.of("example.com", "xjwqkfzvbnmtrplhgdsq.com");

  /**
   * Classifies two probe names and checks the answers have the shape the node reads (a score in
   * [0, 1] per name, one probability per family). A file that loads (valid ONNX, dgad metadata)
   * but has other inputs or outputs fails here, once, with the reason, instead of failing every
   * request later. Returns this model; throws {@link IllegalStateException} otherwise.
   */
  public DgaModel check() {
    Raw raw;
    try {
      raw = run(encoder.encodeUnits(PROBE.stream().map(encoder::unitOf).toList()));
    } catch (RuntimeException e) {
      throw new IllegalStateException("the model loads but does not classify: " + e.getMessage(), e);
    }
    if (raw.scores().length != PROBE.size() || raw.familyProbs().length != PROBE.size() * raw.families()) {
      throw new IllegalStateException("the model's outputs do not match its metadata: " + raw.scores().length
          + " scores and " + raw.familyProbs().length + " family probabilities for " + PROBE.size() + " names and "
          + raw.families() + " families");
    }
    for (float s : raw.scores()) {
      if (!(s >= 0f && s <= 1f)) {
        throw new IllegalStateException("the model's score " + s + " is not a probability");
      }
    }
    return this;
  }

  /**
   * The version that tells this model apart from any other: the trainer's version and a hash of
   * the file's bytes ({@link ModelVersion}).
   */
  public ModelVersion version() {
    return version;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Score at or above which a name is called DGA. */
  public float threshold() {
    return point.threshold();
  }

  /** The threshold that judges, and its name. */
  public OperatingPoint operatingPoint() {
    return point;
  }

  /** Judges at one of the model's named points ({@link ModelSpec#operatingPoints}). */
  public void usePoint(String name) {
    Float t = spec.operatingPoints().get(name);
    if (t == null) {
      throw new IllegalArgumentException("the model has no operating point '" + name + "' (it has "
          + String.join(", ", spec.operatingPoints().keySet()) + ")");
    }
    this.point = new OperatingPoint(name, t);
  }

  /** Replaces the model's threshold with an operator's; results then name the point {@value #OPERATOR_POINT}. */
  public void overrideThreshold(float t) {
    if (!(t > 0f && t < 1f)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1, got " + t);
    }
    this.point = new OperatingPoint(OPERATOR_POINT, t);
  }

  public CharEncoder encoder() {
    return encoder;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  /** Raw outputs for a batch: scores [rows] and family probabilities [rows * K]. */
  public record Raw(float[] scores, float[] familyProbs, int families) {}

  public Raw run(CharEncoder.Batch batch) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    if (spec.hasCharStats() != (batch.stats() != null)) {
      throw new IllegalArgumentException(spec.hasCharStats() ? "the model takes character statistics; encode with its encoder()"
          : "the model takes no character statistics");
    }
    try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()),
            new long[] {batch.rows(), batch.width()});
         OnnxTensor stats = batch.stats() == null ? null : OnnxTensor.createTensor(env,
             FloatBuffer.wrap(batch.stats()), new long[] {batch.rows(), batch.statsWidth()});
         OrtSession.Result result = session.run(stats == null ? Map.of(INPUT, input)
             : Map.of(INPUT, input, INPUT_STATS, stats))) {
      FloatBuffer s = ((OnnxTensor) result.get(OUTPUT_SCORE).orElseThrow()).getFloatBuffer();
      FloatBuffer f = ((OnnxTensor) result.get(OUTPUT_FAMILIES).orElseThrow()).getFloatBuffer();
      float[] scores = new float[s.remaining()];
      s.get(scores);
      float[] fam = new float[f.remaining()];
      f.get(fam);
      return new Raw(scores, fam, spec.families().size());
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  /**
   * Names per ONNX run. Larger batches are cut into runs of names of similar length, so a short
   * name is not padded to the longest name of a big batch (the network masks padding, so the
   * scores do not change; only the wasted work does). 32 because the convolutions are table
   * lookups whose [run, positions, channels] intermediates should stay in cache; runs of 16 were
   * slower and runs of 64 no faster (figures in the model card, "Speed").
   */
  public static final int RUN_SIZE = 32;

  /** Classifies normalised host names (see {@link HostnameNormalizer}), in order. */
  public List<Prediction> classify(List<String> hosts) {
    int n = hosts.size();
    if (n == 0) {
      return List.of();
    }
    String[] units = new String[n];
    for (int i = 0; i < n; i++) {
      units[i] = encoder.unitOf(hosts.get(i));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (n > RUN_SIZE) {
      java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> units[i].length()));
    }
    Prediction[] out = new Prediction[n];
    for (int start = 0; start < n; start += RUN_SIZE) {
      int end = Math.min(n, start + RUN_SIZE);
      List<String> part = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        part.add(units[order[i]]);
      }
      Raw raw = run(encoder.encodeUnits(part));
      for (int i = start; i < end; i++) {
        out[order[i]] = predictionAt(raw, i - start);
      }
    }
    return java.util.Arrays.asList(out);
  }

  private Prediction predictionAt(Raw raw, int row) {
    int k = raw.families();
    float[] p = raw.familyProbs();
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (p[row * k + j] > p[row * k + best]) {
        best = j;
      }
    }
    float score = raw.scores()[row];
    boolean dga = score >= point.threshold();
    return new Prediction(score, dga, dga ? spec.families().get(best) : null, p[row * k + best], best);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // Closing releases native memory; nothing useful to do if it fails.
    }
  }
}
