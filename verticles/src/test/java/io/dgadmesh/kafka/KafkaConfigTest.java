package io.dgadmesh.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.IngestConf;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeConfig.ConfigException;
import io.dgadmesh.config.NodeSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ingest.kafka} settings: defaults, the environment, and clear errors. */
class KafkaConfigTest {

  private static IngestConf.Kafka kafka(Map<String, String> env) {
    return NodeConfig.settings(NodeConfig.load(null, env)).ingest().kafka();
  }

  @Test
  void offByDefaultAndSetFromTheEnvironment() {
    IngestConf.Kafka off = kafka(Map.of());
    assertFalse(off.enabled());
    assertEquals("dns", off.topic());
    assertEquals("dgad-mesh", off.group());

    IngestConf.Kafka on = kafka(Map.of("DGAD_KAFKA_BOOTSTRAP", "k1:9092,k2:9092", "DGAD_KAFKA_TOPIC", "zeek.dns",
        "DGAD_KAFKA_GROUP", "dgad-prod"));
    assertTrue(on.enabled());
    assertEquals(new IngestConf.Kafka("k1:9092,k2:9092", "zeek.dns", "dgad-prod", off.maxInFlight(), false, "", "", ""), on);
  }

  @Test
  void aBadValueIsNamedWithItsVariable() {
    ConfigException topic = assertThrows(ConfigException.class, () -> kafka(Map.of("DGAD_KAFKA_TOPIC", "dns logs")));
    assertTrue(topic.getMessage().startsWith("ingest.kafka.topic (from DGAD_KAFKA_TOPIC=dns logs): 'dns logs' is not a"
        + " Kafka topic name"), topic.getMessage());
    ConfigException bootstrap = assertThrows(ConfigException.class,
        () -> kafka(Map.of("DGAD_KAFKA_BOOTSTRAP", "kafka")));
    assertTrue(bootstrap.getMessage().startsWith("ingest.kafka.bootstrap (from DGAD_KAFKA_BOOTSTRAP=kafka): 'kafka' is"
        + " not HOST:PORT"), bootstrap.getMessage());
    ConfigException inFlight = assertThrows(ConfigException.class, () -> NodeSettings.of(new JsonObject()
        .put("ingest", new JsonObject().put("kafka", new JsonObject().put("maxInFlight", 0)))));
    assertEquals("ingest.kafka.maxInFlight: must be between 1 and 10000, got 0", inFlight.getMessage());
  }

  @Test
  void aTypoInsideIngestKafkaIsAnError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("conf.json");
    Files.writeString(file, "{\"ingest\": {\"kafka\": {\"bootstrp\": \"k:9092\"}}}");
    ConfigException typo = assertThrows(ConfigException.class, () -> NodeConfig.load(file, Map.of()));
    assertTrue(typo.getMessage().startsWith("ingest.kafka.bootstrp: unknown key (ingest.kafka has: bootstrap, topic,"),
        typo.getMessage());
  }

  @Test
  void theSourceWillNotStartWithoutBrokers() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      Throwable e = assertThrows(Exception.class, () -> io.dgadmesh.testing.Poll.get(
          vertx.deployVerticle(new KafkaSourceVerticle(NodeSettings.of(new JsonObject()))), 10_000));
      assertTrue(String.valueOf(e.getCause()).contains("ingest.kafka.bootstrap is empty"), String.valueOf(e));
    } finally {
      vertx.close();
    }
  }
}
