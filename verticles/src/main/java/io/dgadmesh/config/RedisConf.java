package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * The {@code redis} section: where the Redis door's server is ({@link #server}), and how the door
 * paces itself. {@code url} ({@code redis://} or {@code rediss://[user:password@]host:port/db}),
 * when set, wins over host, port and db, and over user and password when it has credentials.
 */
public record RedisConf(RedisEndpoint server, String set, int popCount, int concurrency,
    boolean writeResultHash, int idleBackoffMinMs, int idleBackoffMaxMs, int errorBackoffMaxMs, int heartbeatMs,
    int nodeTtlMs, String classifyAddress, int classifyTimeoutMs, int maxNameBytes) {

  /**
   * The prefix of every key dgad-mesh keeps in Redis besides dgad's own (the node registry,
   * in-flight sets, result hashes, invalid names, jobs; see the redis package's RedisKeys): a todo
   * set there would be one of them, and the door would pop, say, the node registry.
   */
  public static final String OWN_KEYS = "dgad:";

  /** The section, a {@code rediss://} server trusted through {@code tls.caPath} when it is set. */
  static RedisConf read(Section s, TlsConf tls) {
    int heartbeatMs = s.integer("heartbeatMs", 100, 600_000);
    int nodeTtlMs = s.integer("nodeTtlMs", 200, 3_600_000);
    if (nodeTtlMs <= heartbeatMs) {
      throw new ConfigException("redis.nodeTtlMs", "must be larger than redis.heartbeatMs");
    }
    String set = s.string("set");
    if (set.startsWith(OWN_KEYS)) {
      throw new ConfigException("redis.set", "'" + set + "' is in dgad-mesh's own key space (keys starting with '"
          + OWN_KEYS + "' hold the node registry, results and jobs); choose a name outside it, such as domains_todo");
    }
    return new RedisConf(server(s, tls), set,
        s.integer("popCount", 1, 5_000), // Lua unpack() stack limit
        s.integer("concurrency", 1, 256), s.bool("writeResultHash"), s.integer("idleBackoffMinMs", 1, 60_000),
        s.integer("idleBackoffMaxMs", 1, 600_000), s.integer("errorBackoffMaxMs", 1, 600_000), heartbeatMs, nodeTtlMs,
        s.string("classifyAddress"), s.integer("classifyTimeoutMs", 100, 600_000),
        // A host name has at most 253 characters; its UTF-8 spelling (IDN) can take about four times that.
        s.integer("maxNameBytes", 253, 65_536));
  }

  /** redis.url when set, else host, port, user, password, db; each checked whatever wins. */
  private static RedisEndpoint server(Section s, TlsConf tls) {
    RedisEndpoint plain = RedisEndpoint.of(s.string("host"), s.integer("port", 1, 65_535), s.stringOrEmpty("user"),
        s.stringOrEmpty("password"), s.integer("db", 0, RedisEndpoint.MAX_DB), tls.caPath());
    String url = s.stringOrEmpty("url");
    return url.isBlank() ? plain : RedisEndpoint.parse(url, plain.user(), plain.password(), tls.caPath());
  }

  /** Without the password: safe to log. */
  public String where() {
    return server.where();
  }

  /**
   * Points a configuration at a private redis-server on this host (plaintext, no credentials):
   * redis.url is cleared, or it would still win.
   */
  public static void pointAt(JsonObject conf, String host, int port) {
    conf.getJsonObject("redis").put("url", "").put("host", host).put("port", port).put("user", "").put("password", "");
  }
}
