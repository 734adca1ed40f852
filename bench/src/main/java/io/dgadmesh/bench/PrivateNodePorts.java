package io.dgadmesh.bench;

import io.dgadmesh.config.RedisConf;
import io.dgadmesh.node.PrivateRedis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * A node the bench runs on its own: every role, no cluster, its private redis-server and free
 * ports on 127.0.0.1, no token. The fuzz and the soak start their nodes this way.
 */
public record PrivateNodePorts(int grpc, int grpc3, int web) {

  /** Puts free ports, the private Redis and every role into {@code c}; returns the ports. */
  public static PrivateNodePorts apply(JsonObject c, int redisPort, String todoSet) throws IOException {
    PrivateNodePorts p = new PrivateNodePorts(PrivateRedis.freePort(), PrivateRedis.freePort(), PrivateRedis.freePort());
    RedisConf.pointAt(c, "127.0.0.1", redisPort);
    c.getJsonObject("redis").put("db", 0).put("set", todoSet);
    c.getJsonObject("grpc").put("host", "127.0.0.1").put("port", p.grpc).put("dgad3Port", p.grpc3);
    c.getJsonObject("web").put("host", "127.0.0.1").put("port", p.web).put("token", "");
    c.getJsonObject("node").put("roles", new JsonArray().add("classifier").add("worker").add("grpc").add("web"));
    c.getJsonObject("cluster").put("enabled", false);
    return p;
  }
}
