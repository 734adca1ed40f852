package io.dgadmesh.classifier;

import static io.dgadmesh.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.ShownName;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An invalid name of megabytes is kept, published and answered as a short prefix: the results
 * the classifiers reply and publish, and the web's ring of recent results, hold at most
 * {@link ShownName#WHOLE_UP_TO_BYTES} bytes of it. Whole, 150 of them filled a 512 MB heap
 * through the ring of 1,000 recent results.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HugeInvalidNamesTest {

  private static TestNode node;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("huge-invalid");
    client = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.webPort));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static void assertShown(String domain, String prefix, long bytes) {
    assertNotNull(domain);
    assertTrue(domain.getBytes(StandardCharsets.UTF_8).length <= ShownName.WHOLE_UP_TO_BYTES, () -> "kept "
        + domain.length() + " chars");
    assertTrue(domain.startsWith(prefix), domain);
    assertTrue(domain.endsWith("…(" + bytes + " bytes)"), domain);
  }

  @Test
  void theClassifiersReplyAndPublishOnlyAPrefix() throws Exception {
    String huge = "h".repeat(3 << 20) + ".com"; // a 3 MB label: not a host name
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    await(node.vertx.eventBus().<JsonObject>consumer(Bus.RESULTS_PUBLISH, m -> {
      for (Object r : m.body().getJsonArray(Bus.RESULTS)) {
        if (((JsonObject) r).getString("domain", "").startsWith("hhhh")) {
          published.add((JsonObject) r);
        }
      }
    }).completion());
    List<Bus.Result> rs = await(Bus.classify(node.vertx.eventBus(), List.of(huge, "google.com")));
    assertShown(rs.get(0).domain(), "hhhh", huge.length());
    assertTrue(rs.get(0).error().length() < 200, rs.get(0).error());
    assertEquals("google.com", rs.get(1).domain());
    await(Poll.until(node.vertx, 10_000, "the published result", () -> Future.succeededFuture(!published.isEmpty())));
    assertShown(published.get(0).getString("domain"), "hhhh", huge.length());
  }

  @Test
  void theWebAnswersAndKeepsOnlyAPrefix() throws Exception {
    String big = "w".repeat(30_000) + ".com"; // twice in the body: within the test node's limit (web.maxClassify 50)
    JsonObject body = new JsonObject().put("domains", new JsonArray().add(big).add(new JsonObject().put("x", big)));
    HttpResponse<Buffer> r = await(client.post("/api/classify").putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer()));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray results = r.bodyAsJsonObject().getJsonArray(Bus.RESULTS);
    assertShown(results.getJsonObject(0).getString("domain"), "wwww", big.length());
    String notAString = results.getJsonObject(1).getString("error");
    assertTrue(notAString.startsWith("not a string: {") && notAString.length() <= ShownName.WHOLE_UP_TO_BYTES,
        notAString);

    await(Poll.until(node.vertx, 10_000, "the name in the recent results", () -> client.get("/api/results/recent?limit=1000")
        .send().map(resp -> resp.bodyAsString().contains("wwww"))));
    JsonArray recent = await(client.get("/api/results/recent?limit=1000").send()).bodyAsJsonArray();
    boolean seen = false;
    for (Object o : recent) {
      String domain = ((JsonObject) o).getString("domain");
      if (domain.startsWith("wwww")) {
        assertShown(domain, "wwww", big.length());
        seen = true;
      }
    }
    assertTrue(seen, recent.encode());
  }
}
