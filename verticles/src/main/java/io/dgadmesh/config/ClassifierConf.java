package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;

/** The {@code classifier} section: how model calls are batched and judged. */
public record ClassifierConf(int maxBatch, int deadlineMs, int onnxThreads, Double threshold, boolean eagerWhenIdle,
    boolean publishResults) {

  static ClassifierConf read(Section s) {
    Object t = s.nullable("threshold");
    if (t != null && !(t instanceof Number n && n.doubleValue() > 0 && n.doubleValue() < 1)) {
      throw new ConfigException("classifier.threshold", "must be null (the model's own) or a number between 0 and 1, got " + t);
    }
    return new ClassifierConf(s.integer("maxBatch", 1, 65_536), s.integer("deadlineMs", 1, 10_000),
        s.integer("onnxThreads", 1, 256), t == null ? null : ((Number) t).doubleValue(), s.bool("eagerWhenIdle"),
        s.bool("publishResults"));
  }
}
