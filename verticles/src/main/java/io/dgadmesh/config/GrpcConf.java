package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;

/**
 * The {@code grpc} section: the two gRPC ports, how single-name calls are coalesced, and the
 * limits of each port (message size, names per request, idle timeout, open connections), and the
 * token every call must carry as {@code authorization: Bearer <token>} (empty: none; health stays open).
 */
public record GrpcConf(String host, int port, int dgad3Port, int instances, int coalesceMs, int coalesceMax,
    int coalesceInFlight, boolean consolidateFlushes, int maxMessageBytes, int maxBatchNames,
    int maxPendingNames, int idleTimeoutSeconds, int maxConnections, String token) {

  static GrpcConf read(Section s) {
    String host = s.string("host");
    int port = s.integer("port", 1, 65_535);
    int dgad3Port = s.integer("dgad3Port", 0, 65_535);
    if (dgad3Port == port) {
      throw new ConfigException("grpc.dgad3Port", "must differ from grpc.port (both dgad versions use the same method path)");
    }
    int maxBatchNames = s.integer("maxBatchNames", 1, 1_000_000);
    int maxPendingNames = s.integer("maxPendingNames", 1, 100_000_000);
    if (maxPendingNames < maxBatchNames) {
      throw new ConfigException("grpc.maxPendingNames", "must be at least grpc.maxBatchNames (" + maxBatchNames
          + "), or a full batch could never be taken");
    }
    return new GrpcConf(host, port, dgad3Port, s.integer("instances", 1, 64), s.integer("coalesceMs", 1, 1_000),
        s.integer("coalesceMax", 1, 65_536), s.integer("coalesceInFlight", 1, 64), s.bool("consolidateFlushes"),
        s.integer("maxMessageBytes", 1_024, 256 << 20), maxBatchNames, maxPendingNames,
        s.integer("idleTimeoutSeconds", 0, 86_400), s.integer("maxConnections", 1, 1_000_000),
        WebConf.token(s, "token"));
  }

  /** 0 turns the idle timeout off: a connection with no traffic for this long is closed. */
  public boolean idleTimeout() {
    return idleTimeoutSeconds > 0;
  }

  /** 0 turns the dgad 3.x port off. */
  public boolean dgad3() {
    return dgad3Port > 0;
  }
}
