package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;

/** The {@code redis} section: where the Redis door's server is, and how the door paces itself. */
public record RedisConf(String host, int port, String password, int db, String set, int popCount, int concurrency,
    boolean writeResultHash, int idleBackoffMinMs, int idleBackoffMaxMs, int errorBackoffMaxMs, int heartbeatMs,
    int nodeTtlMs, String classifyAddress, int classifyTimeoutMs) {

  static RedisConf read(Section s) {
    int heartbeatMs = s.integer("heartbeatMs", 100, 600_000);
    int nodeTtlMs = s.integer("nodeTtlMs", 200, 3_600_000);
    if (nodeTtlMs <= heartbeatMs) {
      throw new ConfigException("redis.nodeTtlMs", "must be larger than redis.heartbeatMs");
    }
    return new RedisConf(s.string("host"), s.integer("port", 1, 65_535), s.stringOrEmpty("password"),
        s.integer("db", 0, 1_000), s.string("set"),
        s.integer("popCount", 1, 5_000), // Lua unpack() stack limit
        s.integer("concurrency", 1, 256), s.bool("writeResultHash"), s.integer("idleBackoffMinMs", 1, 60_000),
        s.integer("idleBackoffMaxMs", 1, 600_000), s.integer("errorBackoffMaxMs", 1, 600_000), heartbeatMs, nodeTtlMs,
        s.string("classifyAddress"), s.integer("classifyTimeoutMs", 100, 600_000));
  }

  /** Without the password: safe to log. */
  public String where() {
    return host + ":" + port + "/" + db;
  }
}
