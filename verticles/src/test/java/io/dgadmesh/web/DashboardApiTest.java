package io.dgadmesh.web;

import static io.dgadmesh.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.dgadmesh.testing.SevereLog;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API over real TCP against a real node (classifier + Redis door + web) and redis-server. */
@Timeout(120)
class DashboardApiTest {

  private static TestNode node;
  private static WebClient client;
  private static final AtomicInteger SEQ = new AtomicInteger();
  /** SEVERE records logged during the current test (the router logs unhandled failures so). */
  private SevereLog severe;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("web-api");
    client = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(node.webPort));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @BeforeEach
  void captureSevereLogs() {
    severe = SevereLog.open();
  }

  @AfterEach
  void stopCapturing() {
    severe.close();
  }

  private void assertNoSevereLog() {
    assertEquals(List.of(), severe.records());
  }

  /** A JSON error body {"error": "..."} with the given status; returns the message. */
  private static String jsonError(int status, HttpResponse<Buffer> r) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"), r.getHeader("Content-Type"));
    String error = r.bodyAsJsonObject().getString("error");
    assertNotNull(error, r.bodyAsString());
    return error;
  }

  private static String dga() {
    return Names.randomDga(20, 1000 + SEQ.incrementAndGet());
  }

  private static HttpResponse<Buffer> post(String path, Object body) throws Exception {
    return await(client.post(path).sendBuffer(Buffer.buffer(body.toString())));
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(path).send());
  }

  @Test
  void classifyAnswersInOrderWithPerNameErrors() throws Exception {
    String dga = dga();
    HttpResponse<Buffer> r = post("/api/classify",
        new JsonObject().put("domains", new JsonArray().add("Mail.Google.COM.").add(dga).add("bad_name!.com")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    JsonArray results = r.bodyAsJsonObject().getJsonArray("results");
    assertEquals(3, results.size());
    JsonObject ok = results.getJsonObject(0);
    assertEquals("mail.google.com", ok.getString("domain"));
    assertFalse(ok.getBoolean("is_dga"));
    assertNull(ok.getString("family"));
    JsonObject bad = results.getJsonObject(1);
    assertEquals(dga, bad.getString("domain"));
    assertTrue(bad.getBoolean("is_dga"), bad.encode());
    assertNotNull(bad.getString("family"));
    assertTrue(bad.getFloat("score") > 0.5f);
    JsonObject invalid = results.getJsonObject(2);
    assertEquals("bad_name!.com", invalid.getString("domain"));
    assertNotNull(invalid.getString("error"));
  }

  @Test
  void classifyTakesTextPlainOneNamePerLine() throws Exception {
    HttpResponse<Buffer> r = await(client.post("/api/classify").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("google.com\n\n" + dga() + "\r\n")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray results = r.bodyAsJsonObject().getJsonArray("results");
    assertEquals(2, results.size());
    assertEquals("google.com", results.getJsonObject(0).getString("domain"));
  }

  @Test
  void classifyRejectsMalformedJsonAndTooManyNames() throws Exception {
    HttpResponse<Buffer> malformed = post("/api/classify", "{\"domains\": [\"a.com\"");
    assertEquals(400, malformed.statusCode());
    assertTrue(malformed.bodyAsJsonObject().getString("error").contains("malformed JSON"));

    HttpResponse<Buffer> noArray = post("/api/classify", new JsonObject().put("names", new JsonArray().add("a.com")));
    assertEquals(400, noArray.statusCode());
    assertTrue(noArray.bodyAsJsonObject().getString("error").contains("domains"));

    JsonArray many = new JsonArray();
    for (int i = 0; i < 51; i++) {
      many.add("host" + i + ".example.com");
    }
    HttpResponse<Buffer> tooMany = post("/api/classify", new JsonObject().put("domains", many));
    assertEquals(400, tooMany.statusCode());
    assertTrue(tooMany.bodyAsJsonObject().getString("error").contains("limit is 50"), tooMany.bodyAsString());

    many.remove(50);
    assertEquals(200, post("/api/classify", new JsonObject().put("domains", many)).statusCode());
  }

  @Test
  void resultsLookUpWhatTheRedisDoorWrote() throws Exception {
    String dga = dga();
    assertEquals(":2", node.redis.command("SADD " + node.todo + " " + dga + " shop-" + SEQ.get() + ".example.org"));
    await(Poll.until(node.vertx, 30_000, "the Redis door's result via HTTP",
        () -> client.get("/api/results").addQueryParam("domain", dga).send().map(r -> r.statusCode() == 200)));
    JsonObject found = get("/api/results?domain=" + dga).bodyAsJsonObject();
    assertEquals(dga, found.getString("domain"));
    assertEquals("DGA", found.getString("label"));
    assertTrue(found.getBoolean("is_dga"));
    assertEquals("web-api", found.getString("node"));
    assertTrue(found.getDouble("score") > 0.5);
    assertNotNull(found.getString("family"));
    assertNotNull(found.getString("time"));

    // Upper case is normalised to the stored name.
    assertEquals(200, get("/api/results?domain=" + dga.toUpperCase()).statusCode());
    HttpResponse<Buffer> missing = get("/api/results?domain=never-seen-" + SEQ.incrementAndGet() + ".example.com");
    assertEquals(404, missing.statusCode());
    assertEquals(400, get("/api/results").statusCode());

    // An invalid name given to the Redis door: its reason.
    String badName = "bad_name!" + SEQ.incrementAndGet();
    node.redis.command("SADD " + node.todo + " " + badName);
    await(Poll.until(node.vertx, 30_000, "the invalid reason",
        () -> client.get("/api/results").addQueryParam("domain", badName).send().map(r -> r.statusCode() == 200)));
    assertNotNull(get("/api/results?domain=" + badName).bodyAsJsonObject().getString("error"));
  }

  @Test
  void recentListsTheLatestResultsNewestFirst() throws Exception {
    String first = dga();
    String second = dga();
    post("/api/classify", new JsonObject().put("domains", new JsonArray().add(first)));
    post("/api/classify", new JsonObject().put("domains", new JsonArray().add(second)));
    await(Poll.until(node.vertx, 10_000, "both names in recent", () -> client.get("/api/results/recent?limit=1000")
        .send().map(r -> r.bodyAsString().contains(first) && r.bodyAsString().contains(second))));
    JsonArray recent = get("/api/results/recent?limit=1000").bodyAsJsonArray();
    List<String> names = new ArrayList<>();
    recent.forEach(o -> names.add(((JsonObject) o).getString("domain")));
    assertTrue(names.indexOf(second) < names.indexOf(first), "newest first: " + names);
    JsonObject r = recent.getJsonObject(names.indexOf(second));
    assertEquals("web-api", r.getString("node"));
    assertTrue(r.getLong("time") > 0);
    assertEquals(1, get("/api/results/recent?limit=1").bodyAsJsonArray().size());
    assertEquals(400, get("/api/results/recent?limit=abc").statusCode());
  }

  @Test
  void streamCarriesResultsAndQueueDepth() throws Exception {
    HttpClient http = node.vertx.createHttpClient();
    StringBuffer seen = new StringBuffer();
    HttpClientResponse resp = await(http.request(new RequestOptions().setMethod(HttpMethod.GET)
            .setHost("127.0.0.1").setPort(node.webPort).setURI("/api/stream"))
        // The handler is set in the same event-loop task that sends the request, so before any data
        // can arrive. (Chained from this thread, the map could run after the first chunk was read.)
        .compose(req -> req.send().map(r -> r.handler(b -> seen.append(b.toString())))));
    assertEquals(200, resp.statusCode());
    assertTrue(resp.getHeader("Content-Type").startsWith("text/event-stream"));
    await(Poll.until(node.vertx, 10_000, "the hello event", () -> Future.succeededFuture(seen.indexOf("event: hello") >= 0)));

    String viaHttp = dga();
    String viaRedis = dga();
    post("/api/classify", new JsonObject().put("domains", new JsonArray().add(viaHttp)));
    node.redis.command("SADD " + node.todo + " " + viaRedis);
    await(Poll.until(node.vertx, 30_000, "both names on the stream",
        () -> Future.succeededFuture(seen.indexOf(viaHttp) >= 0 && seen.indexOf(viaRedis) >= 0)));
    await(Poll.until(node.vertx, 10_000, "a queue event",
        () -> Future.succeededFuture(seen.indexOf("event: queue") >= 0)));
    // Every event is one "event:" line and one JSON "data:" line.
    for (String frame : seen.toString().split("\n\n")) {
      if (frame.startsWith("event: results")) {
        String[] lines = frame.split("\n");
        assertEquals(2, lines.length, frame);
        JsonObject ev = new JsonObject(lines[1].substring("data: ".length()));
        assertTrue(ev.getLong("classified") >= ev.getJsonArray("results").size());
      }
    }

    // The leader's dgad.stats are relayed as they are.
    JsonObject stats = new JsonObject().put("time", System.currentTimeMillis()).put("leader", "web-api")
        .put("nodes", new JsonArray()).put("queue_depth", 0).put("in_flight", 0);
    node.vertx.eventBus().publish(io.dgadmesh.bus.Bus.STATS, stats);
    await(Poll.until(node.vertx, 10_000, "a stats event",
        () -> Future.succeededFuture(seen.indexOf("event: stats\ndata: " + stats.encode()) >= 0)));
    await(http.close());
  }

  @Test
  void healthAndMetrics() throws Exception {
    HttpResponse<Buffer> live = get("/health/live");
    assertEquals(200, live.statusCode());
    assertEquals("UP", live.bodyAsJsonObject().getString("status"));
    HttpResponse<Buffer> ready = get("/health/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertTrue(ready.bodyAsJsonObject().getBoolean("model"));
    assertTrue(ready.bodyAsJsonObject().getBoolean("redis"));

    post("/api/classify", new JsonObject().put("domains", new JsonArray().add(dga()).add("example.com")));
    await(Poll.until(node.vertx, 10_000, "a sampled queue depth", () -> client.get("/metrics").send()
        .map(r -> r.bodyAsString().contains("dgad_redis_queue_depth 0.0"))));
    HttpResponse<Buffer> m = get("/metrics");
    assertEquals(200, m.statusCode());
    assertTrue(m.getHeader("Content-Type").startsWith("text/plain"));
    String text = m.bodyAsString();
    for (String metric : List.of("dgad_classified_names_total{label=\"dga\"}", "dgad_classified_names_total{label=\"ok\"}",
        "dgad_model_batch_size_bucket", "dgad_model_latency_seconds_bucket", "dgad_model_latency_seconds_count",
        "dgad_eventbus_request_seconds_bucket{address=\"dgad.classify\"", "dgad_redis_queue_depth", "jvm_memory_used_bytes",
        "vertx_http_server_requests_total", "vertx_eventbus_")) {
      assertTrue(text.contains(metric), metric + " missing from /metrics");
    }
  }

  @Test
  void pageIsServedWithAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<Buffer> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
    assertTrue(page.bodyAsString().contains("<title>dgad-mesh dashboard</title>"));
    String csp = page.getHeader("Content-Security-Policy");
    assertEquals(SecurityHeaders.CSP, csp);
    assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"));
    assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
    HttpResponse<Buffer> js = get("/js/app.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.getHeader("Content-Type").contains("javascript"), js.getHeader("Content-Type"));
    assertEquals(SecurityHeaders.CSP, get("/api/results/recent").getHeader("Content-Security-Policy"));
    assertEquals(404, get("/api/nothing-here").statusCode());
    // Nothing in the page may need inline code or styles.
    assertFalse(page.bodyAsString().contains("style="));
    assertFalse(page.bodyAsString().contains("<script>"));
    assertFalse(page.bodyAsString().contains("onclick"));
  }

  @Test
  void tokenGuardsTheApiTheStreamAndMetrics() throws Exception {
    int port = RedisServer.freePort();
    JsonObject conf = node.conf.copy();
    conf.getJsonObject("web").put("port", port).put("token", "s3cret-token");
    String id = await(node.vertx.deployVerticle(DashboardVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
    try {
      WebClient c = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      HttpResponse<Buffer> none = await(c.get("/api/results/recent").send());
      assertTrue(jsonError(401, none).contains("token is required"));
      assertEquals("Bearer realm=\"dgad\"", none.getHeader("WWW-Authenticate"));
      assertEquals("wrong token", jsonError(401, await(c.get("/api/results/recent").bearerTokenAuthentication("wrong-token").send())));
      assertEquals(401, await(c.get("/api/jobs").send()).statusCode());
      assertEquals(401, await(c.get("/api/nothing-here").send()).statusCode());
      assertEquals(200, await(c.get("/api/results/recent").bearerTokenAuthentication("s3cret-token").send()).statusCode());
      assertEquals(401, await(c.post("/api/classify").sendJsonObject(new JsonObject().put("domains", new JsonArray()))).statusCode());
      // A body behind the token reaches its handler whole (the authentication handler pauses the request).
      HttpResponse<Buffer> classified = await(c.post("/api/classify").bearerTokenAuthentication("s3cret-token")
          .sendJsonObject(new JsonObject().put("domains", new JsonArray().add("google.com").add("example.org"))));
      assertEquals(200, classified.statusCode(), classified.bodyAsString());
      assertEquals(2, classified.bodyAsJsonObject().getJsonArray("results").size());
      assertEquals(401, await(c.get("/metrics").send()).statusCode());
      assertEquals(200, await(c.get("/metrics").bearerTokenAuthentication("s3cret-token").send()).statusCode());
      assertEquals(401, await(c.get("/api/stream").send()).statusCode());
      // The query-string token is for EventSource (the stream) only.
      assertEquals(401, await(c.get("/api/results/recent?access_token=s3cret-token").send()).statusCode());
      HttpClient http = node.vertx.createHttpClient();
      HttpClientResponse stream = await(http.request(HttpMethod.GET, port, "127.0.0.1", "/api/stream?access_token=s3cret-token")
          .compose(req -> req.send()));
      assertEquals(200, stream.statusCode());
      await(http.close());
      // Health and the page itself (with its login form) stay open.
      assertEquals(200, await(c.get("/health/live").send()).statusCode());
      assertEquals(200, await(c.get("/").send()).statusCode());
    } finally {
      await(node.vertx.undeploy(id));
    }
  }

  /** A Redis that accepts and never answers: the health check times out, and the late failure is not an error. */
  @Test
  void aRedisThatAnswersAfterTheCheckTimedOutLogsNoSevere() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
         SevereLog severe = SevereLog.open()) {
      List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.logging.Handler warned = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord r) {
          warnings.add(String.valueOf(r.getMessage()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
      java.util.logging.Logger.getLogger("").addHandler(warned);
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.start();
      int port = RedisServer.freePort();
      JsonObject conf = node.conf.copy();
      conf.getJsonObject("web").put("port", port);
      conf.getJsonObject("redis").put("host", "127.0.0.1").put("port", silent.getLocalPort());
      String id = await(node.vertx.deployVerticle(DashboardVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
      try {
        WebClient c = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
        HttpResponse<Buffer> ready = await(c.get("/health/ready").send());
        assertEquals(503, ready.statusCode(), ready.bodyAsString());
        // Now the PING the check gave up on fails: the connection closes under it.
        for (java.net.Socket sock : accepted) {
          sock.close();
        }
        // The late failure of the PING is logged by the store (WARNING) right after it reaches the check.
        String where = "Redis at 127.0.0.1:" + silent.getLocalPort();
        io.dgadmesh.testing.Poll.await(20_000, "the store's warning for the failed PING",
            () -> warnings.stream().anyMatch(w -> w.contains(where)));
        await(c.get("/health/live").send()); // one more turn of the event loops
        assertEquals(List.of(), severe.records().stream().filter(r -> r.contains("already completed")).toList());
      } finally {
        java.util.logging.Logger.getLogger("").removeHandler(warned);
        await(node.vertx.undeploy(id));
        silent.close();
        acceptor.join(5_000);
      }
    }
  }

  @Test
  void notReadyWithoutRedis() throws Exception {
    int port = RedisServer.freePort();
    JsonObject conf = node.conf.copy();
    conf.getJsonObject("web").put("port", port);
    conf.getJsonObject("redis").put("port", RedisServer.freePort()); // nothing listens there
    String id = await(node.vertx.deployVerticle(DashboardVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
    try {
      WebClient c = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      HttpResponse<Buffer> ready = await(c.get("/health/ready").send());
      assertEquals(503, ready.statusCode());
      assertTrue(ready.bodyAsJsonObject().getBoolean("model"));
      assertFalse(ready.bodyAsJsonObject().getBoolean("redis"));
      assertEquals("DOWN", ready.bodyAsJsonObject().getString("status"));
      assertNotNull(ready.bodyAsJsonObject().getString("redis_error"), ready.bodyAsString());
      assertEquals(503, await(c.get("/api/results?domain=example.com").send()).statusCode());
    } finally {
      await(node.vertx.undeploy(id));
    }
  }

  @Test
  void malformedPercentEscapesAreBadRequests() throws Exception {
    assertTrue(jsonError(400, get("/api/results?domain=%zz")).startsWith("malformed URI: "));
    assertTrue(jsonError(400, get("/api/results/recent?limit=%zz")).startsWith("malformed URI: "));
    // The cluster API (its own sub-router, with path parameters), a path, a static file.
    jsonError(400, get("/api/jobs/x/results?format=%zz"));
    jsonError(400, get("/api/%zz"));
    jsonError(400, get("/index.html?x=%zz"));
    // A form body that does not decode: the body handler's own 400, in JSON.
    String form = jsonError(400, await(client.post("/api/classify")
        .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("{\"domains\": [\"%zz.com\"]}"))));
    assertTrue(form.contains("invalid hex byte"), form);
    assertNoSevereLog();
  }

  @Test
  void aBodyOverTheLimitIs413WithTheLimitInJson() throws Exception {
    // maxClassify = 50 in the test node: 50 * 300 + 64 KiB = 80,536 bytes.
    String big = "{\"domains\": [\"" + "a".repeat(100_000) + "\"]}";
    String error = jsonError(413, post("/api/classify", big));
    assertTrue(error.contains("80536"), error);
    assertNoSevereLog();
    assertEquals(200, post("/api/classify", new JsonObject().put("domains", new JsonArray().add("google.com"))).statusCode());
  }

  @Test
  void lookupOfANameThatIsNotAHostNameIsABadRequest() throws Exception {
    // The Redis door's own keys (dgad:invalid, dgad:nodes) and the todo set are no host names.
    node.redis.command("SADD dgad:invalid not_a_host_" + SEQ.incrementAndGet());
    for (String name : List.of("dgad:invalid", "dgad:nodes", node.todo)) {
      HttpResponse<Buffer> r = await(client.get("/api/results").addQueryParam("domain", name).send());
      String error = jsonError(400, r);
      assertTrue(error.contains("outside a host name"), name + ": " + error);
    }
    assertNoSevereLog();
  }

  @Test
  void aKeyOfAnotherTypeIsNoResult() throws Exception {
    int n = SEQ.incrementAndGet();
    String set = "a-set-" + n + ".example.com";
    assertEquals(":1", node.redis.command("SADD " + set + " member"));
    assertEquals(":1", node.redis.command("SADD dgad:result:" + set + " member"));
    jsonError(404, get("/api/results?domain=" + set));
    // The name as given is a set, its normalised form a stored result: the result.
    String stored = "stored-" + n + ".example.com";
    String given = "Stored-" + n + ".Example.com";
    assertEquals("+OK", node.redis.command("SET " + stored + " DGA"));
    assertEquals(":1", node.redis.command("SADD " + given + " member"));
    HttpResponse<Buffer> found = get("/api/results?domain=" + given);
    assertEquals(200, found.statusCode(), found.bodyAsString());
    assertEquals(stored, found.bodyAsJsonObject().getString("domain"));
    assertEquals("DGA", found.bodyAsJsonObject().getString("label"));
  }

  @Test
  void classifyNamesEachEntryThatIsNotAString() throws Exception {
    HttpResponse<Buffer> r = post("/api/classify", "{\"domains\": [123, true, {\"a\":1}, [\"x\"], null, \"google.com\"]}");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray results = r.bodyAsJsonObject().getJsonArray("results");
    assertEquals(6, results.size(), results.encode());
    List<String> given = List.of("123", "true", "{\"a\":1}", "[\"x\"]", "null");
    for (int i = 0; i < given.size(); i++) {
      assertEquals("not a string: " + given.get(i), results.getJsonObject(i).getString("error"), results.encode());
    }
    assertEquals("google.com", results.getJsonObject(5).getString("domain"));
    assertFalse(results.getJsonObject(5).getBoolean("is_dga"));
  }

  @Test
  void securityHeadersAreOnEveryAnswer() throws Exception {
    for (HttpResponse<Buffer> r : List.of(get("/"), get("/api/results/recent"), get("/api/nothing-here"), get("/health/live"),
        post("/api/classify", "{"))) {
      assertEquals(SecurityHeaders.CSP, r.getHeader("Content-Security-Policy"));
      assertEquals("DENY", r.getHeader("X-Frame-Options"));
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
      assertEquals("no-referrer", r.getHeader("Referrer-Policy"));
      assertEquals("same-origin", r.getHeader("Cross-Origin-Opener-Policy"));
      assertEquals("same-origin", r.getHeader("Cross-Origin-Resource-Policy"));
      assertNull(r.getHeader("Strict-Transport-Security"), "HSTS only over TLS");
    }
    // Behind a TLS-terminating proxy that says so, HSTS too.
    assertNotNull(await(client.get("/").putHeader("Front-End-Https", "on").send()).getHeader("Strict-Transport-Security"));
  }

  @Test
  void aBodyWithoutAJsonTypeIsReadAsJsonOnlyWhenItStartsLikeJson() throws Exception {
    // What curl -d sends: a form type. Names, one per line: classified.
    HttpResponse<Buffer> lines = await(client.post("/api/classify").putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer("google.com\nexample.org\n")));
    assertEquals(200, lines.statusCode(), lines.bodyAsString());
    assertEquals(2, lines.bodyAsJsonObject().getJsonArray("results").size());
    assertTrue(jsonError(400, post("/api/classify", "[\"google.com\"]")).contains("\"domains\" array"));
    assertTrue(jsonError(400, await(client.post("/api/classify").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("google.com")))).startsWith("malformed JSON"));
    assertTrue(jsonError(400, post("/api/classify", "")).startsWith("empty body"));
  }

  @Test
  void readyNamesTheModelVersion() throws Exception {
    JsonObject ready = get("/health/ready").bodyAsJsonObject();
    assertEquals("UP", ready.getString("status"));
    assertEquals("web-api", ready.getString("node"));
    assertNotNull(ready.getString("model_version"), ready.encode());
    assertNull(ready.getValue("redis_error"));
    assertEquals("web-api", get("/health/live").bodyAsJsonObject().getString("node"));
  }

  @Test
  void aLimitOutOfRangeGetsTheAllowedRange() throws Exception {
    for (String limit : List.of("99999999999", "abc", "0", "-1")) {
      String error = jsonError(400, get("/api/results/recent?limit=" + limit));
      assertTrue(error.contains("from 1 to " + Integer.MAX_VALUE), limit + ": " + error);
    }
  }

  @Test
  void contentTypeIsMatchedWhateverTheDefaultLocale() throws Exception {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR")); // 'I'.toLowerCase() is a dotless i there
    try {
      HttpResponse<Buffer> r = await(client.post("/api/classify").putHeader("Content-Type", "TEXT/PLAIN")
          .sendBuffer(Buffer.buffer("google.com\nexample.org\n")));
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(2, r.bodyAsJsonObject().getJsonArray("results").size());
    } finally {
      Locale.setDefault(before);
    }
  }
}
