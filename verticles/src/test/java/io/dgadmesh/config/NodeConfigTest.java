package io.dgadmesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  @Test
  void defaultsMatchDgad() {
    JsonObject c = NodeConfig.load(null, Map.of());
    assertEquals("localhost", c.getJsonObject("redis").getString("host"));
    assertEquals(6379, c.getJsonObject("redis").getInteger("port"));
    assertEquals("domains_todo", c.getJsonObject("redis").getString("set"));
    assertEquals(4714, c.getJsonObject("grpc").getInteger("port"));
    assertEquals(50054, c.getJsonObject("grpc").getInteger("dgad3Port"));
    assertFalse(c.getJsonObject("node").getString("id").isEmpty(), "a node id is generated");
  }

  @Test
  void fileThenEnvironmentOverride(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"redis\": {\"host\": \"from-file\", \"db\": 3}, \"grpc\": {\"port\": 9000}}");
    JsonObject c = NodeConfig.load(file, Map.of("REDIS_HOST", "from-env", "REDIS_PORT", "6380",
        "REDIS_SET", "todo2", "REDIS_PASSWORD", "pw", "LISTENING_PORT", "4715", "LOG_LEVEL", "debug"));
    JsonObject r = c.getJsonObject("redis");
    assertEquals("from-env", r.getString("host"));
    assertEquals(6380, r.getInteger("port"));
    assertEquals(3, r.getInteger("db"), "file value kept where env is silent");
    assertEquals("todo2", r.getString("set"));
    assertEquals("pw", r.getString("password"));
    assertEquals(4715, c.getJsonObject("grpc").getInteger("port"));
    assertEquals(512, r.getInteger("popCount"), "defaults fill the rest");
    assertEquals("debug", c.getJsonObject("log").getString("level"));
  }

  @Test
  void clusterSettingsFromTheEnvironment() {
    JsonObject c = NodeConfig.load(null, Map.of("DGAD_ROLES", "redis, classifier,web", "DGAD_MEMBERS",
        "10.0.0.1:5701,worker", "DGAD_CLUSTER_PORT", "5801", "DGAD_NODE_NAME", "n1", "DGAD_TASK_SIZE", "50"));
    assertEquals(java.util.List.of("worker", "classifier", "web"), NodeConfig.roles(c), "redis is read as worker");
    assertEquals("10.0.0.1:5701,worker", c.getJsonObject("cluster").getString("members"));
    assertEquals(5801, c.getJsonObject("cluster").getInteger("port"));
    assertEquals("n1", c.getJsonObject("node").getString("name"));
    assertEquals(50, c.getJsonObject("jobs").getInteger("taskSize"));
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("DGAD_ROLES", "worker,cook"))).getMessage().contains("node.roles"));
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("DGAD_MEMBERS", "a:b:c"))).getMessage().contains("cluster.members"));
  }

  @Test
  void webSectionFromEnvironment() {
    JsonObject d = NodeConfig.load(null, Map.of());
    assertEquals(8080, d.getJsonObject("web").getInteger("port"));
    assertEquals("", d.getJsonObject("web").getString("token"));
    assertTrue(NodeConfig.roles(d).contains("web"), "bin/dgad up runs every role, the web role too");
    JsonObject c = NodeConfig.load(null, Map.of("DGAD_WEB_PORT", "9090", "DGAD_WEB_TOKEN", "0123456789abcdef"));
    assertEquals(9090, c.getJsonObject("web").getInteger("port"));
    assertEquals("0123456789abcdef", c.getJsonObject("web").getString("token"));
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("DGAD_WEB_PORT", "http"))).getMessage().contains("web.port"));
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("DGAD_WEB_PORT", "70000"))).getMessage().contains("web.port"));
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("DGAD_WEB_TOKEN", "short"))).getMessage().contains("web.token"));
  }

  @Test
  void thresholdIsTheModelsUnlessOverridden() {
    assertNull(NodeConfig.load(null, Map.of()).getJsonObject("classifier").getValue("threshold"));
    JsonObject c = NodeConfig.load(null, Map.of("DGAD_THRESHOLD", "0.75"));
    assertEquals(0.75, c.getJsonObject("classifier").getDouble("threshold"), 1e-9);
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("DGAD_THRESHOLD", "1.5"))).getMessage().contains("classifier.threshold"));
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("DGAD_THRESHOLD", "high"))).getMessage().contains("classifier.threshold"));
  }

  @Test
  void theHostThresholdIsANumberTheEnvironmentCanRaise(@TempDir Path dir) throws Exception {
    assertEquals(8.0, NodeConfig.settings(NodeConfig.load(null, Map.of())).hosts().threshold());
    assertEquals(12.5, NodeConfig.settings(NodeConfig.load(null, Map.of("DGAD_HOSTS_THRESHOLD", "12.5"))).hosts().threshold());
    assertEquals(20.0, NodeConfig.settings(NodeConfig.load(write(dir, "{\"hosts\": {\"threshold\": 20}}"), Map.of()))
        .hosts().threshold(), "an integer in a file is a number too");
    assertEquals("hosts.threshold (from DGAD_HOSTS_THRESHOLD=0): must be a number between 0.5 and 1000.0, got 0.0",
        error(null, Map.of("DGAD_HOSTS_THRESHOLD", "0")));
    assertTrue(error(null, Map.of("DGAD_HOSTS_THRESHOLD", "high")).startsWith("hosts.threshold (from DGAD_HOSTS_THRESHOLD=high)"));
    assertTrue(error(write(dir, "{\"hosts\": {\"threshold\": \"8\"}}"), Map.of()).startsWith("hosts.threshold: must be a number"));
  }

  @Test
  void invalidValuesNameTheKey(@TempDir Path dir) throws Exception {
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("REDIS_PORT", "abc"))).getMessage().contains("redis.port"));
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("REDIS_PORT", "70000"))).getMessage().contains("redis.port"));
    assertTrue(assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("LOG_LEVEL", "loud"))).getMessage().contains("log.level"));
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"classifier\": {\"maxBatch\": \"big\"}}");
    assertTrue(assertThrows(NodeConfig.ConfigException.class, () -> NodeConfig.load(file, Map.of()))
        .getMessage().contains("classifier.maxBatch"));
    Files.writeString(file, "{\"grpc\": {\"dgad3Port\": 4714}}");
    assertTrue(assertThrows(NodeConfig.ConfigException.class, () -> NodeConfig.load(file, Map.of()))
        .getMessage().contains("grpc.dgad3Port"));
    Files.writeString(file, "{not json");
    assertTrue(assertThrows(NodeConfig.ConfigException.class, () -> NodeConfig.load(file, Map.of()))
        .getMessage().contains("not valid JSON"));
  }

  private static String error(Path file, Map<String, String> env) {
    return assertThrows(NodeConfig.ConfigException.class, () -> NodeConfig.load(file, env)).getMessage();
  }

  private static Path write(Path dir, String json) throws Exception {
    return Files.writeString(dir.resolve("c.json"), json);
  }

  @Test
  void serversOfOneNodeNeedDistinctPorts(@TempDir Path dir) throws Exception {
    assertEquals("web.port (from DGAD_WEB_PORT=4714): 4714 is also grpc.port; each server of a node needs its own port",
        error(null, Map.of("DGAD_WEB_PORT", "4714")));
    assertTrue(error(write(dir, "{\"web\": {\"port\": 50054}}"), Map.of()).startsWith("web.port: 50054 is also grpc.dgad3Port"));
    assertTrue(error(write(dir, "{\"grpc\": {\"dgad3Port\": 8080}}"), Map.of()).startsWith("web.port: 8080 is also grpc.dgad3Port"));
    // The cluster port is Hazelcast's, in the same process, when clustered.
    String clustered = "{\"cluster\": {\"enabled\": true, \"port\": 8080}}";
    assertTrue(error(write(dir, clustered), Map.of()).startsWith("cluster.port: 8080 is also web.port"));
    assertEquals(8080, NodeConfig.load(write(dir, "{\"cluster\": {\"port\": 8080}}"), Map.of())
        .getJsonObject("cluster").getInteger("port"), "not clustered: Hazelcast does not run");
    // 0 is off for grpc.dgad3Port and "Hazelcast picks" for cluster.port: never a clash.
    NodeConfig.load(write(dir, "{\"grpc\": {\"dgad3Port\": 0}, \"cluster\": {\"enabled\": true, \"port\": 0}}"), Map.of());
    // A server that this node does not run has no port to clash with.
    JsonObject webOnly = NodeConfig.load(null, Map.of("DGAD_ROLES", "web", "DGAD_WEB_PORT", "4714"));
    assertEquals(4714, webOnly.getJsonObject("web").getInteger("port"));
  }

  @Test
  void anUnknownKeyInAFileIsAnError(@TempDir Path dir) throws Exception {
    String typo = error(write(dir, "{\"grpc\": {\"prot\": 4999}}"), Map.of());
    assertTrue(typo.startsWith("grpc.prot: unknown key (grpc has: host, port, dgad3Port, "), typo);
    String section = error(write(dir, "{\"bogus\": {}}"), Map.of());
    assertTrue(section.startsWith("bogus: unknown section (known: node, classifier, redis, grpc, web, log, cluster, jobs"),
        section);
    // Every key of the defaults is known: the shipped file loads as a --conf file.
    NodeConfig.load(write(dir, NodeConfig.defaults().encode()), Map.of());
  }

  @Test
  void logLevelIsReadTheSameInEveryLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(new Locale("tr", "TR")); // "info".toUpperCase() is "İNFO" here
    try {
      assertEquals("info", NodeConfig.load(null, Map.of("LOG_LEVEL", "info")).getJsonObject("log").getString("level"));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void aNodeNeedsARole(@TempDir Path dir) throws Exception {
    assertTrue(error(null, Map.of("DGAD_ROLES", ",,")).startsWith("node.roles (from DGAD_ROLES=,,): empty"));
    assertTrue(error(write(dir, "{\"node\": {\"roles\": []}}"), Map.of()).startsWith("node.roles: empty"));
  }

  @Test
  void rangeErrorsNameTheVariable() {
    assertEquals("grpc.port (from LISTENING_PORT=99999): must be between 1 and 65535, got 99999",
        error(null, Map.of("LISTENING_PORT", "99999")));
    assertEquals("redis.port (from REDIS_PORT=0): must be between 1 and 65535, got 0", error(null, Map.of("REDIS_PORT", "0")));
    assertEquals("redis.db (from REDIS_DB=-1): must be between 0 and 1000, got -1", error(null, Map.of("REDIS_DB", "-1")));
    assertTrue(error(null, Map.of("DGAD_WEB_PORT", "70000")).startsWith("web.port (from DGAD_WEB_PORT=70000): "));
    assertTrue(error(null, Map.of("REDIS_PORT", "abc")).startsWith("redis.port (from REDIS_PORT=abc): must be"));
    assertTrue(error(null, Map.of("DGAD_THRESHOLD", "1.5")).startsWith("classifier.threshold (from DGAD_THRESHOLD=1.5): "));
    // A secret is named by its variable, never shown.
    String token = error(null, Map.of("DGAD_WEB_TOKEN", "short"));
    assertTrue(token.startsWith("web.token (from DGAD_WEB_TOKEN): "), token);
    assertFalse(token.contains("short"), token);
  }

  @Test
  void aMissingFileIsNamedAsMissing(@TempDir Path dir) {
    Path missing = dir.resolve("missing.json");
    assertEquals("cannot read config file " + missing + ": no such file", error(missing, Map.of()));
  }

  @Test
  void settingsAreTyped() {
    NodeSettings s = NodeConfig.settings(NodeConfig.load(null, Map.of("REDIS_PORT", "6390", "DGAD_ROLES", "redis,web",
        "DGAD_THRESHOLD", "0.7")));
    assertEquals(6390, s.redis().server().port());
    assertEquals("domains_todo", s.redis().set());
    assertEquals(java.util.List.of("worker", "web"), s.node().roles(), "redis is read as worker");
    assertTrue(s.node().runs("worker"));
    assertEquals(0.7, s.classifier().threshold());
    assertEquals(256, s.classifier().maxBatch());
    assertEquals("INFO", s.logLevel());
  }

  @Test
  void aVerticlesDeploymentConfigFallsBackOnTheDefaultsAndIsValidated() {
    NodeSettings empty = NodeSettings.of(new JsonObject());
    assertEquals(4714, empty.grpc().port());
    assertEquals("node", empty.node().idOrDefault(), "no id outside dgad: the shared default");
    NodeSettings some = NodeSettings.of(new JsonObject().put("grpc", new JsonObject().put("port", 9100)));
    assertEquals(9100, some.grpc().port());
    assertEquals(50054, some.grpc().dgad3Port(), "the rest of the section from the defaults");
    assertEquals("grpc.port: must be between 1 and 65535, got 70000", assertThrows(NodeConfig.ConfigException.class,
        () -> NodeSettings.of(new JsonObject().put("grpc", new JsonObject().put("port", 70000)))).getMessage());
    assertEquals("redis.nodeTtlMs: must be larger than redis.heartbeatMs", assertThrows(NodeConfig.ConfigException.class,
        () -> NodeSettings.of(new JsonObject().put("redis", new JsonObject().put("nodeTtlMs", 1000)
            .put("heartbeatMs", 1000)))).getMessage());
  }

  @Test
  void aTodoSetInsideDgadMeshsOwnKeysIsRefused() {
    // The door would pop the node registry, in-flight sets, invalid names or jobs.
    for (String set : new String[] {"dgad:nodes", "dgad:invalid", "dgad:inflight:n1", "dgad:result:x", "dgad:jobs:active"}) {
      String e = error(null, Map.of("REDIS_SET", set));
      assertTrue(e.startsWith("redis.set (from REDIS_SET=" + set + "): '" + set + "' is in dgad-mesh's own key space"), e);
    }
    assertEquals("todo:dgad:x", NodeConfig.settings(NodeConfig.load(null, Map.of("REDIS_SET", "todo:dgad:x"))).redis().set());
    assertEquals("dgad_todo", NodeConfig.settings(NodeConfig.load(null, Map.of("REDIS_SET", "dgad_todo"))).redis().set());
  }

  @Test
  void aNodeIdIsASafeNameForRedisKeys() {
    String e = error(null, Map.of("DGAD_NODE_ID", "a b:c*"));
    assertTrue(e.startsWith("node.id (from DGAD_NODE_ID=a b:c*): 'a b:c*' is not a node id: 1 to 64 letters, digits"), e);
    assertTrue(error(null, Map.of("DGAD_NODE_ID", "n".repeat(65))).startsWith("node.id"));
    assertTrue(error(null, Map.of("DGAD_NODE_ID", "dgad:x")).startsWith("node.id"));
    for (String id : new String[] {"solo", "web-api", "n1", "gone1", "pub-1", "host.example_1-2", "n".repeat(64)}) {
      assertEquals(id, NodeConfig.settings(NodeConfig.load(null, Map.of("DGAD_NODE_ID", id))).node().id());
    }
    // The generated id is one too, whatever the machine calls itself.
    for (String host : new String[] {"myhost", "my host:name*", "h".repeat(300), "r\u00e9seau.local", ""}) {
      String id = NodeConfig.defaultNodeId(host);
      assertTrue(NodeConf.ID.matcher(id).matches(), host + " -> " + id);
      assertTrue(id.length() <= 49, "room for a suffix (the bench adds one): " + id);
    }
    assertTrue(NodeConf.ID.matcher(NodeConfig.load(null, Map.of()).getJsonObject("node").getString("id")).matches());
  }

  @Test
  void maxNameBytesHasAFloorOfAHostNamesLength() {
    assertEquals(1024, NodeConfig.settings(NodeConfig.load(null, Map.of())).redis().maxNameBytes());
    assertEquals("redis.maxNameBytes: must be between 253 and 65536, got 100", assertThrows(NodeConfig.ConfigException.class,
        () -> NodeSettings.of(new JsonObject().put("redis", new JsonObject().put("maxNameBytes", 100)))).getMessage());
  }
}
