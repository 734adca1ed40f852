package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;

/**
 * The {@code classifier} section: how model calls are batched and judged.
 *
 * <p>maxQueuedNames bounds the names an instance holds waiting for the model; more are refused with
 * Bus.OVERLOADED. A waiting name costs at most a few hundred bytes (a host name has at most 253
 * characters), so the default 50,000 keeps each instance's queue to some tens of MB of the 512 MB heap.
 *
 * <p>stuckMs is how long one model call may run before the instance counts as stuck and is replaced.
 * The default 10 s is twice the Redis door's reply timeout (redis.classifyTimeoutMs), so every caller
 * of such a call has given up on it, and far above what a call of the largest request a door sends
 * (10,000 names, run alone) takes.
 *
 * <p>allowlistPath names the {@link Allowlist} file; empty is the one shipped in the jar.
 * modelPath names an ONNX model file to load instead of the one shipped in the jar.
 *
 * <p>operatingPoint names which of the model's thresholds judges ("balanced" by default; the model
 * lists its points, e.g. "strict" and "balanced"). Which names exist is the model's to say, so an
 * unknown name fails when the model is opened (start, reload), naming the model's points.
 * threshold, when set, replaces the point's number, and results then name the point "threshold".
 *
 * <p>pslPath names a Public Suffix List file to read host names with instead of the copy shipped
 * with the model; empty is the bundled copy. A model that records the list it was trained with
 * refuses another one.
 */
public record ClassifierConf(int maxBatch, int deadlineMs, int onnxThreads, Double threshold, boolean eagerWhenIdle,
    boolean publishResults, int maxQueuedNames, int stuckMs, String allowlistPath, Allowlist allowlist, String modelPath,
    String operatingPoint, String pslPath) {

  static ClassifierConf read(Section s) {
    Object t = s.nullable("threshold");
    if (t != null && !(t instanceof Number n && n.doubleValue() > 0 && n.doubleValue() < 1)) {
      throw new ConfigException("classifier.threshold", "must be null (the model's own) or a number between 0 and 1, got " + t);
    }
    return new ClassifierConf(s.integer("maxBatch", 1, 65_536), s.integer("deadlineMs", 1, 10_000),
        s.integer("onnxThreads", 1, 256), t == null ? null : ((Number) t).doubleValue(), s.bool("eagerWhenIdle"),
        s.bool("publishResults"), s.integer("maxQueuedNames", 1, 1_000_000), s.integer("stuckMs", 100, 600_000),
        s.stringOrEmpty("allowlistPath"), Allowlists.load(s.stringOrEmpty("allowlistPath")), readablePath(s, "modelPath"),
        s.string("operatingPoint").strip(), readablePath(s, "pslPath"));
  }

  /** A file setting: empty, or a file this process can read (checked here so the error names the key). */
  private static String readablePath(Section s, String key) {
    String path = s.stringOrEmpty(key);
    if (!path.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
      throw new ConfigException(s.key(key), "cannot read " + path);
    }
    return path;
  }
}
