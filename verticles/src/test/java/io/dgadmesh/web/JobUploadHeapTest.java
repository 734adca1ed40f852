package io.dgadmesh.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.NodeProcess;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, defect 5, as reported: four 40 MB job bodies at once to a node with a small heap (its
 * own JVM, {@code -Xmx256m}). Each body once sat whole in the heap: "Java heap space" for all four,
 * a Redis pool stuck for good, a partial names list left in Redis. Now two are stored as they
 * arrive and two are refused (web.maxJobUploads), and the node goes on answering.
 */
@Timeout(300)
class JobUploadHeapTest {

  private static final int NAMES = 2_000_000; // 20 bytes a line: 40 MB a body

  @Test
  void fourLargeUploadsAtOnceNeitherExhaustTheHeapNorJamTheJobsApi() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisServer redis = RedisServer.start()) {
      int web = RedisServer.freePort();
      int hz = RedisServer.freePort();
      try (NodeProcess node = NodeProcess.start("JobUploadHeapTest", "heap", "web", hz, "127.0.0.1:" + hz,
          "dgad-test-" + UUID.randomUUID().toString().substring(0, 8), redis.port(),
          Map.of("DGAD_WEB_PORT", Integer.toString(web)))) {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(web));
        Poll.await(120_000, "the web role up", () -> {
          if (!node.alive()) {
            throw new AssertionError("the node exited:\n" + node.log());
          }
          try {
            return Poll.get(client.get("/health/live").send(), 5_000).statusCode() == 200;
          } catch (IllegalStateException e) {
            return false; // not listening yet
          }
        });

        HttpClient http = vertx.createHttpClient();
        List<Future<Upload.Answer>> answers = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
          int n = u;
          answers.add(Upload.start(http, web, "/api/jobs", "text/plain",
              Upload.lines(0, NAMES, i -> "n" + n + "-" + (10_000_000 + i) + ".example"), true, null)
              .compose(Upload::answer));
        }
        int stored = 0;
        int refused = 0;
        List<Upload.Answer> all = new ArrayList<>();
        for (Future<Upload.Answer> f : answers) {
          all.add(Poll.get(f.otherwise(e -> new Upload.Answer(-1, e.toString(), null)), 240_000));
        }
        for (Upload.Answer a : all) {
          assertTrue(a.status() > 0, all + "\n" + node.log());
          if (a.status() == 201) {
            stored++;
            assertEquals(NAMES, new JsonObject(a.body()).getInteger("total"), a.body());
          } else {
            assertEquals(503, a.status(), a.body());
            assertTrue(a.body().contains("web.maxJobUploads"), a.body());
            refused++;
          }
        }
        assertEquals(2, stored, "uploads stored");
        assertEquals(2, refused, "uploads refused");

        // The jobs API answers, takes a new job, and Redis holds no names list without its job.
        HttpResponse<Buffer> list = Poll.get(client.get("/api/jobs").send(), 30_000);
        assertEquals(200, list.statusCode(), list.bodyAsString());
        assertEquals(2, new JsonArray(list.bodyAsString()).size());
        HttpResponse<Buffer> small = Poll.get(client.post("/api/jobs").putHeader("Content-Type", "text/plain")
            .sendBuffer(Buffer.buffer("google.com\n")), 30_000);
        assertEquals(201, small.statusCode(), small.bodyAsString());
        assertEquals("*3", redis.command("KEYS dgad:job:*:names"));
        assertTrue(node.alive());
        assertFalse(node.log().contains("OutOfMemoryError"), node.log());
      }
    } finally {
      Poll.get(vertx.close(), 30_000);
    }
  }
}
