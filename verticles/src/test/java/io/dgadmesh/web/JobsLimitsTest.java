package io.dgadmesh.web;

import static io.dgadmesh.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The jobs API under load a client controls (issue 12, defects 4, 5 and 11): bodies streamed into
 * Redis with a size limit and a bound on uploads at once, nothing left of a failed upload, results
 * read only as fast as the client takes them, ids checked, Redis errors never shown.
 */
@Timeout(180)
class JobsLimitsTest {

  private static final int TASK_SIZE = 500;
  private static TestNode node;
  private static WebClient client;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("web-jobs", conf -> conf.getJsonObject("jobs").put("taskSize", TASK_SIZE));
    client = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.webPort));
    http = node.vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** Names lists in Redis that belong to no job: what a failed upload would leave behind. */
  private static long partialLists() {
    long lists = count(node.redis.command("KEYS dgad:job:*:names"));
    return lists - count(node.redis.command("ZCARD dgad:jobs"));
  }

  /** The number in a reply line such as "*3" or ":3". */
  private static long count(String reply) {
    return Long.parseLong(reply.substring(1));
  }

  private static String name(int i) {
    return "host-" + i + ".example.org";
  }

  @Test
  void uploadsPastTheLimitAt503AndTheOthersComplete() throws Exception {
    // Two uploads under way (their first chunks are in Redis), the body not ended yet.
    Upload a = await(Upload.start(http, node.webPort, "/api/jobs", "text/plain", Upload.lines(0, 1500, JobsLimitsTest::name),
        false, null));
    Upload b = await(Upload.start(http, node.webPort, "/api/jobs", "text/plain", Upload.lines(0, 1500, JobsLimitsTest::name),
        false, null));
    Poll.await(30_000, "both uploads storing", () -> partialLists() == 2);

    HttpResponse<Buffer> third = await(client.post("/api/jobs").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("google.com\n")));
    assertEquals(503, third.statusCode(), third.bodyAsString());
    assertTrue(third.bodyAsJsonObject().getString("error").contains("web.maxJobUploads"), third.bodyAsString());

    a.finish(Upload.lines(1500, 2500, JobsLimitsTest::name));
    b.finish(Upload.lines(1500, 1600, JobsLimitsTest::name));
    Upload.Answer doneA = await(a.answer());
    Upload.Answer doneB = await(b.answer());
    assertEquals(201, doneA.status(), doneA.body());
    assertEquals(2500, new JsonObject(doneA.body()).getInteger("total"));
    assertEquals(201, doneB.status(), doneB.body());
    assertEquals(1600, new JsonObject(doneB.body()).getInteger("total"));
    assertEquals(0, partialLists());

    // Room again: a new upload is taken.
    Poll.await(10_000, "an upload taken again", () -> Poll.get(client.post("/api/jobs").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("google.com\n")), 10_000).statusCode() == 201);
  }

  @Test
  void anAbortedUploadLeavesNoPartialJobAndTheApiKeepsAnswering() throws Exception {
    long jobs = count(node.redis.command("ZCARD dgad:jobs"));
    Upload u = await(Upload.start(http, node.webPort, "/api/jobs", "text/plain", Upload.lines(0, 5000, JobsLimitsTest::name),
        false, null));
    Poll.await(30_000, "the upload storing", () -> partialLists() == 1);
    u.abort();
    Poll.await(30_000, "the partial names deleted", () -> partialLists() == 0);
    assertEquals(jobs, count(node.redis.command("ZCARD dgad:jobs")), "no job was published");

    assertEquals(200, await(client.get("/api/jobs").send()).statusCode());
    HttpResponse<Buffer> next = await(client.post("/api/jobs").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("google.com\nexample.org\n")));
    assertEquals(201, next.statusCode(), next.bodyAsString());
  }

  @Test
  void aBodyRefusedHalfwayLeavesNothing() throws Exception {
    long jobs = count(node.redis.command("ZCARD dgad:jobs"));
    // 3,000 names (three chunks stored), then an entry that is not a string.
    StringBuilder json = new StringBuilder("{\"domains\": [");
    for (int i = 0; i < 3000; i++) {
      json.append('"').append(name(i)).append("\",");
    }
    json.append("123]}");
    HttpResponse<Buffer> r = await(client.post("/api/jobs").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(json.toString())));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals("not a string: 123 (domains[3000])", r.bodyAsJsonObject().getString("error"));

    // A line no host name could be.
    String longLine = "a".repeat(5000);
    HttpResponse<Buffer> tooLong = await(client.post("/api/jobs").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("google.com\n".repeat(2000) + longLine + "\n")));
    assertEquals(400, tooLong.statusCode(), tooLong.bodyAsString());
    assertTrue(tooLong.bodyAsJsonObject().getString("error").startsWith("line 2001 is longer than 4096 bytes"),
        tooLong.bodyAsString());
    Poll.await(30_000, "the partial names deleted", () -> partialLists() == 0);
    assertEquals(jobs, count(node.redis.command("ZCARD dgad:jobs")));
  }

  @Test
  void aBodyOverTheLimitIs413WhetherAnnouncedOrNot() throws Exception {
    int port = RedisServer.freePort();
    JsonObject conf = node.conf.copy();
    conf.getJsonObject("web").put("port", port).put("maxJobBytes", 65_536);
    String id = await(node.vertx.deployVerticle(DashboardVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
    try {
      WebClient c = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      // Announced: refused before a byte of it is read.
      HttpResponse<Buffer> announced = await(c.post("/api/jobs").putHeader("Content-Type", "text/plain")
          .sendBuffer(Buffer.buffer("google.com\n".repeat(10_000))));
      assertEquals(413, announced.statusCode(), announced.bodyAsString());
      assertEquals("request body too large: the limit is 65536 bytes (web.maxJobBytes)",
          announced.bodyAsJsonObject().getString("error"));
      // Chunked: refused when the limit is passed, after some chunks were stored.
      Upload u = await(Upload.start(http, port, "/api/jobs", "text/plain", Upload.lines(0, 20_000, JobsLimitsTest::name),
          true, null));
      Upload.Answer chunked = await(u.answer());
      assertEquals(413, chunked.status(), chunked.body());
      assertTrue(chunked.body().contains("web.maxJobBytes"), chunked.body());
      Poll.await(30_000, "the partial names deleted", () -> partialLists() == 0);
    } finally {
      await(node.vertx.undeploy(id));
    }
  }

  @Test
  void idsAreCheckedAndRedisErrorsAreNotShown() throws Exception {
    HttpResponse<Buffer> created = await(client.post("/api/jobs").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("google.com\n")));
    String id = created.bodyAsJsonObject().getString("id");
    // Another key of the job as an id: not a job id, and never a Redis key.
    // Ids are lowercase hex. An id of digits alone has no upper case (about one in 280), so the
    // upper-cased form is the job itself then; a fixed upper-case id is asked either way.
    List<String> paths = new ArrayList<>(List.of("/api/jobs/" + id + ":names", "/api/jobs/" + id + ":names/results",
        "/api/jobs/nosuchjob", "/api/jobs/ABCDEF012345"));
    if (!id.toUpperCase(Locale.ROOT).equals(id)) {
      paths.add("/api/jobs/" + id.toUpperCase(Locale.ROOT));
    }
    for (String path : paths) {
      HttpResponse<Buffer> r = await(client.get(path).send());
      assertEquals(404, r.statusCode(), path + ": " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getString("error").startsWith("no job "), r.bodyAsString());
    }
    // A job id whose key holds something else: Redis fails, the client learns only that.
    String broken = "0123456789ab";
    assertEquals("+OK", node.redis.command("SET dgad:job:" + broken + " x"));
    for (String path : new String[] {"/api/jobs/" + broken, "/api/jobs/" + broken + "/results"}) {
      HttpResponse<Buffer> r = await(client.get(path).send());
      assertEquals(503, r.statusCode(), r.bodyAsString());
      assertEquals("Redis did not answer; try again later", r.bodyAsJsonObject().getString("error"));
      assertFalse(r.bodyAsString().contains("WRONGTYPE"), r.bodyAsString());
    }
    node.redis.command("DEL dgad:job:" + broken);
  }

  /**
   * A client that asks for a large job's results and reads nothing: the node reads tasks from
   * Redis only while the connection takes them, so it holds at most about the socket buffers'
   * worth of results. Then the client reads: everything arrives, in order.
   */
  @Test
  void resultsAreReadFromRedisOnlyAsFastAsTheClientTakesThem() throws Exception {
    int names = 100_000; // invalid names (no model call), about 240 bytes of results each: some 24 MB
    String pad = "x".repeat(180);
    Upload up = await(Upload.start(http, node.webPort, "/api/jobs", "text/plain",
        Upload.lines(0, names, i -> "bad_" + pad + i), true, null));
    Upload.Answer created = await(up.answer());
    assertEquals(201, created.status(), created.body());
    String id = new JsonObject(created.body()).getString("id");
    Poll.await(120_000, "the job done", () -> "done".equals(Poll.get(client.get("/api/jobs/" + id).send(), 10_000)
        .bodyAsJsonObject().getString("status")));
    int tasks = names / TASK_SIZE;

    AtomicInteger fetched = new AtomicInteger();
    try (Socket monitor = new Socket("127.0.0.1", node.redis.port());
         Socket reader = new Socket()) {
      monitor.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.UTF_8));
      BufferedReader lines = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("+OK", lines.readLine());
      String get = "\"get\" \"dgad:job:" + id + ":result:"; // as the client sent it
      Thread watcher = new Thread(() -> {
        try {
          for (String l = lines.readLine(); l != null; l = lines.readLine()) {
            if (l.toLowerCase(java.util.Locale.ROOT).contains(get)) {
              fetched.incrementAndGet();
            }
          }
        } catch (Exception e) {
          // the monitor socket closed
        }
      });
      watcher.setDaemon(true);
      watcher.start();

      reader.setReceiveBufferSize(4096);
      reader.connect(new InetSocketAddress("127.0.0.1", node.webPort));
      OutputStream out = reader.getOutputStream();
      out.write(("GET /api/jobs/" + id + "/results HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      // The reads stop once the socket buffers are full: wait until no task was read for a second.
      int[] last = {-1};
      Poll.await(60_000, "the reads from Redis to stop (" + tasks + " tasks)", () -> {
        int now = fetched.get();
        boolean still = now > 0 && now == last[0];
        last[0] = now;
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L); // the quiet second being checked
        return still;
      });
      assertTrue(fetched.get() < tasks / 2, fetched.get() + " of " + tasks + " tasks read for a client that read nothing");

      // Now the client reads: all of it arrives.
      InputStream in = reader.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[65_536];
      reader.setSoTimeout(30_000);
      String end = "\r\n0\r\n\r\n"; // the last chunk of a chunked answer
      String tail = "";
      while (!tail.endsWith(end)) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        all.write(buf, 0, n);
        tail = tail + new String(buf, Math.max(0, n - end.length()), Math.min(n, end.length()), StandardCharsets.ISO_8859_1);
        tail = tail.substring(Math.max(0, tail.length() - end.length()));
      }
      String text = all.toString(StandardCharsets.ISO_8859_1);
      assertTrue(text.startsWith("HTTP/1.1 200"), text.substring(0, Math.min(200, text.length())));
      assertEquals(names, occurrences(text, "\"domain\":\"bad_"));
      assertEquals(tasks, fetched.get());
    }
  }

  private static int occurrences(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
