package io.dgadmesh.cluster;

import io.dgadmesh.node.MeshNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One node alone (not clustered) with worker, classifier and web roles: the HTTP API and batch jobs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JobsApiTest {

  static RedisServer server;
  static MeshNode node;
  static String base;
  static JsonObject conf;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    int web = RedisServer.freePort();
    conf = NodeConfig.load(null, Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT",
        Integer.toString(server.port()), "DGAD_NODE_ID", "solo", "DGAD_WEB_PORT", Integer.toString(web),
        "DGAD_ROLES", "worker,classifier,web", "DGAD_TASK_SIZE", "100"));
    node = new MeshNode(conf);
    node.start();
    base = "http://127.0.0.1:" + web + "/api";
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    server.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String type, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void jobFromTextRunsToTheEndAndDownloadsAsJsonLinesAndCsv() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 1050; i++) {
      names.add(i % 3 == 0 ? "site" + i + ".example.org" : "qx" + Integer.toString(i * 7919, 36) + "zvbnw.net");
    }
    names.add("bad_name!.com");
    HttpResponse<String> created = post("/jobs", "text/plain", String.join("\n", names) + "\n\n");
    assertEquals(201, created.statusCode(), created.body());
    String id = new JsonObject(created.body()).getString("id");
    assertEquals(names.size(), new JsonObject(created.body()).getInteger("total"));
    Poll.await(60_000, "job done", () -> {
      try {
        return new JsonObject(get("/jobs/" + id).body()).getString("status").equals("done");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    JsonObject status = new JsonObject(get("/jobs/" + id).body());
    assertEquals(names.size(), status.getInteger("done"));
    assertEquals(11, status.getJsonObject("tasks").getInteger("total"));
    assertEquals(11, status.getJsonObject("tasks").getInteger("done"));
    assertEquals(0, status.getJsonObject("tasks").getInteger("running"));
    assertNotNull(status.getLong("finished"));

    String[] lines = get("/jobs/" + id + "/results?format=jsonl").body().split("\n");
    assertEquals(names.size(), lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertEquals(names.get(i), new JsonObject(lines[i]).getString("domain"));
    }
    assertTrue(new JsonObject(lines[lines.length - 1]).containsKey("error"));
    String[] csv = get("/jobs/" + id + "/results?format=csv").body().split("\n");
    assertEquals(names.size() + 1, csv.length);
    assertEquals("domain,is_dga,score,family,family_score,error,point", csv[0]);

    JsonArray list = new JsonArray(get("/jobs").body());
    assertTrue(list.stream().anyMatch(j -> ((JsonObject) j).getString("id").equals(id)));
  }

  @Test
  void jobCommandSubmitsWaitsAndDownloadsThroughTheApiAndThroughRedis(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("names.txt");
    java.nio.file.Files.writeString(file, "google.com\n\nxkqjzvwpmrtbh.info\nbad_name!.com\n");
    String remote = base.substring("http://".length(), base.length() - "/api".length());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = io.dgadmesh.cli.JobCli.run(new String[] {"submit", file.toString(), "--remote", remote, "--wait"}, conf,
        new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
    assertEquals(0, code, err.toString());
    String[] printed = out.toString().split("\n");
    String id = new JsonObject(printed[0]).getString("id");
    assertEquals("done", new JsonObject(printed[printed.length - 1]).getString("status"));
    assertTrue(err.toString().contains("100%"), "progress bar: " + err);

    // results through Redis directly (no --remote), as CSV
    java.io.ByteArrayOutputStream csv = new java.io.ByteArrayOutputStream();
    assertEquals(0, io.dgadmesh.cli.JobCli.run(new String[] {"results", id, "--format", "csv"},
        conf, new java.io.PrintStream(csv, true), new java.io.PrintStream(err, true)));
    String[] rows = csv.toString().split("\n");
    assertEquals(4, rows.length, csv.toString());
    assertTrue(rows[1].startsWith("google.com,false,"), rows[1]);
    assertTrue(rows[3].startsWith("bad_name!.com,,,,,"), rows[3]);
  }

  @Test
  void jobFromJsonAndBadRequests() throws Exception {
    HttpResponse<String> created = post("/jobs", "application/json",
        new JsonObject().put("domains", new JsonArray().add("google.com").add("xkqjzvwpmrtb.info")).encode());
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(2, new JsonObject(created.body()).getInteger("total"));
    assertEquals(400, post("/jobs", "application/json", "{\"names\": []}").statusCode());
    assertEquals(400, post("/jobs", "text/plain", "\n\n").statusCode());
    assertEquals(404, get("/jobs/nosuchjob").statusCode());
    assertEquals(404, get("/jobs/nosuchjob/results").statusCode());
    assertEquals(400, get("/jobs/x/results?format=xml").statusCode());
  }

  /** An error of the jobs API: its status, a JSON body {"error": "..."}; returns the message. */
  static String jsonError(int status, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers().toString());
    String error = new JsonObject(r.body()).getString("error");
    assertNotNull(error, r.body());
    return error;
  }

  @Test
  void everyJobsErrorIsJsonLikeTheRestOfTheApi() throws Exception {
    assertTrue(jsonError(400, post("/jobs", "application/json", "{\"names\": []}")).contains("\"domains\""));
    assertTrue(jsonError(400, post("/jobs", "application/json", "{\"domains\": [")).startsWith("malformed JSON"));
    assertEquals("no names in the request", jsonError(400, post("/jobs", "text/plain", "\n\n")));
    assertEquals("no names in the request", jsonError(400, post("/jobs", "application/json", "{\"domains\": []}")));
    assertTrue(jsonError(400, post("/jobs", "text/plain", "")).startsWith("empty body"));
    assertEquals("no job nosuchjob", jsonError(404, get("/jobs/nosuchjob")));
    assertEquals("no job nosuchjob", jsonError(404, get("/jobs/nosuchjob/results")));
    assertEquals("format must be jsonl or csv", jsonError(400, get("/jobs/x/results?format=xml")));
    jsonError(404, get("/jobs/x/nothing-here"));
  }

  @Test
  void aSubmitWithAnEntryThatIsNotAStringIsRefusedNamingIt() throws Exception {
    // /api/classify answers such an entry with an error in its place; a job refuses it whole.
    long jobs = new JsonArray(get("/jobs").body()).size();
    assertEquals("not a string: 123 (domains[1])",
        jsonError(400, post("/jobs", "application/json", "{\"domains\": [\"google.com\", 123, null]}")));
    assertEquals("not a string: null (domains[0])",
        jsonError(400, post("/jobs", "application/json", "{\"domains\": [null]}")));
    assertEquals("not a string: {\"a\":1} (domains[0])",
        jsonError(400, post("/jobs", "application/json", "{\"domains\": [{\"a\": 1}]}")));
    assertEquals(jobs, new JsonArray(get("/jobs").body()).size(), "no job was stored");
  }

  @Test
  void aBodyIsJsonWhenItsTypeSaysSoOrWhenItStartsLikeJson() throws Exception {
    // curl -d sends application/x-www-form-urlencoded whatever the data.
    String form = "application/x-www-form-urlencoded";
    HttpResponse<String> json = post("/jobs", form, "{\"domains\": [\"google.com\", \"example.org\"]}");
    assertEquals(201, json.statusCode(), json.body());
    assertEquals(2, new JsonObject(json.body()).getInteger("total"));
    HttpResponse<String> lines = post("/jobs", form, "google.com\nexample.org\nexample.net\n");
    assertEquals(201, lines.statusCode(), lines.body());
    assertEquals(3, new JsonObject(lines.body()).getInteger("total"));
    // text/plain is one name per line, whatever the lines look like.
    HttpResponse<String> text = post("/jobs", "text/plain", "{\"domains\": [\"google.com\"]}");
    assertEquals(201, text.statusCode(), text.body());
    assertEquals(1, new JsonObject(text.body()).getInteger("total"));
  }

  @Test
  void clusterShowsThisNodeAsLeaderWithStats() throws Exception {
    Poll.await(30_000, "stats published", () -> {
      try {
        return new JsonObject(get("/cluster").body()).getJsonObject("stats") != null;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    JsonObject c = new JsonObject(get("/cluster").body());
    assertEquals("solo", c.getString("leader"));
    assertEquals(1, c.getJsonArray("nodes").size());
    JsonObject n = c.getJsonArray("nodes").getJsonObject(0);
    assertEquals("solo", n.getString("id"));
    assertEquals(new JsonArray().add("worker").add("classifier").add("web"), n.getJsonArray("roles"));
    JsonObject stats = c.getJsonObject("stats");
    assertEquals("solo", stats.getString("leader"));
    for (String k : List.of("classified", "dga", "dga_share", "throughput", "families")) {
      assertTrue(stats.getJsonObject("total").containsKey(k), k);
    }
    assertTrue(stats.containsKey("queue_depth"));
    assertTrue(stats.containsKey("in_flight"));
  }
}
