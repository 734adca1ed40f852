package io.dgadmesh.web;

import static io.dgadmesh.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.metrics.Readiness;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.dgadmesh.testing.SevereLog;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web port against a careless or hostile client (issue 12): metric series a client cannot
 * multiply, 405/501 for methods, idle and surplus connections, readiness that tells the truth,
 * 503 from busy classifiers, an aborted upload that is no error.
 */
@Timeout(120)
class WebLimitsTest {

  private static TestNode node;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("web-limits");
    client = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.webPort));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(path).send());
  }

  /** A second web role on its own port, with {@code web} settings changed; undeployed after {@code test}. */
  private static void withDashboard(Vertx vertx, Consumer<JsonObject> web, PortTest test) throws Exception {
    int port = RedisServer.freePort();
    JsonObject conf = node.conf.copy();
    conf.getJsonObject("web").put("port", port);
    web.accept(conf.getJsonObject("web"));
    String id = await(vertx.deployVerticle(DashboardVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
    try {
      test.run(port);
    } finally {
      await(vertx.undeploy(id));
    }
  }

  interface PortTest {
    void run(int port) throws Exception;
  }

  /** Series in a Prometheus scrape: its lines that are not comments. */
  private static long series() throws Exception {
    return get("/metrics").bodyAsString().lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
  }

  @Test
  void requestsWithMadeUpMethodsAdd501sButNoSeries() throws Exception {
    HttpClient http = node.vertx.createHttpClient();
    Random random = new Random(12);
    // One made-up method first: the "other" series exist from then on.
    assertEquals(501, send(http, "WARMUP", "/api/results/recent"));
    long before = series();
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String method = "M" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase();
      answers.add(http.request(new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost("127.0.0.1")
          .setPort(node.webPort).setURI("/api/jobs")).compose(req -> req.send()).map(r -> r.statusCode()));
    }
    for (Future<Integer> a : answers) {
      assertEquals(501, await(a));
    }
    long after = series();
    assertTrue(after - before <= 10, "1,000 made-up methods added " + (after - before) + " series to /metrics");
    String metrics = get("/metrics").bodyAsString();
    assertTrue(metrics.contains("method=\"other\""), "the made-up methods are counted as other");
    assertFalse(metrics.contains("method=\"WARMUP\""));
    await(http.close());
  }

  private static int send(HttpClient http, String method, String uri) throws Exception {
    return await(http.request(new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost("127.0.0.1")
        .setPort(node.webPort).setURI(uri)).compose(req -> req.send()).map(r -> r.statusCode()));
  }

  @Test
  void aKnownPathWithAnotherMethodIs405WithAllow() throws Exception {
    String[][] cases = {{"DELETE", "/api/jobs", "GET, POST"}, {"PUT", "/api/jobs/0123456789ab", "GET"},
        {"GET", "/api/classify", "POST"}, {"POST", "/health/ready", "GET"}, {"DELETE", "/metrics", "GET"},
        {"PATCH", "/api/results/recent", "GET"}};
    for (String[] c : cases) {
      HttpResponse<Buffer> r = await(client.request(HttpMethod.valueOf(c[0]), c[1]).send());
      assertEquals(405, r.statusCode(), c[0] + " " + c[1] + ": " + r.bodyAsString());
      assertEquals(c[2], r.getHeader("Allow"), c[0] + " " + c[1]);
      assertTrue(r.bodyAsJsonObject().getString("error").contains("not allowed"), r.bodyAsString());
    }
    assertEquals(404, await(client.delete("/api/nothing-here").send()).statusCode());
    assertEquals(501, await(client.request(HttpMethod.valueOf("BREW"), "/api/jobs").send()).statusCode());
  }

  @Test
  void anIdleConnectionIsClosed() throws Exception {
    withDashboard(node.vertx, web -> web.put("idleTimeoutSeconds", 1), port -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(15_000); // the deadline; the server closes after 1 s of silence
        long t0 = System.nanoTime();
        assertEquals(-1, s.getInputStream().read(), "the server closes the idle connection");
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
      }
    });
  }

  @Test
  void connectionsPastTheCapAreRefusedButProbesGetThrough() throws Exception {
    withDashboard(node.vertx, web -> web.put("maxConnections", 3), port -> {
      List<Socket> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket s = connect(port, open);
          assertTrue(exchange(s, "/health/live").startsWith("HTTP/1.1 200"));
        }
        // Past the cap: the API refuses, a probe is answered.
        String refused = exchange(connect(port, open), "/api/results/recent");
        assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
        assertTrue(refused.contains("web.maxConnections"), refused);
        String probe = exchange(connect(port, open), "/health/ready");
        assertTrue(probe.startsWith("HTTP/1.1 200"), probe);
        assertTrue(probe.toLowerCase().contains("connection: close"), probe);
        // Past the reserve for probes: closed at once.
        while (open.size() < 3 + ConnectionLimit.PROBE_RESERVE) {
          connect(port, open);
        }
        Socket over = connect(port, open);
        over.setSoTimeout(10_000);
        assertEquals(-1, readOrReset(over), "a connection past cap and reserve is closed");
        // Once the clients leave, the API answers again.
        for (Socket s : open) {
          s.close();
        }
        open.clear();
        Poll.await(30_000, "the API answering again", () -> {
          try (Socket s = new Socket("127.0.0.1", port)) {
            return exchange(s, "/api/results/recent").startsWith("HTTP/1.1 200");
          } catch (IOException e) {
            return false;
          }
        });
      } finally {
        for (Socket s : open) {
          s.close();
        }
      }
    });
  }

  private static Socket connect(int port, List<Socket> open) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    open.add(s);
    return s;
  }

  /** One GET on a raw connection (kept open): the answer's head and body as text. */
  private static String exchange(Socket s, String path) {
    try {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      StringBuilder b = new StringBuilder();
      int contentLength = -1;
      int headEnd = -1;
      while (headEnd < 0 || b.length() < headEnd + contentLength) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        b.append((char) c);
        if (headEnd < 0 && b.toString().endsWith("\r\n\r\n")) {
          headEnd = b.length();
          for (String line : b.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
              contentLength = Integer.parseInt(line.substring(15).trim());
            }
          }
          if (contentLength < 0) {
            break;
          }
        }
      }
      return b.toString();
    } catch (IOException e) {
      return "failed: " + e;
    }
  }

  private static int readOrReset(Socket s) throws IOException {
    try {
      return s.getInputStream().read();
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) { // reset: closed all the same
      return -1;
    }
  }

  @Test
  void readinessReportsWhatThePartsOfTheNodeReport() throws Exception {
    Readiness readiness = Readiness.of(node.vertx);
    readiness.register("test-part", () -> "stuck for the test");
    try {
      HttpResponse<Buffer> r = get("/health/ready");
      assertEquals(503, r.statusCode(), r.bodyAsString());
      JsonObject body = r.bodyAsJsonObject();
      assertEquals("DOWN", body.getString("status"));
      assertFalse(body.getBoolean("parts"));
      assertEquals("stuck for the test", body.getJsonObject("problems").getString("test-part"), body.encode());
    } finally {
      readiness.unregister("test-part");
    }
    HttpResponse<Buffer> ready = get("/health/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertTrue(ready.bodyAsJsonObject().getBoolean("parts"));
  }

  @Test
  void readinessReportsAHeapStillFullAfterACollection() throws Exception {
    // A threshold of 1%: what this JVM keeps after a collection is more than that.
    withDashboard(node.vertx, web -> web.put("readyHeapPercent", 1), port -> {
      System.gc(); // a collection, so that the heap's usage after one is known
      WebClient c = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      HttpResponse<Buffer> r = await(c.get("/health/ready").send());
      assertEquals(503, r.statusCode(), r.bodyAsString());
      String heap = r.bodyAsJsonObject().getJsonObject("problems").getString("heap");
      assertNotNull(heap, r.bodyAsString());
      assertTrue(heap.contains("web.readyHeapPercent"), heap);
    });
  }

  @Test
  void classifyIs503WhenTheClassifiersAreOverloaded() throws Exception {
    Vertx vertx = Vertx.vertx(); // no classifier here but one that is full
    try {
      vertx.eventBus().<JsonObject>consumer(Bus.CLASSIFY, m -> m.fail(Bus.OVERLOADED, "queue full"));
      withDashboard(vertx, web -> { }, port -> {
        WebClient c = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
        HttpResponse<Buffer> r = await(c.post("/api/classify")
            .sendJsonObject(new JsonObject().put("domains", new JsonArray().add("google.com"))));
        assertEquals(503, r.statusCode(), r.bodyAsString());
        assertTrue(r.bodyAsJsonObject().getString("error").contains("busy"), r.bodyAsString());
        assertEquals("1", r.getHeader("Retry-After"));
      });
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void anAbortedUploadIsLoggedAsNoError() throws Exception {
    Logger web = Logger.getLogger("io.dgadmesh.web");
    Level level = web.getLevel();
    List<String> fine = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getMessage() != null && r.getMessage().contains("the client left")) {
          synchronized (fine) {
            fine.add(r.getLevel() + " " + r.getLoggerName());
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    web.setLevel(Level.FINE);
    web.addHandler(capture);
    try (SevereLog severe = SevereLog.open()) {
      for (String path : new String[] {"/api/classify", "/api/jobs"}) {
        try (Socket s = new Socket("127.0.0.1", node.webPort)) {
          s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
              + "Content-Length: 50000\r\n\r\n" + "google.com\n".repeat(100)).getBytes(StandardCharsets.UTF_8));
          s.getOutputStream().flush();
        } // closed with most of the body unsent
      }
      Poll.await(10_000, "both aborted uploads noticed", () -> {
        synchronized (fine) {
          return fine.size() >= 2;
        }
      });
      synchronized (fine) {
        assertTrue(fine.stream().allMatch(l -> l.startsWith("FINE")), fine.toString());
      }
      assertEquals(List.of(), severe.records());
    } finally {
      web.removeHandler(capture);
      web.setLevel(level);
    }
  }
}
