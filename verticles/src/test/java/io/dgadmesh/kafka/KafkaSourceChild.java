package io.dgadmesh.kafka;

import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.ingest.DnsRecord;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A worker node's Kafka source in its own JVM, for the kill test: its stand-in host state writes
 * each request to a file ("batch", then "SOURCE\tQUERY" per record) before answering it, a tenth of
 * a second later (so the topic lasts). Once the stall file exists, the next request is written and
 * never answered ("stalled"): the host state was written, the offsets were not committed, and then
 * the test kills this JVM with SIGKILL.
 *
 * <p>Arguments: bootstrap topic group maxInFlight outFile stallFile
 */
public final class KafkaSourceChild {

  /** Held: java.util.logging keeps a logger's level only while the logger lives. */
  private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

  public static void main(String[] args) {
    KAFKA_LOG.setLevel(java.util.logging.Level.WARNING); // the client's INFO lines: every config, every rebalance
    String bootstrap = args[0];
    String topic = args[1];
    String group = args[2];
    int maxInFlight = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    Path stall = Path.of(args[5]);
    Vertx vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(IngestBus.INGEST, m -> {
      List<DnsRecord> records = IngestBus.records(m.body());
      List<String> sources = IngestBus.sources(m.body());
      StringBuilder b = new StringBuilder("batch\n");
      for (int i = 0; i < records.size(); i++) {
        b.append(sources.get(i)).append('\t').append(records.get(i).query()).append('\n');
      }
      boolean stalling = Files.exists(stall);
      if (stalling) {
        b.append("stalled\n");
      }
      append(out, b.toString());
      if (!stalling) {
        IngestBus.Reply reply = new IngestBus.Reply(records.size(), records.size(), 1, 0);
        vertx.setTimer(100, t -> m.reply(reply.toJson()));
      }
    });
    NodeSettings settings = NodeSettings.of(new JsonObject().put("ingest", new JsonObject().put("kafka",
        new JsonObject().put("bootstrap", bootstrap).put("topic", topic).put("group", group)
            .put("maxInFlight", maxInFlight))));
    // A short session, so the group hands this node's partitions on soon after the SIGKILL.
    Map<String, String> fastFailover = Map.of("session.timeout.ms", "1500", "heartbeat.interval.ms", "300");
    vertx.deployVerticle(new KafkaSourceVerticle(settings, new LogLines(), fastFailover))
        .onSuccess(id -> System.out.println("deployed"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(2);
        });
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
