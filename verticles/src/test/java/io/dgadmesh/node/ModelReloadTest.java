package io.dgadmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.ModelFiles;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of the model (classifier.modelPath) on a real node (two classifier instances, the
 * Redis door, the web role behind a token) over HTTP: under a steady load of classify calls the
 * model is switched from A to B and back, and no call fails; every result names the model that
 * judged it, and every call sent after a reload answered is judged by the new model. The version
 * reaches the Redis result hash, /metrics, the cluster view and readiness. A file that does not
 * load is refused with its reason and the old model serves on. SIGHUP's handler does what the
 * route does. Model B is the shipped network declaring another version (see {@link ModelFiles}).
 */
@Timeout(value = 180)
class ModelReloadTest {

  private static final String TOKEN = "reload-token";
  private static final String DECLARED_B = "9.9.9-reload-test";

  @TempDir
  Path dir;

  private Path model;
  private byte[] a;
  private byte[] b;
  private String versionA;
  private String versionB;
  private TestNode node;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One classify call of the load: when it was sent and answered, its status and the models named in it. */
  private record Call(long sent, long answered, int status, Set<String> models, int results) {}

  @BeforeEach
  void setUp() throws Exception {
    a = ModelFiles.shipped();
    b = ModelFiles.declaring(DECLARED_B);
    try (var m = io.dgadmesh.model.DgaModel.load(a, 1)) {
      versionA = m.version().id();
    }
    versionB = ModelFiles.versionOf(b, DECLARED_B);
    model = dir.resolve("model.onnx");
    ModelFiles.install(model, a);
    node = TestNode.start("reload", conf -> {
      conf.getJsonObject("classifier").put("modelPath", model.toString());
      conf.getJsonObject("node").put("classifiers", 2);
      conf.getJsonObject("web").put("token", TOKEN);
    });
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void reloadsUnderLoadWithoutAFailedCallAndEveryResultNamesItsModel() throws Exception {
    assertFalse(versionA.equals(versionB));
    List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // the loops end by themselves
    for (int t = 0; t < 3; t++) {
      int client = t;
      Thread th = new Thread(() -> {
        for (int i = 0; !stop.get() && System.nanoTime() < until; i++) {
          calls.add(classify(List.of("google.com", "xjwqkfzvbnmtrplhgdsq.com", "shop" + client + "x" + i + ".example.org")));
        }
      }, "reload-client-" + t);
      th.start();
      clients.add(th);
    }
    try {
      Poll.await(30_000, "calls answered by model A", () -> count(calls, c -> c.models().equals(Set.of(versionA))) >= 20);

      ModelFiles.install(model, b);
      long r1Sent = System.nanoTime();
      HttpResponse<String> first = post("/api/model/reload", TOKEN);
      long r1Done = System.nanoTime();
      assertEquals(200, first.statusCode(), first.body());
      JsonObject r1 = new JsonObject(first.body());
      assertEquals(versionB, r1.getString("model_version"));
      assertEquals(new JsonArray().add(versionA), r1.getJsonArray("replaced"));
      assertEquals(2, r1.getInteger("classifiers"));
      assertEquals("reload", r1.getString("node"));
      Poll.await(30_000, "calls sent after the reload answered", () -> count(calls, c -> c.sent() > r1Done) >= 20);

      // Meanwhile B shows everywhere the node reports its model.
      assertTrue(metrics().contains("dgad_model_info{version=\"" + versionB + "\"} 1"), metrics());
      assertEquals(versionB, new JsonObject(get("/health/ready").body()).getString("model_version"));
      Poll.await(10_000, "the registry entry names model B", () -> {
        JsonArray nodes = new JsonObject(getUnchecked("/api/cluster")).getJsonArray("nodes");
        return nodes.size() == 1 && versionB.equals(nodes.getJsonObject(0).getString("model"));
      });
      assertStoredModel("stored-after-reload.example.com", versionB);

      ModelFiles.install(model, a);
      long r2Sent = System.nanoTime();
      HttpResponse<String> second = post("/api/model/reload", TOKEN);
      long r2Done = System.nanoTime();
      assertEquals(200, second.statusCode(), second.body());
      assertEquals(versionA, new JsonObject(second.body()).getString("model_version"));
      Poll.await(30_000, "calls sent after the second reload answered", () -> count(calls, c -> c.sent() > r2Done) >= 20);
      assertFalse(metrics().contains("dgad_model_info{version=\"" + versionB + "\"}"),
          "a version no instance serves leaves the scrape: " + metrics());

      stop.set(true);
      for (Thread th : clients) {
        th.join(30_000);
      }
      List<Call> all;
      synchronized (calls) {
        all = new ArrayList<>(calls);
      }
      for (Call c : all) {
        assertEquals(200, c.status(), "a classify call failed during the reloads");
        assertEquals(3, c.results());
        assertTrue(Set.of(versionA, versionB).containsAll(c.models()) && c.models().size() == 1, c.toString());
      }
      assertTrue(all.stream().filter(c -> c.answered() < r1Sent).allMatch(c -> c.models().contains(versionA)));
      List<Call> between = all.stream().filter(c -> c.sent() > r1Done && c.answered() < r2Sent).toList();
      assertFalse(between.isEmpty());
      assertTrue(between.stream().allMatch(c -> c.models().equals(Set.of(versionB))),
          "every call sent after the first reload answered is judged by B");
      List<Call> after = all.stream().filter(c -> c.sent() > r2Done).toList();
      assertTrue(after.size() >= 20);
      assertTrue(after.stream().allMatch(c -> c.models().equals(Set.of(versionA))),
          "every call sent after the second reload answered is judged by A");
      System.out.printf("model reload: %d calls, none failed; %d between the reloads judged by B%n", all.size(),
          between.size());
    } finally {
      stop.set(true);
      for (Thread th : clients) {
        th.join(30_000);
      }
    }
  }

  @Test
  void aFileThatDoesNotLoadIsRefusedAndTheOldModelServesOn() throws Exception {
    Files.write(model, "not an onnx model".getBytes());
    HttpResponse<String> garbage = post("/api/model/reload", TOKEN);
    assertEquals(422, garbage.statusCode(), garbage.body());
    String why = new JsonObject(garbage.body()).getString("error");
    assertTrue(why.contains(model.toString()) && why.contains("still serve"), why);

    // A valid ONNX file that is not a dgad model: its metadata lacks the version.
    ModelFiles.install(model, ModelFiles.withMetadata(a, "dgad.model_version", null));
    HttpResponse<String> foreign = post("/api/model/reload", TOKEN);
    assertEquals(422, foreign.statusCode(), foreign.body());
    assertTrue(foreign.body().contains("dgad.model_version"), foreign.body());

    Files.delete(model);
    HttpResponse<String> missing = post("/api/model/reload", TOKEN);
    assertEquals(422, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("no such file"), missing.body());

    assertEquals(401, post("/api/model/reload", null).statusCode(), "behind the web token");
    assertEquals(405, send(HttpRequest.newBuilder(URI.create(node.base() + "/api/model/reload"))
        .header("Authorization", "Bearer " + TOKEN).GET()).statusCode());

    Call c = classify(List.of("google.com", "xjwqkfzvbnmtrplhgdsq.com"));
    assertEquals(200, c.status());
    assertEquals(Set.of(versionA), c.models(), "the old model still answers");
    assertEquals(versionA, new JsonObject(get("/health/ready").body()).getString("model_version"));
  }

  @Test
  void sighupsHandlerReloadsTheNodesModel() throws Exception {
    ModelFiles.install(model, b);
    JsonObject reply = Poll.get(ReloadSignal.reload(node.vertx), 60_000);
    assertEquals(versionB, reply.getString("model_version"));
    assertEquals(Set.of(versionB), classify(List.of("example.net")).models());
  }

  private Call classify(List<String> names) {
    long sent = System.nanoTime();
    try {
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(node.base() + "/api/classify"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("domains", new JsonArray(names)).encode())));
      long answered = System.nanoTime();
      Set<String> models = new TreeSet<>();
      int results = 0;
      if (r.statusCode() == 200) {
        JsonArray rs = new JsonObject(r.body()).getJsonArray("results");
        results = rs.size();
        for (int i = 0; i < rs.size(); i++) {
          models.add(String.valueOf(rs.getJsonObject(i).getString("model")));
        }
      }
      return new Call(sent, answered, r.statusCode(), models, results);
    } catch (Exception e) {
      return new Call(sent, System.nanoTime(), -1, Set.of(String.valueOf(e)), 0);
    }
  }

  private static long count(List<Call> calls, Predicate<Call> p) {
    synchronized (calls) {
      return calls.stream().filter(p).count();
    }
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(node.base() + path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return send(r);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(node.base() + path)).header("Authorization", "Bearer " + TOKEN).GET());
  }

  private String getUnchecked(String path) {
    try {
      return get(path).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String metrics() throws Exception {
    return get("/metrics").body();
  }

  private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
    return http.send(r.timeout(Duration.ofSeconds(70)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A name through the Redis door: its result hash names the model that judged it. */
  private void assertStoredModel(String name, String version) {
    Redis redis = Redis.createClient(node.vertx, "redis://127.0.0.1:" + node.redis.port());
    try {
      Poll.get(redis.send(Request.cmd(Command.SADD).arg(node.todo).arg(name)), 10_000);
      Poll.await(20_000, "the Redis door wrote " + name, () -> {
        Response r = Poll.get(redis.send(Request.cmd(Command.HGET).arg("dgad:result:" + name).arg("model")), 10_000);
        return r != null;
      });
      Response r = Poll.get(redis.send(Request.cmd(Command.HGET).arg("dgad:result:" + name).arg("model")), 10_000);
      assertEquals(version, r.toString());
    } finally {
      redis.close();
    }
  }
}
