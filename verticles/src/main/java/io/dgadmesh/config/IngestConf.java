package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code ingest} section: sources of DNS records that feed the per-host state. {@code kafka}
 * is the Kafka source every {@code worker} node runs when its bootstrap is set.
 */
public record IngestConf(Kafka kafka) {

  /**
   * {@code ingest.kafka}: the brokers ("" turns the source off), the topic of Zeek-JSON or
   * eve.json records, the consumer group the worker nodes share (so the topic's partitions spread
   * over them), and how many Kafka records one node holds at once (one batch on the bus).
   * {@code tls} talks TLS to the brokers, trusting {@code tls.caPath} or else the JVM's trust
   * store; {@code saslMechanism} (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; "" for none) logs in
   * as {@code username} with {@code password}.
   */
  public record Kafka(String bootstrap, String topic, String group, int maxInFlight, boolean tls, String saslMechanism,
      String username, String password) {

    public static final Set<String> SASL_MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    public boolean enabled() {
      return !bootstrap.isEmpty();
    }

    public boolean sasl() {
      return !saslMechanism.isEmpty();
    }

    /** Never the password. */
    @Override
    public String toString() {
      return "Kafka[" + bootstrap + ", topic " + topic + ", group " + group + ", maxInFlight " + maxInFlight
          + (tls ? ", TLS" : "") + (sasl() ? ", SASL " + saslMechanism + " as " + username : "") + "]";
    }
  }

  /** Kafka's own rule for a topic name. */
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Pattern BROKER = Pattern.compile("[^:\\s,]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+\\]:\\d{1,5}");

  static IngestConf read(JsonObject conf) {
    Section ingest = Section.of(conf, "ingest");
    if (!(ingest.nullable("kafka") instanceof JsonObject kafka)) {
      throw new ConfigException("ingest.kafka", "missing section (an object)");
    }
    // A section named by its full path, so every error says "ingest.kafka.topic", not "kafka.topic".
    Section s = Section.of(new JsonObject().put("ingest.kafka", kafka), "ingest.kafka");
    String bootstrap = s.stringOrEmpty("bootstrap").trim();
    for (String b : bootstrap.split(",")) {
      String t = b.trim();
      if (!bootstrap.isEmpty() && !BROKER.matcher(t).matches()) {
        throw new ConfigException("ingest.kafka.bootstrap", "'" + t + "' is not HOST:PORT (a list is comma separated;"
            + " empty turns the Kafka source off)");
      }
    }
    String topic = s.string("topic");
    if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new ConfigException("ingest.kafka.topic", "'" + topic + "' is not a Kafka topic name (1 to 249 letters,"
          + " digits, '.', '_' or '-')");
    }
    // At most one batch on the bus (IngestBus.MAX_RECORDS), which config may not name: it lies above.
    int maxInFlight = s.integer("maxInFlight", 1, 10_000);
    String mechanism = s.stringOrEmpty("saslMechanism").trim().toUpperCase(Locale.ROOT);
    String username = s.stringOrEmpty("username");
    String password = s.stringOrEmpty("password");
    if (!mechanism.isEmpty() && !Kafka.SASL_MECHANISMS.contains(mechanism)) {
      throw new ConfigException("ingest.kafka.saslMechanism", "'" + mechanism + "' is not one of "
          + new TreeSet<>(Kafka.SASL_MECHANISMS) + " (empty: no SASL)");
    }
    if (!mechanism.isEmpty() && (username.isEmpty() || password.isEmpty())) {
      throw new ConfigException("ingest.kafka." + (username.isEmpty() ? "username" : "password"),
          "SASL " + mechanism + " needs a username and a password (DGAD_KAFKA_USER, DGAD_KAFKA_PASSWORD)");
    }
    if (mechanism.isEmpty() && !(username.isEmpty() && password.isEmpty())) {
      // Else they would be ignored, and the broker's refusal would not say why.
      throw new ConfigException("ingest.kafka.saslMechanism", "a Kafka username or password is set but no SASL"
          + " mechanism: set it to one of " + new TreeSet<>(Kafka.SASL_MECHANISMS));
    }
    return new IngestConf(new Kafka(bootstrap, topic, s.string("group"), maxInFlight, s.bool("tls"), mechanism,
        username, password));
  }
}
