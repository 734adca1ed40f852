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
  public static final String OUTPUT_SCORE = "dga_score";
  public static final String OUTPUT_FAMILIES = "family_probs";

  private final OrtSession session;
  private final ModelSpec spec;
  private final CharEncoder encoder;
  private final long sizeBytes;
  private final ModelVersion version;
  /** The model's own threshold unless an operator overrides it for their traffic. */
  private volatile float threshold;

  private DgaModel(byte[] onnx, int threads) {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(Math.max(1, threads));
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = env.createSession(onnx, options);
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      this.spec = ModelSpec.fromMetadata(meta);
      this.encoder = new CharEncoder(spec);
      this.sizeBytes = onnx.length;
      this.version = ModelVersion.of(spec.version(), onnx);
      this.threshold = spec.threshold();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the ONNX model: " + e.getMessage(), e);
    }
  }

  /** The model shipped inside the jar. */
  public static DgaModel loadDefault(int threads) {
    return new DgaModel(defaultBytes(), threads);
  }

  public static DgaModel load(Path file, int threads) {
    try {
      return new DgaModel(Files.readAllBytes(file), threads);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + file, e);
    }
  }

  /** A model from the bytes of an ONNX file (read once, so several sessions share one version). */
  public static DgaModel load(byte[] onnx, int threads) {
    return new DgaModel(onnx, threads);
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
    return threshold;
  }

  /** Replaces the shipped threshold (chosen for FPR 1e-3 on validation) with an operator's. */
  public void overrideThreshold(float t) {
    if (!(t > 0f && t < 1f)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1, got " + t);
    }
    this.threshold = t;
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
    try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()),
            new long[] {batch.rows(), batch.width()});
         OrtSession.Result result = session.run(Map.of(INPUT, input))) {
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
    boolean dga = score >= threshold;
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
