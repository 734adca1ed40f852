package io.dgadmesh.hostwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.cli.IngestCommand;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live path over real parts: DNS records posted to a node's {@code /api/ingest} (and sent by
 * {@code dgad ingest}) end as per-host evidence in a real Redis, ranked by {@code /api/hosts},
 * with one alert per host that turns infected.
 */
@Timeout(120)
class HostWatchTest {
  private static final String[] COMMON = {"google.com", "www.wikipedia.org", "github.com", "mail.yahoo.com",
      "www.bbc.co.uk", "api.twitter.com", "www.amazon.com", "outlook.office365.com"};
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestNode node;

  // A node (and Redis) per test: each test counts hosts and alerts of its own.
  @BeforeEach
  void start() throws Exception {
    node = TestNode.start("hostwatch", conf -> { });
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.base() + path)).header("content-type", "application/json");
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody()) : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<DnsRecord> traffic(String infected, long t0) {
    List<DnsRecord> out = new ArrayList<>();
    long t = t0;
    for (int h = 1; h <= 12; h++) {
      for (int i = 0; i < 30; i++) {
        out.add(new DnsRecord(t += 500, "10.1.0." + h, COMMON[(h + i) % COMMON.length], "A", "NOERROR", List.of("93.184.216.34")));
      }
    }
    for (int i = 0; i < 30; i++) {
      out.add(new DnsRecord(t += 200, infected, Names.randomDga(16 + i % 6, 300 + i), "A", DnsRecord.NXDOMAIN, List.of()));
      out.add(new DnsRecord(t += 200, infected, COMMON[i % COMMON.length], "A", "NOERROR", List.of("93.184.216.34")));
    }
    return out;
  }

  @Test
  void ingestedRecordsRankTheInfectedHostFirstAndAlertOnce() throws Exception {
    List<DnsRecord> records = traffic("10.1.0.66", 1_767_225_600_000L);
    String body = IngestBus.request(records).encode();
    HttpResponse<String> r = call("POST", "/api/ingest", body);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject reply = new JsonObject(r.body());
    assertEquals(records.size(), reply.getLong("records"));
    assertEquals(13, reply.getLong("hosts"));

    JsonObject list = new JsonObject(call("GET", "/api/hosts", null).body());
    JsonArray hosts = list.getJsonArray("hosts");
    assertEquals(13, hosts.size(), list.encodePrettily());
    JsonObject first = hosts.getJsonObject(0);
    assertEquals("10.1.0.66", first.getString("host"));
    assertTrue(first.getBoolean("infected"), first.encodePrettily());
    assertEquals(30, first.getInteger("nxdomain"));
    for (int i = 1; i < hosts.size(); i++) {
      assertFalse(hosts.getJsonObject(i).getBoolean("infected"), hosts.getJsonObject(i).encode());
    }
    assertEquals(1, list.getLong("infected"));
    JsonArray onlyInfected = new JsonObject(call("GET", "/api/hosts?infected=true", null).body()).getJsonArray("hosts");
    assertEquals(1, onlyInfected.size());

    JsonObject one = new JsonObject(call("GET", "/api/hosts/10.1.0.66", null).body());
    assertFalse(one.getJsonArray("timeline").isEmpty(), one.encodePrettily());
    assertEquals(404, call("GET", "/api/hosts/10.9.9.9", null).statusCode());
    assertEquals(404, call("GET", "/api/hosts/a%20b", null).statusCode());
    assertEquals(400, call("GET", "/api/hosts?limit=0", null).statusCode());
    assertEquals("1", node.redis.command("XLEN dgad:alerts").substring(1));

    // The same records again (a source that re-sends after a lost reply): evidence is per
    // distinct domain, so the host's DGA evidence does not grow, and there is no second alert.
    assertEquals(200, call("POST", "/api/ingest", body).statusCode());
    JsonObject again = new JsonObject(call("GET", "/api/hosts/10.1.0.66", null).body());
    assertEquals(one.getInteger("dga_names"), again.getInteger("dga_names"));
    assertEquals("1", node.redis.command("XLEN dgad:alerts").substring(1));
  }

  @Test
  void aRecordDeliveredAgainFromItsSourceCountsOnce() throws Exception {
    List<DnsRecord> records = traffic("10.1.0.99", 1_767_300_000_000L);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      ids.add("kafka:dns/3/" + (1000 + i));
    }
    String body = IngestBus.request(records, ids).encode();
    assertEquals(200, call("POST", "/api/ingest", body).statusCode());
    long queries = new JsonObject(call("GET", "/api/hosts/10.1.0.99", null).body()).getLong("queries");
    assertEquals(60, queries);
    // The consumer died before it committed: the same records come again, with the same ids.
    JsonObject again = new JsonObject(call("POST", "/api/ingest", body).body());
    assertEquals(0, again.getLong("records"), again.encode());
    assertEquals(records.size(), again.getLong("skipped"));
    assertEquals(queries, new JsonObject(call("GET", "/api/hosts/10.1.0.99", null).body()).getLong("queries"));
    // Later positions of the same stream are new.
    List<DnsRecord> more = List.of(new DnsRecord(1_767_300_900_000L, "10.1.0.99", "github.com", "A", "NOERROR", List.of()));
    assertEquals(1, new JsonObject(call("POST", "/api/ingest",
        IngestBus.request(more, List.of("kafka:dns/3/" + (1000 + records.size()))).encode()).body()).getLong("records"));
    assertEquals(queries + 1, new JsonObject(call("GET", "/api/hosts/10.1.0.99", null).body()).getLong("queries"));
  }

  @Test
  void aBatchAgainAfterANodeDiedBetweenItsHostWritesCountsEachRecordOnce() throws Exception {
    List<DnsRecord> records = traffic("10.1.0.77", 1_767_400_000_000L);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      ids.add("kafka:dns/5/" + (2000 + i));
    }
    String body = IngestBus.request(records, ids).encode();
    assertEquals(200, call("POST", "/api/ingest", body).statusCode());
    Map<String, Long> before = new HashMap<>();
    for (int h = 1; h <= 12; h++) {
      before.put("10.1.0." + h, hostQueries("10.1.0." + h));
    }
    before.put("10.1.0.77", hostQueries("10.1.0.77"));
    // As if the node had died after writing the hosts but before marking the batch applied: the
    // cluster-wide mark is gone, each host's own positions are what is left.
    node.redis.command("DEL dgad:ingest:applied");
    // And one host's write had not happened yet: its state is gone, so it must take its records.
    node.redis.command("DEL dgad:host:10.1.0.3");
    JsonObject again = new JsonObject(call("POST", "/api/ingest", body).body());
    assertEquals(30, again.getLong("records"), "only host 10.1.0.3's records were new: " + again.encode());
    assertEquals(records.size() - 30, again.getLong("skipped"), again.encode());
    before.forEach((host, queries) -> assertEquals(queries, hostQueries(host), host + " counted a record twice"));
  }

  private static long hostQueries(String host) {
    try {
      return new JsonObject(call("GET", "/api/hosts/" + host, null).body()).getLong("queries");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anAlertIsPostedToTheWebhook() throws Exception {
    java.util.Queue<JsonObject> posted = new java.util.concurrent.ConcurrentLinkedQueue<>();
    io.vertx.core.Vertx receiver = io.vertx.core.Vertx.vertx(); // the webhook's receiver, apart from the node
    io.vertx.core.http.HttpServer hook = TestNode.await(receiver.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          posted.add(b.toJsonObject());
          req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1"));
    node.close();
    node = TestNode.start("hostwatch-hook", conf -> conf.getJsonObject("alerts")
        .put("webhook", "http://127.0.0.1:" + hook.actualPort() + "/dgad/alerts"));
    assertEquals(200, call("POST", "/api/ingest", IngestBus.request(traffic("10.1.0.77", 1_767_400_000_000L)).encode())
        .statusCode());
    io.dgadmesh.testing.Poll.await(30_000, "the webhook's POST", () -> !posted.isEmpty());
    JsonObject alert = posted.peek();
    assertEquals("10.1.0.77", alert.getString("host"));
    assertTrue(alert.getBoolean("infected"));
    assertEquals(1, posted.size(), "one alert for one host");
    TestNode.await(receiver.close());
  }

  @Test
  void badBatchesAreRefusedWithTheirReason() throws Exception {
    HttpResponse<String> r = call("POST", "/api/ingest", "{\"records\": [[1, \"10.0.0.1\"]]}");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("record 0"), r.body());
    assertEquals(400, call("POST", "/api/ingest", "[1,2]").statusCode());
    assertEquals(405, call("GET", "/api/ingest", null).statusCode());
  }

  @Test
  void theIngestCommandSendsALogToTheNode(@TempDir Path dir) throws Exception {
    StringBuilder log = new StringBuilder();
    long t = 1_767_312_000L;
    for (int i = 0; i < 25; i++) {
      // dnsmasq log-queries lines: a query and its NXDOMAIN reply
      String name = Names.randomDga(18, 900 + i) ;
      log.append("Jan  2 00:00:").append(String.format("%02d", i)).append(" dnsmasq[42]: query[A] ").append(name)
          .append(" from 10.2.0.77\n");
      log.append("Jan  2 00:00:").append(String.format("%02d", i)).append(" dnsmasq[42]: reply ").append(name)
          .append(" is NXDOMAIN\n");
    }
    Path f = dir.resolve("dnsmasq.log");
    Files.writeString(f, log);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = IngestCommand.run(new String[] {"--remote", "127.0.0.1:" + node.webPort, f.toString()}, node.conf,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("25 records sent"), out.toString(StandardCharsets.UTF_8));
    JsonObject host = new JsonObject(call("GET", "/api/hosts/10.2.0.77", null).body());
    assertEquals(25, host.getInteger("nxdomain"), host.encodePrettily());
  }
}
