package io.dgadmesh.testing;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.node.Node;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real node for web tests: its own redis-server on a free port, then Node.deploy with the
 * classifier, redis (the Redis door) and web roles, the web role on another free port.
 */
public final class TestNode implements AutoCloseable {

  public final RedisServer redis;
  public final Vertx vertx;
  public final JsonObject conf;
  public final int webPort;
  public final String todo;

  private TestNode(RedisServer redis, Vertx vertx, JsonObject conf) {
    this.redis = redis;
    this.vertx = vertx;
    this.conf = conf;
    this.webPort = conf.getJsonObject("web").getInteger("port");
    this.todo = conf.getJsonObject("redis").getString("set");
  }

  public static TestNode start(String nodeId) throws Exception {
    return start(nodeId, conf -> { });
  }

  /** With {@code tweak} applied to the configuration before the node is deployed. */
  public static TestNode start(String nodeId, java.util.function.Consumer<JsonObject> tweak) throws Exception {
    RedisServer redis = RedisServer.start();
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_HOST", "127.0.0.1");
    env.put("REDIS_PORT", Integer.toString(redis.port()));
    env.put("REDIS_SET", "todo_web");
    env.put("DGAD_NODE_ID", nodeId);
    env.put("DGAD_CLASSIFIERS", "1");
    env.put("DGAD_WEB_PORT", Integer.toString(RedisServer.freePort()));
    JsonObject conf = NodeConfig.load(null, env);
    conf.getJsonObject("node").put("roles", new JsonArray().add("classifier").add("redis").add("web"));
    conf.getJsonObject("web").put("host", "127.0.0.1").put("maxClassify", 50).put("queueSampleMs", 200)
        .put("streamTickMs", 50);
    tweak.accept(conf);
    Vertx vertx = Node.vertx(); // as bin/dgad up: Vert.x's own metrics in /metrics
    TestNode node = new TestNode(redis, vertx, conf);
    try {
      await(Node.deploy(vertx, conf));
    } catch (Exception e) {
      node.close();
      throw e;
    }
    return node;
  }

  public String base() {
    return "http://127.0.0.1:" + webPort;
  }

  /** Blocks the test thread (never an event loop) until f completes. */
  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      redis.close();
    }
  }
}
