package io.dgadmesh.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.testing.LogCapture;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.TestCerts;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka source over TLS to a real broker whose certificate a private CA signed: with
 * ingest.kafka.tls and tls.caPath records arrive; without the CA none do (the handshake fails).
 */
class KafkaTlsTest {

  private static KafkaBroker broker;
  @TempDir
  static Path dir;
  private static TestCerts certs;
  private static Vertx vertx;
  private IngestRecorder recorder;

  @BeforeAll
  static void startBroker() throws Exception {
    certs = TestCerts.ca(dir, "kafka-test-ca");
    broker = KafkaBroker.start(certs.server("kafka"));
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

  private static NodeSettings settings(String group, boolean trustTheCa) {
    Map<String, String> env = new HashMap<>(Map.of("DGAD_KAFKA_BOOTSTRAP", broker.sslBootstrap(), "DGAD_KAFKA_TOPIC", "dns",
        "DGAD_KAFKA_GROUP", group, "DGAD_KAFKA_TLS", "true"));
    if (trustTheCa) {
      env.put("DGAD_TLS_CA", certs.caCert.toString());
    }
    return NodeSettings.read(NodeConfig.load(null, env));
  }

  private static String zeek(String query) {
    return "{\"ts\":1700000000,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.5\",\"id.orig_p\":5353,\"id.resp_h\":\"10.0.0.1\","
        + "\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"" + query + "\",\"qtype_name\":\"A\",\"rcode_name\":"
        + "\"NXDOMAIN\",\"answers\":[]}";
  }

  @Test
  void recordsArriveOverTlsOnlyWhenTheCaIsTrusted() throws Exception {
    broker.createTopic("dns", 1);
    broker.produce("dns", 1, List.of(zeek("qwxzkjhgfdsa.com"), zeek("www.example.com")));
    recorder = IngestRecorder.on(vertx);

    // Without the CA: the JVM's trust store does not know it, so nothing is read or committed.
    try (LogCapture log = LogCapture.of(KafkaSourceVerticle.class.getName(), Level.ALL)) {
      String untrusted = Poll.get(vertx.deployVerticle(new KafkaSourceVerticle(settings("g-untrusted", false))), 60_000);
      Poll.await(30_000, "the source to report the failed handshake", () -> log.messages().stream()
          .anyMatch(w -> w.startsWith("Kafka source: ") && w.contains("failed (SSL handshake failed): the brokers'"
              + " certificate must be signed by the CA of tls.caPath (DGAD_TLS_CA)")));
      Poll.get(vertx.undeploy(untrusted), 30_000);
    }
    assertEquals(0, recorder.answered().size(), "no record without a trusted certificate");
    assertEquals(Map.of(), broker.committed("g-untrusted", "dns"));

    Poll.get(vertx.deployVerticle(new KafkaSourceVerticle(settings("g-tls", true))), 60_000);
    Poll.await(60_000, "both records over TLS", () -> recorder.answered().size() == 2);
    assertTrue(recorder.answered().stream().anyMatch(d -> d.record().toString().contains("qwxzkjhgfdsa.com")),
        recorder.answered().toString());
  }
}
