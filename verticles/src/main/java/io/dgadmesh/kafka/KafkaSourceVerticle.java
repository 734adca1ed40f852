package io.dgadmesh.kafka;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.config.IngestConf;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka source: consumes Zeek-JSON or eve.json records from {@code ingest.kafka.topic} in the
 * consumer group {@code ingest.kafka.group}, which every worker node joins, so the topic's
 * partitions spread over the cluster. At-least-once: a turn polls at most
 * {@code ingest.kafka.maxInFlight} records, reads them ({@link MessageParser}), hands them to
 * {@link IngestBus#INGEST} and commits their offsets only on the reply, which comes once their names
 * are judged and their host state is written. Each record carries its source id
 * ({@code kafka:topic/partition/offset}), so a record read twice (after a crash, or a rebalance
 * while its batch was in flight) is counted once by the host state.
 *
 * <p>Back-pressure: there is no second poll while a batch is in flight, so a slow host state slows
 * the reading and nothing queues here. A failed reply ({@link Bus#OVERLOADED}, a timeout, no
 * consumer on the address) commits nothing: the batch's partitions are read again from its first
 * offsets after a back-off. A message that yields no record is counted
 * ({@code dgad_ingest_kafka_malformed_total}) and committed with its batch, never retried.
 *
 * <p>Stop: no further poll; the batch in flight gets until {@code node.stopTimeoutMs} to be
 * answered and committed; then the consumer closes (and leaves the group, so its partitions move at
 * once). A batch still unanswered then stays uncommitted and is read again by the next owner.
 */
public final class KafkaSourceVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(KafkaSourceVerticle.class.getName());

  /** One poll's wait for records, on the consumer's own thread; a stop waits at most this for it. */
  static final Duration POLL = Duration.ofMillis(500);
  static final long BACKOFF_MIN_MS = 200;
  static final long BACKOFF_MAX_MS = 10_000;
  /**
   * What the consumer fetches from a broker ahead of the batch in flight, at most (Kafka's default is
   * 50 MB, a tenth of the node's heap).
   */
  static final int FETCH_MAX_BYTES = 8 << 20;

  private final NodeSettings given;
  private final MessageParser parser;
  private final Map<String, String> overrides;

  private KafkaConsumer<byte[], byte[]> consumer;
  private String topic;
  private long stopTimeoutMs;
  /** A poll or a batch is under way; the stop waits for it. */
  private boolean busy;
  private boolean stopping;
  private boolean closed;
  private Promise<Void> stopped;
  private long retryTimer = -1;
  private long backoffMs;
  private long failures;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public KafkaSourceVerticle() {
    this(null);
  }

  public KafkaSourceVerticle(NodeSettings settings) {
    this(settings, new LogLines(), Map.of());
  }

  /**
   * @param parser reads each Kafka message
   * @param consumerProperties Kafka consumer properties over the source's own (security settings, or a
   *     test's short session timeout); not the offsets' handling, which is the source's
   */
  public KafkaSourceVerticle(NodeSettings settings, MessageParser parser, Map<String, String> consumerProperties) {
    this.given = settings;
    this.parser = parser;
    this.overrides = Map.copyOf(consumerProperties);
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    IngestConf.Kafka conf = settings.ingest().kafka();
    if (!conf.enabled()) {
      return Future.failedFuture(new IllegalStateException("ingest.kafka.bootstrap is empty: the Kafka source is off"));
    }
    topic = conf.topic();
    stopTimeoutMs = settings.node().stopTimeoutMs();
    Map<String, String> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, conf.bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, conf.group());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dgad-" + settings.node().idOrDefault());
    // A new group starts at the topic's beginning: records written before the first node came up count too.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(conf.maxInFlight()));
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(FETCH_MAX_BYTES));
    props.putAll(KafkaSecurity.properties(conf, settings.tls()));
    props.putAll(overrides);
    // Offsets are committed by this class alone, after the reply: whatever the overrides say.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = KafkaConsumer.create(vertx, props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.exceptionHandler(e -> LOG.fine(() -> "Kafka consumer: " + e));
    consumer.partitionsAssignedHandler(tps -> LOG.fine(() -> "Kafka source: assigned " + tps));
    return consumer.subscribe(topic).onSuccess(v -> {
      LOG.info(() -> "Kafka source: topic '" + topic + "' at " + conf.bootstrap() + (conf.tls() ? " (TLS)" : "")
          + (conf.sasl() ? " as " + conf.username() + " (SASL " + conf.saslMechanism() + ")" : "") + ", group '" + conf.group()
          + "', at most " + conf.maxInFlight() + " records in flight");
      next();
    });
  }

  @Override
  public Future<?> stop() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    stopping = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    stopped = Promise.promise();
    if (!busy) {
      stopped.tryComplete();
    }
    long timer = vertx.setTimer(stopTimeoutMs, t -> {
      if (stopped.tryComplete()) {
        LOG.warning("Kafka source: stopping with a batch unanswered after node.stopTimeoutMs; its records stay"
            + " uncommitted and are read again by the partition's next owner");
      }
    });
    return stopped.future().compose(v -> {
      vertx.cancelTimer(timer);
      closed = true;
      return consumer.close();
    });
  }

  /** One turn: poll, read, hand the records to the bus, commit on the reply; then the next turn. */
  private void next() {
    retryTimer = -1;
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    busy = true;
    consumer.poll(POLL).onComplete(ar -> {
      if (ar.failed()) {
        failed("polling topic '" + topic + "'", ar.cause());
        turnDone(backoff());
      } else if (stopping || ar.result().isEmpty()) {
        // Records polled as the stop began were not sent: uncommitted, they are read again elsewhere.
        turnDone(0);
      } else {
        KafkaBatch batch = KafkaBatch.read(ar.result().records(), parser);
        ingest(batch).onComplete(sent -> {
          if (sent.succeeded()) {
            commit(batch);
          } else if (refused(sent.cause())) {
            // The host state refuses these records as they are: sending them again would stall the partition.
            LOG.warning("Kafka source: the ingest address refused a batch of " + batch.records.size()
                + " records (" + sent.cause().getMessage() + "); skipped and counted as malformed");
            batch.refused();
            commit(batch);
          } else {
            failed("handing records to " + IngestBus.INGEST, sent.cause());
            readAgain(batch);
          }
        });
      }
    });
  }

  private void turnDone(long delayMs) {
    busy = false;
    if (stopping) {
      stopped.tryComplete();
    } else if (delayMs == 0) {
      next();
    } else {
      retryTimer = vertx.setTimer(delayMs, t -> next());
    }
  }

  /** The batch's parts one after another: one request holds at most IngestBus.MAX_RECORDS records. */
  private Future<Void> ingest(KafkaBatch batch) {
    List<List<DnsRecord>> records = batch.recordChunks();
    List<List<String>> sources = batch.sourceChunks();
    Future<Void> f = Future.succeededFuture();
    for (int i = 0; i < records.size(); i++) {
      int part = i;
      f = f.compose(v -> IngestBus.send(vertx.eventBus(), records.get(part), sources.get(part)).mapEmpty());
    }
    return f;
  }

  private void commit(KafkaBatch batch) {
    if (closed) {
      return; // answered after the stop gave up on it: the consumer is gone, the records stay uncommitted
    }
    // Counted as the batch is settled, before its commit can be seen: a batch read again is counted again.
    NodeMetrics.kafkaMalformed(batch.malformed());
    consumer.commit(batch.nextOffsets()).onComplete(ar -> {
      if (ar.failed()) {
        // Mostly a rebalance that moved the partitions while the batch was in flight. The records are
        // ingested; their next owner reads them again and the host state knows them by their source ids.
        LOG.warning("Kafka source: could not commit " + batch.messages() + " ingested records (" + ar.cause()
            + "); they may be read again");
      }
      if (failures > 0) {
        LOG.info("Kafka source: ingesting again after " + failures + " failed attempts");
        failures = 0;
      }
      turnDone(0);
    });
  }

  /** Nothing committed: each partition of the batch is read again from the batch's first offset. */
  private void readAgain(KafkaBatch batch) {
    if (closed) {
      return; // failed after the stop gave up on it; a closed consumer's seek would start a new thread for it
    }
    List<Future<Void>> seeks = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> e : batch.firstOffsets().entrySet()) {
      // Fails for a partition a rebalance has taken meanwhile; its new owner starts at the commit.
      seeks.add(consumer.seek(e.getKey(), e.getValue()));
    }
    Future.join(seeks).onComplete(ar -> turnDone(backoff()));
  }

  private void failed(String what, Throwable cause) {
    if (failures++ == 0) {
      LOG.warning("Kafka source: " + what + " failed (" + cause.getMessage() + ")" + settingHint(cause)
          + "; retrying with back-off, nothing committed");
    }
  }

  /** The settings to look at when the brokers refuse this node's TLS or SASL; else "". */
  static String settingHint(Throwable cause) {
    for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SslAuthenticationException) {
        return ": the brokers' certificate must be signed by the CA of tls.caPath (DGAD_TLS_CA), or without one"
            + " by a CA of the JVM's trust store, and name the broker's host; ingest.kafka.tls must match the listener";
      }
      if (t instanceof SaslAuthenticationException) {
        return ": check ingest.kafka.saslMechanism, username and password (DGAD_KAFKA_SASL_MECHANISM,"
            + " DGAD_KAFKA_USER, DGAD_KAFKA_PASSWORD)";
      }
    }
    return "";
  }

  private long backoff() {
    backoffMs = failures <= 1 ? BACKOFF_MIN_MS : Math.min(BACKOFF_MAX_MS, backoffMs * 2);
    return backoffMs;
  }

  private static boolean refused(Throwable cause) {
    return cause instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() == Bus.BAD_REQUEST;
  }
}
