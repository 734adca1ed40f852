package io.dgadmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.dgadmesh.bus.Bus;
import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.cluster.ClusterContext;
import io.dgadmesh.cluster.LeaderVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.NodeProcess;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 item 7: a Vert.x application of its own, clustered with Hazelcast into the mesh but not
 * started by dgad's Main, deploys our verticles by class name. The other node ("door", a node JVM
 * run as {@code dgad node --roles worker}) has the Redis door and no classifier, so every label
 * it writes was made by a classifier of the application.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeployByClassNameTest {

  static final String CLUSTER = "deploy-" + UUID.randomUUID().toString().substring(0, 8);
  static RedisServer server;
  static NodeProcess door;
  static Vertx app;
  static RedisAPI redis;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    int doorPort = RedisServer.freePort();
    int appPort = RedisServer.freePort();
    String members = "127.0.0.1:" + doorPort + ",127.0.0.1:" + appPort;
    // Started first: the oldest member, so the leader.
    door = NodeProcess.start("DeployByClassNameTest", "door", "worker", doorPort, members, CLUSTER, server.port(), Map.of());
    Poll.await(90_000, "the door node up", () -> door.log().contains("dgad node door is up"));
    app = appVertx(appPort, members);
    redis = RedisAPI.api(Redis.createClient(app, "redis://127.0.0.1:" + server.port()));
    Poll.get(Poll.until(app, 90_000, "the door node in the registry", () -> registry().map(r -> r.containsKey("door"))),
        100_000);
  }

  /** What an application does, following the vertx-hazelcast documentation: no dgad class involved. */
  static Vertx appVertx(int port, String members) throws Exception {
    Config hz = ConfigUtil.loadConfig().setClusterName(CLUSTER);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "jdk");
    NetworkConfig net = hz.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember(members);
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1");
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered().await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close().await(30, TimeUnit.SECONDS);
    }
    if (door != null) {
      door.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static Future<Map<String, JsonObject>> registry() {
    return app.sharedData().<String, JsonObject>getAsyncMap(Bus.NODE_REGISTRY).compose(m -> m.entries());
  }

  @Test
  void classifierDeployedByClassNameLabelsWhatAnotherNodesRedisDoorTakes() throws Exception {
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> watch = app.eventBus().consumer(Bus.RESULTS_PUBLISH, m -> published.add(m.body()));
    Poll.get(watch.completion(), 30_000); // registered in the cluster before anything is published
    JsonObject conf = new JsonObject().put("classifier", new JsonObject().put("maxBatch", 64));
    String id = Poll.get(app.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf)),
        60_000);
    try {
      List<String> names = names(300, "plain");
      sadd(names);
      Poll.get(Poll.until(app, 60_000, "every name labelled", () -> allLabelled(names)), 70_000);

      String someName = names.get(0);
      Response hash = Poll.get(redis.hgetall("dgad:result:" + someName), 10_000);
      assertEquals("door", hash.get("node").toString(), "the door node wrote the result: " + hash);
      // The application's classifier answered, under the node id made for its Vert.x.
      // The classifier replies to the door before it publishes, so the door's write can be seen in
      // Redis before the publication reaches this consumer: wait for it rather than read it once.
      String appNode = NodeConfig.nodeIdOf(app);
      try {
        Poll.await(30_000, "the results published by the application's node",
            () -> publishedBy(published, appNode).containsAll(names));
      } catch (AssertionError e) {
        Set<String> nodes = published.stream().map(p -> p.getString(Bus.NODE)).collect(Collectors.toSet());
        throw new AssertionError("results published by " + appNode + ": " + publishedBy(published, appNode).size()
            + " of " + names.size() + "; publishing nodes seen: " + nodes, e);
      }
    } finally {
      watch.unregister();
      Poll.get(app.undeploy(id), 30_000);
    }
  }

  @Test
  void meshVerticleJoinsTheRegistryUnderItsHazelcastMemberAndTheLeaderKeepsIt() throws Exception {
    List<JsonObject> stats = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> watch = app.eventBus().consumer(Bus.STATS, m -> stats.add(m.body()));
    JsonObject conf = new JsonObject().put("node", new JsonObject().put("name", "app")
        .put("roles", new JsonArray().add("classifier")).put("classifiers", 1));
    String id = Poll.get(app.deployVerticle(MeshVerticle.class.getName(), new DeploymentOptions().setConfig(conf)),
        60_000);
    String appNode = NodeConfig.nodeIdOf(app);
    try {
      Poll.get(Poll.until(app, 30_000, "the application's node registered", () -> registry().map(r -> r.containsKey(appNode))),
          40_000);
      JsonObject entry = Poll.get(registry(), 10_000).get(appNode);
      String member = ((HazelcastClusterManager) ((io.vertx.core.internal.VertxInternal) app).clusterManager())
          .getHazelcastInstance().getCluster().getLocalMember().getUuid().toString();
      assertEquals(member, entry.getString("member"), "registered under its Hazelcast member: " + entry);
      assertEquals("app", entry.getString("name"));
      assertEquals(new JsonArray().add("classifier"), entry.getJsonArray("roles"));
      assertEquals("door", Poll.get(LeaderVerticle.leader(app), 10_000), "the oldest member leads, not the newcomer");

      // Three leader rounds from the first that lists the node: none drops it as gone.
      Poll.get(Poll.until(app, 30_000, "three stats rounds listing the node",
          () -> Future.succeededFuture(fromFirstListing(stats, appNode).size() >= 3)), 40_000);
      for (JsonObject s : fromFirstListing(stats, appNode)) {
        assertEquals("door", s.getString("leader"));
        assertTrue(nodeIds(s).contains(appNode), "a round dropped the node: " + s);
      }

      List<String> names = names(100, "mesh");
      sadd(names);
      Poll.get(Poll.until(app, 60_000, "every name labelled", () -> allLabelled(names)), 70_000);

      // What the registry asks for after a pause past failure detection: the roles are redeployed.
      ClusterContext.of(app).restart().accept("the test asks for a restart");
      Poll.get(Poll.until(app, 30_000, "the node registered again after its restart",
          () -> registry().map(r -> r.containsKey(appNode) && r.get(appNode).getInteger("restarts") == 1)), 40_000);
      List<String> after = names(100, "restarted");
      sadd(after);
      Poll.get(Poll.until(app, 60_000, "names labelled after the restart", () -> allLabelled(after)), 70_000);
    } finally {
      watch.unregister();
      Poll.get(app.undeploy(id), 30_000);
    }
    Poll.get(Poll.until(app, 30_000, "the node out of the registry after its undeploy",
        () -> registry().map(r -> !r.containsKey(appNode))), 40_000);
  }

  @Test
  void aBadConfigFailsTheDeploymentNamingTheKey() {
    assertDeployFails(ClassifierVerticle.class.getName(),
        new JsonObject().put("classifier", new JsonObject().put("maxBatch", 0)), "classifier.maxBatch");
    assertDeployFails(ClassifierVerticle.class.getName(),
        new JsonObject().put("classifer", new JsonObject().put("maxBatch", 8)), "classifer: unknown section");
    assertDeployFails(MeshVerticle.class.getName(),
        new JsonObject().put("node", new JsonObject().put("roles", new JsonArray().add("clasifier"))), "node.roles");
    assertDeployFails(MeshVerticle.class.getName(),
        new JsonObject().put("redis", new JsonObject().put("prot", 1)), "redis.prot: unknown key");
  }

  private static void assertDeployFails(String verticle, JsonObject conf, String expected) {
    Throwable cause = Poll.get(app.deployVerticle(verticle, new DeploymentOptions().setConfig(conf))
        .<Throwable>map(id -> null).otherwise(e -> e), 30_000);
    assertTrue(cause instanceof NodeConfig.ConfigException, verticle + " deployed with " + conf + ": " + cause);
    assertTrue(cause.getMessage().startsWith(expected), cause.getMessage());
  }

  private static Set<String> publishedBy(List<JsonObject> published, String node) {
    return published.stream().filter(e -> e.getString(Bus.NODE).equals(node))
        .flatMap(e -> e.getJsonArray(Bus.RESULTS).stream()).map(r -> ((JsonObject) r).getString("domain"))
        .collect(Collectors.toSet());
  }

  private static List<JsonObject> fromFirstListing(List<JsonObject> stats, String node) {
    List<JsonObject> all = new ArrayList<>(stats);
    for (int i = 0; i < all.size(); i++) {
      if (nodeIds(all.get(i)).contains(node)) {
        return all.subList(i, all.size());
      }
    }
    return List.of();
  }

  private static Set<String> nodeIds(JsonObject stats) {
    return stats.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")).collect(Collectors.toSet());
  }

  private static List<String> names(int n, String tag) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i % 2 == 0 ? tag + "-shop" + i + ".example.com" : Names.randomDga(16, i + tag.hashCode()));
    }
    return out;
  }

  private static void sadd(List<String> names) {
    List<String> args = new ArrayList<>();
    args.add("domains_todo");
    args.addAll(names);
    Poll.get(redis.sadd(args), 10_000);
  }

  /** True when Redis holds dgad's label for every name. */
  private static Future<Boolean> allLabelled(List<String> names) {
    return redis.send(Command.MGET, names.toArray(new String[0])).map(values -> {
      for (Response v : values) {
        if (v == null || !(v.toString().equals("DGA") || v.toString().equals("ok"))) {
          return false;
        }
      }
      return true;
    });
  }
}
