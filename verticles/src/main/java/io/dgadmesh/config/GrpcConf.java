package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;

/** The {@code grpc} section: the two gRPC ports and how single-name calls are coalesced. */
public record GrpcConf(String host, int port, int dgad3Port, int instances, int coalesceMs, int coalesceMax,
    int coalesceInFlight, boolean consolidateFlushes, int maxMessageBytes, int maxBatchNames) {

  static GrpcConf read(Section s) {
    String host = s.string("host");
    int port = s.integer("port", 1, 65_535);
    int dgad3Port = s.integer("dgad3Port", 0, 65_535);
    if (dgad3Port == port) {
      throw new ConfigException("grpc.dgad3Port", "must differ from grpc.port (both dgad versions use the same method path)");
    }
    return new GrpcConf(host, port, dgad3Port, s.integer("instances", 1, 64), s.integer("coalesceMs", 1, 1_000),
        s.integer("coalesceMax", 1, 65_536), s.integer("coalesceInFlight", 1, 64), s.bool("consolidateFlushes"),
        s.integer("maxMessageBytes", 1_024, 256 << 20), s.integer("maxBatchNames", 1, 1_000_000));
  }

  /** 0 turns the dgad 3.x port off. */
  public boolean dgad3() {
    return dgad3Port > 0;
  }
}
