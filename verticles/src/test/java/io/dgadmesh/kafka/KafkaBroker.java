package io.dgadmesh.kafka;

import io.dgadmesh.testing.Poll;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real Kafka 4.1 broker in this JVM: one KRaft node that is broker and controller at once, on
 * free ports, its log in a temporary directory that is formatted here as kafka-storage would.
 */
final class KafkaBroker implements AutoCloseable {

  /**
   * The broker's and the clients' INFO lines (every config, every rebalance) kept out of the test
   * output; held here, because java.util.logging keeps a logger's level only while the logger lives.
   */
  private static final List<Logger> QUIET = Stream.of("kafka", "org.apache.kafka", "state.change.logger")
      .map(Logger::getLogger).peek(l -> l.setLevel(Level.WARNING)).toList();

  private final Path dir;
  private final int port;
  private final KafkaRaftServer server;
  private final Admin admin;

  private final int sslPort;

  private KafkaBroker(Path dir, int port, int sslPort, KafkaRaftServer server, Admin admin) {
    this.dir = dir;
    this.port = port;
    this.sslPort = sslPort;
    this.server = server;
    this.admin = admin;
  }

  static KafkaBroker start() throws Exception {
    return start(null);
  }

  /**
   * With {@code sslCert} (PEM, unencrypted PKCS#8 key), also a TLS listener ({@link #sslBootstrap});
   * the test's own admin and producer keep the plaintext one.
   */
  static KafkaBroker start(io.dgadmesh.testing.TestCerts.Pair sslCert) throws Exception {
    QUIET.size();
    // log4j-api is here for the broker alone, without an implementation: say so at once, not in an ERROR line.
    System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    // The broker ends the process on a fatal error: in a test that must be a failure, not a vanished JVM.
    Exit.setExitProcedure((code, message) -> {
      throw new IllegalStateException("Kafka broker asked to exit (" + code + "): " + message);
    });
    Exit.setHaltProcedure((code, message) -> {
      throw new IllegalStateException("Kafka broker asked to halt (" + code + "): " + message);
    });
    Path dir = Files.createTempDirectory("dgad-kafka-");
    int port = freePort();
    int controllerPort = freePort();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    int sslPort = sslCert == null ? -1 : freePort();
    String ssl = sslCert == null ? "" : ",SSL://127.0.0.1:" + sslPort;
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + ssl);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ssl);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL");
    if (sslCert != null) {
      p.put("listener.name.ssl.ssl.keystore.type", "PEM");
      p.put("listener.name.ssl.ssl.keystore.certificate.chain", Files.readString(sslCert.cert()));
      p.put("listener.name.ssl.ssl.keystore.key", Files.readString(sslCert.key()));
    }
    p.put("log.dirs", dir.toString());
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The kill test's consumer has a short session, so the group notices its death within seconds.
    p.put("group.min.session.timeout.ms", "500");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream())).setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString()).setControllerListenerName("CONTROLLER")
        .setMetadataLogDirectory(dir.toString()).addDirectory(dir.toString()).run();
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
    server.startup();
    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port));
    KafkaBroker broker = new KafkaBroker(dir, port, sslPort, server, admin);
    Poll.await(30_000, "the Kafka broker to answer", () -> {
      try {
        return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
    return broker;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** The TLS listener of a broker started with a certificate. */
  String sslBootstrap() {
    return "127.0.0.1:" + sslPort;
  }

  /** Returns once every partition's leader answers for it, so what is produced next is taken at once. */
  void createTopic(String topic, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
    Poll.await(60_000, "topic " + topic + " served", () -> {
      try {
        return endOffsets(topic, partitions).size() == partitions;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /**
   * Message i goes to partition i % partitions, so every partition gets its share. Returns where
   * each message went, as the source id the Kafka source gives its first record.
   */
  List<String> produce(String topic, int partitions, List<String> values) throws Exception {
    List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), ProducerConfig.LINGER_MS_CONFIG, "5",
        // In order without the idempotent producer's sequence bookkeeping: one request at a time.
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false", ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < values.size(); i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, values.get(i))));
      }
      producer.flush();
    }
    List<String> ids = new ArrayList<>();
    for (java.util.concurrent.Future<RecordMetadata> f : sent) {
      RecordMetadata md = f.get(30, TimeUnit.SECONDS);
      ids.add("kafka:" + md.topic() + "/" + md.partition() + "/" + md.offset());
    }
    return ids;
  }

  /** The group's committed offset per partition of the topic (absent: nothing committed). */
  Map<Integer, Long> committed(String group, String topic) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    Map<Integer, Long> out = new HashMap<>();
    all.forEach((tp, om) -> {
      if (tp.topic().equals(topic) && om != null) {
        out.put(tp.partition(), om.offset());
      }
    });
    return out;
  }

  /** Each partition's end: the offset the next message would get. */
  Map<Integer, Long> endOffsets(String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> ask = IntStream.range(0, partitions).boxed()
        .collect(Collectors.toMap(i -> new TopicPartition(topic, i), i -> OffsetSpec.latest()));
    Map<Integer, Long> out = new HashMap<>();
    admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS).forEach((tp, r) -> out.put(tp.partition(), r.offset()));
    return out;
  }

  @Override
  public void close() throws IOException {
    admin.close();
    server.shutdown();
    server.awaitShutdown();
    Exit.resetExitProcedure();
    Exit.resetHaltProcedure();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static int freePort() throws IOException {
    return io.dgadmesh.testing.FreePorts.next();
  }
}
