package io.dgadmesh.kafka;

import io.dgadmesh.config.IngestConf;
import io.dgadmesh.config.TlsConf;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The Kafka client properties of the {@code ingest.kafka} security settings: TLS to the brokers
 * (a private CA as a PEM trust store, which Kafka reads itself, or the JVM's trust store) and
 * SASL PLAIN or SCRAM. Kafka's own defaults do the rest: its host-name check of the broker's
 * certificate ({@code ssl.endpoint.identification.algorithm=https}) stays on.
 */
final class KafkaSecurity {

  private KafkaSecurity() {}

  static Map<String, String> properties(IngestConf.Kafka conf, TlsConf tls) {
    Map<String, String> p = new HashMap<>();
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        conf.tls() ? (conf.sasl() ? "SASL_SSL" : "SSL") : (conf.sasl() ? "SASL_PLAINTEXT" : "PLAINTEXT"));
    if (conf.tls() && tls.privateCa()) {
      p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.caPath());
    }
    if (conf.sasl()) {
      p.put(SaslConfigs.SASL_MECHANISM, conf.saslMechanism());
      p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(conf));
    }
    return p;
  }

  /** The login module of the mechanism, with the credentials quoted for Kafka's JAAS parser. */
  static String jaas(IngestConf.Kafka conf) {
    String module = conf.saslMechanism().equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module + " required username=" + quoted(conf.username()) + " password=" + quoted(conf.password()) + ";";
  }

  /** A JAAS string value: Kafka parses it with StreamTokenizer, where \ escapes. */
  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
