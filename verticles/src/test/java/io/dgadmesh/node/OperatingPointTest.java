package io.dgadmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.SuffixList;
import io.dgadmesh.testing.ModelFiles;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operating points and the suffix list on a real node (classifier, Redis door, web role): every
 * result names the point that judged it, at every door that writes results; an unknown point or an
 * unusable suffix list stops the start with the reason; a reload keeps the configured point and is
 * refused, the old model serving on, when the new model lacks it. Models with points other than the
 * shipped one's are the shipped network with its {@code dgad.operating_points} (or
 * {@code dgad.psl_sha256}) metadata rewritten ({@link ModelFiles}).
 */
@Timeout(value = 180)
class OperatingPointTest {

  @TempDir
  Path dir;

  private TestNode node;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** The shipped network with two named points: strict at {@code strict}, balanced at the model's own threshold. */
  private static byte[] withPoints(String points) {
    return ModelFiles.withMetadata(ModelFiles.shipped(), "dgad.operating_points", points);
  }

  private static float shippedThreshold() {
    try (DgaModel m = DgaModel.load(ModelFiles.shipped(), 1)) {
      return m.spec().threshold();
    }
  }

  /** The shipped model's points, as {@code dgad.info} lists them. */
  private static JsonObject shippedPoints() {
    try (DgaModel m = DgaModel.load(ModelFiles.shipped(), 1)) {
      JsonObject points = new JsonObject();
      m.spec().operatingPoints().forEach(points::put);
      return points;
    }
  }

  @Test
  void resultsNameTheDefaultPointEverywhere() throws Exception {
    node = TestNode.start("point-default");
    JsonObject google = classify("google.com").getJsonObject(0);
    assertEquals("balanced", google.getString("point"), google.encode());

    JsonObject info = Poll.get(Bus.info(node.vertx.eventBus()), 10_000);
    assertEquals("balanced", info.getString("point"));
    assertEquals(shippedPoints().encode(), info.getJsonObject("points").encode(), "the model's points");
    assertEquals(shippedThreshold(), shippedPoints().getFloat("balanced"), "balanced is the model's threshold");
    assertEquals(shippedThreshold(), info.getFloat("threshold"));
    assertEquals("balanced", new JsonObject(get("/health/ready").body()).getString("point"));
    assertEquals("balanced", storedPoint("stored-point.example.com"), "the Redis door's result hash names it too");
  }

  @Test
  void anOperatorsThresholdIsThePointNamedThreshold() throws Exception {
    node = TestNode.start("point-threshold", conf -> conf.getJsonObject("classifier").put("threshold", 0.5));
    JsonArray rs = classify("google.com", "a..b");
    assertEquals("threshold", rs.getJsonObject(0).getString("point"));
    assertTrue(!rs.getJsonObject(1).containsKey("point"), "no point judged an invalid name: " + rs.getJsonObject(1));
    JsonObject info = Poll.get(Bus.info(node.vertx.eventBus()), 10_000);
    assertEquals("threshold", info.getString("point"));
    assertEquals(0.5f, info.getFloat("threshold"));
    assertEquals("threshold", storedPoint("stored-threshold.example.com"));
  }

  @Test
  void anUnknownPointStopsTheStartNamingTheModelsPoints() throws Exception {
    // From the variable to the key, as every setting.
    assertEquals("strict", NodeConfig.load(null, Map.of("DGAD_OPERATING_POINT", "strict"))
        .getJsonObject("classifier").getString("operatingPoint"));
    assertEquals("balanced", NodeConfig.load(null, Map.of()).getJsonObject("classifier").getString("operatingPoint"));

    String shipped = startFailure("point-unknown", conf -> conf.getJsonObject("classifier").put("operatingPoint", "lenient"));
    assertTrue(shipped.contains("classifier.operatingPoint") && shipped.contains("'lenient'")
        && shipped.contains("(it has " + String.join(", ", shippedPoints().fieldNames()) + ")"), shipped);

    Path model = dir.resolve("points.onnx");
    ModelFiles.install(model, withPoints("strict=0.999,balanced=" + shippedThreshold()));
    String twoPoints = startFailure("point-unknown-2", conf -> conf.getJsonObject("classifier")
        .put("modelPath", model.toString()).put("operatingPoint", "lenient"));
    assertTrue(twoPoints.contains("'lenient'") && twoPoints.contains("(it has strict, balanced)"), twoPoints);
  }

  @Test
  void aReloadKeepsThePointAndIsRefusedWhenTheNewModelLacksIt() throws Exception {
    Path model = dir.resolve("model.onnx");
    ModelFiles.install(model, withPoints("strict=0.999,balanced=" + shippedThreshold()));
    node = TestNode.start("point-reload", conf -> conf.getJsonObject("classifier")
        .put("modelPath", model.toString()).put("operatingPoint", "strict"));
    JsonObject before = classify("google.com").getJsonObject(0);
    assertEquals("strict", before.getString("point"));
    Poll.await(10_000, "the cluster view names the node's point", () -> {
      try {
        io.vertx.core.json.JsonArray nodes = new JsonObject(get("/api/cluster").body()).getJsonArray("nodes");
        return nodes != null && nodes.size() == 1 && "strict".equals(nodes.getJsonObject(0).getString("point"));
      } catch (Exception notYet) {
        return false;
      }
    });
    JsonObject info = Poll.get(Bus.info(node.vertx.eventBus()), 10_000);
    assertEquals(0.999f, info.getFloat("threshold"), "the strict point's threshold judges");
    assertEquals(List.of("strict", "balanced"), List.copyOf(info.getJsonObject("points").fieldNames()));

    // A model with the point: the reload keeps it.
    ModelFiles.install(model, ModelFiles.withMetadata(withPoints("strict=0.998,balanced=0.9"), "dgad.model_version",
        "9.9.9-points"));
    HttpResponse<String> ok = post("/api/model/reload");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("strict", new JsonObject(ok.body()).getString("point"));
    JsonObject after = classify("google.com").getJsonObject(0);
    assertEquals("strict", after.getString("point"));
    String version = after.getString("model");
    assertEquals(0.998f, Poll.get(Bus.info(node.vertx.eventBus()), 10_000).getFloat("threshold"));

    // A model without it (one point, balanced, as models before points had): refused, the old one serves on at strict.
    ModelFiles.install(model, withPoints("balanced=" + shippedThreshold()));
    HttpResponse<String> refused = post("/api/model/reload");
    assertEquals(422, refused.statusCode(), refused.body());
    String why = new JsonObject(refused.body()).getString("error");
    assertTrue(why.contains("'strict'") && why.contains("(it has balanced)") && why.contains("still serve"), why);
    JsonObject still = classify("google.com").getJsonObject(0);
    assertEquals("strict", still.getString("point"));
    assertEquals(version, still.getString("model"), "the old model still answers");

    // SIGHUP's handler does what the route does.
    ReplyFailure sighup = replyFailure(() -> Poll.get(ReloadSignal.reload(node.vertx), 60_000));
    assertTrue(sighup.message().contains("'strict'"), sighup.message());
  }

  @Test
  void aSuffixListFileIsReadAndAModelTrainedWithAnotherIsRefused() throws Exception {
    Path psl = dir.resolve("public_suffix_list.dat");
    try (InputStream in = SuffixList.class.getResourceAsStream(SuffixList.BUNDLED_PSL)) {
      Files.writeString(psl, new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n// a rule of this test\nexample-test-suffix.com\n");
    }
    assertTrue(!SuffixList.fromFile(psl).sha256().equals(SuffixList.bundled().sha256()), "the file's rules differ");

    // A model that predates the hash (none recorded) takes the node's list.
    Path older = dir.resolve("no-psl-hash.onnx");
    ModelFiles.install(older, ModelFiles.withMetadata(ModelFiles.shipped(), "dgad.psl_sha256", null));
    node = TestNode.start("psl-file", conf -> conf.getJsonObject("classifier").put("pslPath", psl.toString())
        .put("modelPath", older.toString()));
    assertEquals("balanced", classify("google.com").getJsonObject(0).getString("point"));
    node.close();
    node = null;

    // A model that records the bundled list's hash refuses the file, and takes the bundled list.
    Path model = dir.resolve("psl.onnx");
    ModelFiles.install(model, ModelFiles.withMetadata(ModelFiles.shipped(), "dgad.psl_sha256", SuffixList.bundled().sha256()));
    String why = startFailure("psl-refused", conf -> conf.getJsonObject("classifier")
        .put("modelPath", model.toString()).put("pslPath", psl.toString()));
    assertTrue(why.contains("trained with the suffix list") && why.contains(psl.toString())
        && why.contains("classifier.pslPath"), why);
    node = TestNode.start("psl-bundled", conf -> conf.getJsonObject("classifier").put("modelPath", model.toString()));
    assertEquals("balanced", classify("google.com").getJsonObject(0).getString("point"));
  }

  @Test
  void anUnusableSuffixListStopsTheStartNamingThePath() throws Exception {
    Path missing = dir.resolve("no-such-list.dat");
    NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class,
        () -> NodeConfig.load(null, Map.of("DGAD_PSL_PATH", missing.toString())));
    assertTrue(e.getMessage().contains("classifier.pslPath") && e.getMessage().contains("DGAD_PSL_PATH")
        && e.getMessage().contains(missing.toString()), e.getMessage());

    Path notAList = dir.resolve("three-rules.dat");
    Files.writeString(notAList, "com\nnet\norg\n");
    String why = startFailure("psl-bad", conf -> conf.getJsonObject("classifier").put("pslPath", notAList.toString()));
    assertTrue(why.contains("classifier.pslPath") && why.contains(notAList.toString())
        && why.contains("not a Public Suffix List"), why);
  }

  /** The start's failure, every message of its cause chain. */
  private static String startFailure(String id, Consumer<JsonObject> tweak) {
    Exception e = assertThrows(Exception.class, () -> TestNode.start(id, tweak).close(), "the node must not start");
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }

  private record ReplyFailure(String message) {}

  private static ReplyFailure replyFailure(org.junit.jupiter.api.function.Executable call) {
    Throwable e = assertThrows(Throwable.class, call);
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return new ReplyFailure(all.toString());
  }

  private JsonArray classify(String... names) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(node.base() + "/api/classify"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("domains", new JsonArray(List.of(names))).encode())));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getJsonArray("results");
  }

  private HttpResponse<String> post(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(node.base() + path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(node.base() + path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
    return http.send(r.timeout(Duration.ofSeconds(70)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A name through the Redis door: the point its result hash names. */
  private String storedPoint(String name) {
    Redis redis = Redis.createClient(node.vertx, "redis://127.0.0.1:" + node.redis.port());
    try {
      Poll.get(redis.send(Request.cmd(Command.SADD).arg(node.todo).arg(name)), 10_000);
      Poll.await(20_000, "the Redis door wrote " + name, () ->
          Poll.get(redis.send(Request.cmd(Command.HGET).arg("dgad:result:" + name).arg("point")), 10_000) != null);
      Response r = Poll.get(redis.send(Request.cmd(Command.HGET).arg("dgad:result:" + name).arg("point")), 10_000);
      return r.toString();
    } finally {
      redis.close();
    }
  }
}
