package io.dgadmesh.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.kafka.IngestRecorder.Delivery;
import io.dgadmesh.kafka.IngestRecorder.Mode;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.testing.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka source against a real Kafka 4.1 broker started by the test (KRaft, in this JVM). */
class KafkaSourceTest {

  private static KafkaBroker broker;
  private static Vertx vertx;
  private IngestRecorder recorder;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    Poll.get(vertx.close(), 60_000);
    broker.close();
  }

  @AfterEach
  void unregister() {
    if (recorder != null) {
      Poll.get(recorder.close(), 5_000);
    }
  }

  private static NodeSettings settings(String topic, String group, int maxInFlight) {
    return NodeSettings.of(new JsonObject().put("node", new JsonObject().put("stopTimeoutMs", 10_000))
        .put("ingest", new JsonObject().put("kafka", new JsonObject().put("bootstrap", broker.bootstrap())
            .put("topic", topic).put("group", group).put("maxInFlight", maxInFlight))));
  }

  private static String deploy(NodeSettings settings) {
    return Poll.get(vertx.deployVerticle(new KafkaSourceVerticle(settings)), 60_000);
  }

  private static String zeek(double ts, String client, String query, String qtype, String rcode, String answers) {
    return "{\"ts\":" + ts + ",\"uid\":\"Cx1\",\"id.orig_h\":\"" + client + "\",\"id.orig_p\":5353,\"id.resp_h\":"
        + "\"10.0.0.1\",\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"" + query + "\",\"qtype_name\":\"" + qtype
        + "\",\"rcode_name\":\"" + rcode + "\",\"answers\":" + answers + "}";
  }

  private static void awaitCommittedToTheEnd(String group, String topic, int partitions) {
    Poll.await(60_000, "offsets of " + topic + " committed to its end", () -> {
      try {
        return broker.committed(group, topic).equals(broker.endOffsets(topic, partitions));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void recordsReachTheIngestAddressParsedAndAreCommittedOnlyOnTheReply() throws Exception {
    String topic = "parsed";
    String group = "g-parsed";
    broker.createTopic(topic, 2);
    List<String> messages = List.of(
        zeek(1700000000.25, "10.0.0.5", "qwxzkjhgfdsa.com", "A", "NXDOMAIN", "[]"),                  // 0/0
        zeek(1700000001, "10.0.0.6", "www.example.com", "AAAA", "NOERROR", "[\"2001:db8::1\"]"),      // 1/0
        "{\"timestamp\":\"2023-11-14T22:13:20.500000+0000\",\"event_type\":\"dns\",\"src_ip\":\"10.0.0.1\","
            + "\"src_port\":53,\"dest_ip\":\"10.0.0.7\",\"dest_port\":41000,\"dns\":{\"version\":2,\"type\":"
            + "\"answer\",\"rrname\":\"example.org\",\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":[{"
            + "\"rrname\":\"example.org\",\"rrtype\":\"A\",\"rdata\":\"93.184.216.34\"}]}}",        // 0/1
        "{\"timestamp\":\"2023-11-14T22:13:21Z\",\"event_type\":\"dns\",\"src_ip\":\"10.0.0.8\",\"src_port\":"
            + "40000,\"dest_ip\":\"10.0.0.1\",\"dest_port\":53,\"dns\":{\"version\":3,\"type\":\"response\","
            + "\"rcode\":\"NXDOMAIN\",\"queries\":[{\"rrname\":\"abcxyzqw.net\",\"rrtype\":\"AAAA\"}]}}",  // 1/1
        "{\"event_type\":\"dns\",\"src_ip\":\"10.0.0.8\",\"dns\":{\"type\":\"request\",\"rrname\":\"a.b\"}}", // 0/2
        "{\"event_type\":\"flow\",\"src_ip\":\"10.0.0.8\"}",                                            // 1/2
        "not json at all",                                                                               // 0/3
        "{\"ts\":1700000002,\"id.orig_h\":\"10.0.0.9\"}",                                                // 1/3
        zeek(1700000003, "10.0.0.5", "c.example.net", "TXT", "NOERROR", "[]") + "\n"
            + zeek(1700000004, "10.0.0.5", "d.example.net", "MX", "SERVFAIL", "[]"),                    // 0/4
        zeek(1700000005, "10.0.0.6", "_ldap._tcp.corp.local", "SRV", "NOERROR", "[]"));                // 1/4
    List<String> at = broker.produce(topic, 2, messages);
    long malformedBefore = NodeMetrics.kafkaMalformed();
    recorder = IngestRecorder.on(vertx);
    recorder.mode(Mode.HOLD);
    NodeSettings settings = settings(topic, group, 3);
    String first = deploy(settings);

    Poll.await(60_000, "a first batch at the ingest address", () -> recorder.heldCount() == 1);
    assertEquals(Map.of(), broker.committed(group, topic), "nothing committed before the reply");
    // The stop waits for the batch in flight: it ends only once the reply has come and the batch is committed.
    Future<Void> undeployed = vertx.undeploy(first);
    assertEquals(Map.of(), broker.committed(group, topic), "nothing committed while stopping, before the reply");
    assertFalse(undeployed.isComplete(), "the stop waits for the batch in flight");
    assertEquals(1, recorder.requests().size(), "no second batch while the first is in flight");
    List<Delivery> heldBatch = recorder.requests().get(0);
    recorder.mode(Mode.REPLY);
    recorder.release();
    Poll.get(undeployed, 60_000);
    Map<Integer, Long> afterStop = broker.committed(group, topic);
    assertFalse(afterStop.isEmpty(), "the batch answered during the stop was committed");
    for (Delivery d : heldBatch) {
      String[] where = d.source().split("#")[0].split("/"); // kafka:parsed/PARTITION/OFFSET
      assertTrue(afterStop.get(Integer.parseInt(where[1])) > Long.parseLong(where[2]), d + " committed: " + afterStop);
    }

    String second = deploy(settings);
    awaitCommittedToTheEnd(group, topic, 2);
    Poll.get(vertx.undeploy(second), 60_000);

    Map<String, DnsRecord> bySource = new TreeMap<>();
    for (Delivery d : recorder.answered()) {
      assertEquals(null, bySource.put(d.source(), d.record()), "delivered once: " + d.source());
    }
    Map<String, DnsRecord> expected = new TreeMap<>(Map.of(
        at.get(0), new DnsRecord(1700000000250L, "10.0.0.5", "qwxzkjhgfdsa.com", "A", "NXDOMAIN", List.of()),
        at.get(1), new DnsRecord(1700000001000L, "10.0.0.6", "www.example.com", "AAAA", "NOERROR",
            List.of("2001:db8::1")),
        at.get(2), new DnsRecord(1700000000500L, "10.0.0.7", "example.org", "A", "NOERROR", List.of("93.184.216.34")),
        at.get(3), new DnsRecord(1700000001000L, "10.0.0.8", "abcxyzqw.net", "AAAA", "NXDOMAIN", List.of()),
        at.get(8), new DnsRecord(1700000003000L, "10.0.0.5", "c.example.net", "TXT", "NOERROR", List.of()),
        at.get(8) + "#1", new DnsRecord(1700000004000L, "10.0.0.5", "d.example.net", "MX", "SERVFAIL", List.of()),
        at.get(9), new DnsRecord(1700000005000L, "10.0.0.6", "_ldap._tcp.corp.local", "SRV", "NOERROR", List.of())));
    assertEquals(expected, bySource);
    for (List<Delivery> request : recorder.requests()) {
      Set<String> offsets = request.stream().map(d -> d.source().split("#")[0]).collect(Collectors.toSet());
      assertTrue(offsets.size() <= 3, "at most maxInFlight Kafka records per batch: " + offsets);
    }
    assertEquals(2, NodeMetrics.kafkaMalformed() - malformedBefore, "the line that is not JSON and the one without a query");
  }

  @Test
  void aFailedReplyCommitsNothingAndTheSameRecordsComeAgain() throws Exception {
    String topic = "retried";
    String group = "g-retried";
    broker.createTopic(topic, 1);
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      messages.add(zeek(1700000000 + i, "10.0.1." + i, "n" + i + ".example.com", "A", "NOERROR", "[]"));
    }
    List<String> at = broker.produce(topic, 1, messages);
    recorder = IngestRecorder.on(vertx);
    recorder.mode(Mode.OVERLOADED);
    String id = deploy(settings(topic, group, 10));

    Poll.await(60_000, "three attempts at the ingest address", () -> recorder.requests().size() >= 3);
    assertEquals(Map.of(), broker.committed(group, topic), "nothing committed while the host state refuses");
    List<List<Delivery>> attempts = recorder.requests();
    for (List<Delivery> attempt : attempts) {
      assertEquals(attempts.get(0), attempt, "each attempt sends the same records again");
    }
    assertEquals(4, attempts.get(0).size());
    recorder.mode(Mode.REPLY);
    awaitCommittedToTheEnd(group, topic, 1);
    assertEquals(Set.copyOf(at),
        recorder.answered().stream().map(Delivery::source).collect(Collectors.toSet()));

    // A batch the host state refuses outright (BAD_REQUEST) is not sent for ever: skipped, counted, committed.
    long malformedBefore = NodeMetrics.kafkaMalformed();
    int answeredBefore = recorder.answered().size();
    recorder.mode(Mode.REFUSE);
    broker.produce(topic, 1, List.of(zeek(1700000010, "10.0.1.9", "refused.example.com", "A", "NOERROR", "[]"),
        "{broken"));
    awaitCommittedToTheEnd(group, topic, 1);
    assertEquals(2, NodeMetrics.kafkaMalformed() - malformedBefore, "the refused record and the broken line");
    assertEquals(answeredBefore, recorder.answered().size());
    Poll.get(vertx.undeploy(id), 60_000);
  }

  /**
   * Two worker nodes share the topic; one is killed with SIGKILL while the host state has written a
   * batch it never acknowledged. Every record reaches the ingest address at least once, the
   * unacknowledged batch comes again with the same source ids, and host evidence keyed by source id
   * counts each record once.
   */
  @Test
  void aConsumerKilledMidTopicLosesNoRecordAndItsRedeliveriesCarryTheSameSourceIds(@TempDir Path dir)
      throws Exception {
    String topic = "killed";
    String group = "g-killed";
    int partitions = 4;
    int n = 800;
    int hosts = 8;
    broker.createTopic(topic, partitions);
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      messages.add(zeek(1700000000 + i, "10.0." + (i % hosts) + ".1", "q" + i + ".example.com", "A", "NXDOMAIN", "[]"));
    }
    Map<String, Integer> produced = new HashMap<>(); // source id -> message index
    List<String> at = broker.produce(topic, partitions, messages);
    for (int i = 0; i < n; i++) {
      produced.put(at.get(i), i);
    }
    Path out = dir.resolve("child-ingest.txt");
    Path stall = dir.resolve("stall");
    recorder = IngestRecorder.on(vertx);
    Process child = startChild(topic, group, out, stall);
    try {
      Poll.await(60_000, "the other node ingesting", () -> lines(out).contains("batch"));
      String parent = Poll.get(vertx.deployVerticle(new KafkaSourceVerticle(settings(topic, group, 50),
          new LogLines(), Map.of("session.timeout.ms", "1500", "heartbeat.interval.ms", "300"))), 60_000);
      Poll.await(60_000, "this node's share of the partitions", () -> !recorder.answered().isEmpty());
      assertTrue(child.isAlive(), "the other node still shares the topic");
      Files.createFile(stall);
      Poll.await(60_000, "the other node's host state written without an answer", () -> lines(out).contains("stalled"));
      child.destroyForcibly(); // SIGKILL: no commit, no leaving the group
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      awaitCommittedToTheEnd(group, topic, partitions);
      Poll.get(vertx.undeploy(parent), 60_000);
    } finally {
      child.destroyForcibly();
    }

    List<Delivery> all = new ArrayList<>(recorder.answered());
    List<String> childLines = lines(out);
    List<String> unanswered = new ArrayList<>();
    for (String line : childLines) {
      if (line.equals("batch")) {
        unanswered.clear();
      } else if (line.contains("\t")) {
        String[] f = line.split("\t");
        unanswered.add(f[0]);
        all.add(new Delivery(f[0], new DnsRecord(DnsRecord.UNKNOWN_TIME, null, f[1], null, null, null)));
      }
    }
    assertFalse(unanswered.isEmpty());
    Set<String> thisNode = recorder.answered().stream().map(Delivery::source).collect(Collectors.toSet());
    assertTrue(thisNode.containsAll(unanswered), "the killed node's unacknowledged batch came again");

    // Host evidence keyed by (host, source id): each record counted once however often it came.
    Map<String, Set<String>> evidence = new HashMap<>();
    for (Delivery d : all) {
      Integer i = produced.get(d.source());
      assertTrue(i != null, d.source() + " was produced");
      assertEquals("q" + i + ".example.com", d.record().query(), d.source());
      evidence.computeIfAbsent("10.0." + (i % hosts) + ".1", h -> new HashSet<>()).add(d.source());
    }
    assertTrue(all.size() > n, "some records came twice: " + all.size());
    assertEquals(hosts, evidence.size());
    for (Set<String> records : evidence.values()) {
      assertEquals(n / hosts, records.size(), "every record of every host, once");
    }
  }

  private static Process startChild(String topic, String group, Path out, Path stall) throws IOException {
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        cp.add(Path.of(e).toAbsolutePath().toString());
      }
    }
    Path log = Path.of("target", "kafka-child.log").toAbsolutePath();
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-XX:+UseSerialGC", "-cp", String.join(File.pathSeparator, cp), KafkaSourceChild.class.getName(),
        broker.bootstrap(), topic, group, "5", out.toString(), stall.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
