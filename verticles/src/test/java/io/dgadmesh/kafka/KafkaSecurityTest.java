package io.dgadmesh.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeConfig.ConfigException;
import io.dgadmesh.config.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka consumer's security properties from ingest.kafka and tls.caPath. */
class KafkaSecurityTest {

  private static Map<String, String> properties(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("DGAD_KAFKA_BOOTSTRAP", "kafka:9093");
    NodeSettings s = NodeSettings.read(NodeConfig.load(null, all));
    return KafkaSecurity.properties(s.ingest().kafka(), s.tls());
  }

  @Test
  void plaintextByDefaultEvenWithAPrivateCa(@TempDir Path dir) throws Exception {
    assertEquals(Map.of("security.protocol", "PLAINTEXT"), properties(Map.of()));
    // The CA may be Redis's alone: Kafka's TLS is turned on by its own key.
    Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
    assertEquals(Map.of("security.protocol", "PLAINTEXT"), properties(Map.of("DGAD_TLS_CA", ca.toString())));
  }

  @Test
  void tlsTrustsThePrivateCaAsPem(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
    assertEquals(Map.of("security.protocol", "SSL", "ssl.truststore.type", "PEM", "ssl.truststore.location", ca.toString()),
        properties(Map.of("DGAD_KAFKA_TLS", "true", "DGAD_TLS_CA", ca.toString())));
    assertEquals(Map.of("security.protocol", "SSL"), properties(Map.of("DGAD_KAFKA_TLS", "true")),
        "without a CA: the JVM's trust store, Kafka's default");
  }

  @Test
  void saslScramOverTls() {
    Map<String, String> p = properties(Map.of("DGAD_KAFKA_TLS", "true", "DGAD_KAFKA_SASL_MECHANISM", "scram-sha-512",
        "DGAD_KAFKA_USER", "dgad", "DGAD_KAFKA_PASSWORD", "p\"w\\d"));
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
    // Kafka's own parser reads the credentials back as they were given.
    var entry = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(p.get("sasl.jaas.config"))))
        .configurationEntries().get(0);
    assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule", entry.getLoginModuleName());
    assertEquals("dgad", entry.getOptions().get("username"));
    assertEquals("p\"w\\d", entry.getOptions().get("password"));
  }

  @Test
  void saslPlainWithoutTls() {
    Map<String, String> p = properties(Map.of("DGAD_KAFKA_SASL_MECHANISM", "PLAIN", "DGAD_KAFKA_USER", "dgad",
        "DGAD_KAFKA_PASSWORD", "pw"));
    assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
    assertTrue(p.get("sasl.jaas.config").startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required"));
  }

  @Test
  void incompleteOrUnknownSaslIsRefusedWithoutShowingThePassword() {
    String unknown = assertThrows(ConfigException.class, () -> properties(Map.of("DGAD_KAFKA_SASL_MECHANISM", "GSSAPI",
        "DGAD_KAFKA_USER", "dgad", "DGAD_KAFKA_PASSWORD", "hunter2"))).getMessage();
    assertEquals("ingest.kafka.saslMechanism (from DGAD_KAFKA_SASL_MECHANISM=GSSAPI): 'GSSAPI' is not one of [PLAIN,"
        + " SCRAM-SHA-256, SCRAM-SHA-512] (empty: no SASL)", unknown);
    String noPassword = assertThrows(ConfigException.class, () -> properties(Map.of("DGAD_KAFKA_SASL_MECHANISM", "PLAIN",
        "DGAD_KAFKA_USER", "dgad"))).getMessage();
    assertEquals("ingest.kafka.password: SASL PLAIN needs a username and a password (DGAD_KAFKA_USER,"
        + " DGAD_KAFKA_PASSWORD)", noPassword);
    String noMechanism = assertThrows(ConfigException.class, () -> properties(Map.of("DGAD_KAFKA_USER", "dgad",
        "DGAD_KAFKA_PASSWORD", "hunter2"))).getMessage();
    assertTrue(noMechanism.startsWith("ingest.kafka.saslMechanism: a Kafka username or password is set but no SASL"
        + " mechanism"), noMechanism);
    assertFalse(unknown.contains("hunter2") || noMechanism.contains("hunter2"));
  }
}
