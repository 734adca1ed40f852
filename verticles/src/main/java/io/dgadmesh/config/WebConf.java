package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;

/**
 * The {@code web} section: the dashboard and HTTP API's port, token and limits.
 *
 * <p>{@code idleTimeoutSeconds}: a connection with nothing read or written for that long is
 * closed. {@code maxConnections}: connections past it are closed at once, except a few kept for
 * {@code /health/*} probes. {@code maxJobBytes}: the largest job body. {@code maxJobUploads}: job
 * bodies received at once (more get 503). {@code readyHeapPercent}: {@code /health/ready} is 503
 * while the heap still holds more than this share of its maximum after a collection.
 */
public record WebConf(String host, int port, String token, int maxClassify, int recent, int streamMaxPerTick,
    int streamTickMs, int queueSampleMs, int idleTimeoutSeconds, int maxConnections, int maxJobBytes,
    int maxJobUploads, int readyHeapPercent) {

  static WebConf read(Section s) {
    String host = s.string("host");
    int port = s.integer("port", 1, 65_535);
    String token = token(s, "token");
    return new WebConf(host, port, token, s.integer("maxClassify", 1, 1_000_000), s.integer("recent", 1, 100_000),
        s.integer("streamMaxPerTick", 1, 10_000), s.integer("streamTickMs", 10, 10_000),
        s.integer("queueSampleMs", 100, 600_000), s.integer("idleTimeoutSeconds", 1, 3600),
        s.integer("maxConnections", 1, 100_000), s.integer("maxJobBytes", 1024, 1 << 30),
        s.integer("maxJobUploads", 1, 64), s.integer("readyHeapPercent", 1, 100));
  }

  /** A bearer token: empty (none), or at least 8 printable characters without spaces. */
  static String token(Section s, String key) {
    String token = s.stringOrEmpty(key);
    if (!token.isEmpty() && (token.length() < 8 || !token.chars().allMatch(ch -> ch > 32 && ch < 127))) {
      throw new ConfigException(s.key(key), "must be empty (no token) or at least 8 printable characters without spaces");
    }
    return token;
  }
}
