package io.dgadmesh.kafka;

import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.ingest.DnsRecord;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One poll's Kafka records, read: the DNS records with their source ids ({@link IngestBus#SOURCES}),
 * how many messages or lines were malformed, and where each partition's part begins and ends, so
 * the batch can be committed once the bus has answered, or read again after a failure.
 */
final class KafkaBatch {

  /**
   * A message over this is skipped as malformed: Kafka's own default limit of a message, so only a
   * broker configured for bigger ones sends one. A DNS log line is well under a kilobyte.
   */
  static final int MAX_MESSAGE_BYTES = 1 << 20;

  final List<DnsRecord> records = new ArrayList<>();
  final List<String> sources = new ArrayList<>();
  private final Map<TopicPartition, long[]> spans = new HashMap<>(); // {first offset, last offset}
  private int messages;
  private long malformed;

  private KafkaBatch() {}

  static KafkaBatch read(Iterable<ConsumerRecord<byte[], byte[]>> polled, MessageParser parser) {
    KafkaBatch b = new KafkaBatch();
    for (ConsumerRecord<byte[], byte[]> m : polled) {
      b.add(m, parser);
    }
    return b;
  }

  private void add(ConsumerRecord<byte[], byte[]> m, MessageParser parser) {
    messages++;
    spans.computeIfAbsent(new TopicPartition(m.topic(), m.partition()), k -> new long[] {m.offset(), m.offset()})[1] =
        m.offset();
    byte[] value = m.value();
    if (value == null || value.length > MAX_MESSAGE_BYTES) {
      malformed++;
      return;
    }
    String id = "kafka:" + m.topic() + "/" + m.partition() + "/" + m.offset();
    int before = records.size();
    try {
      malformed += parser.parse(value, r -> {
        sources.add(records.size() == before ? id : id + "#" + (records.size() - before));
        records.add(r);
      });
    } catch (RuntimeException e) {
      // A parser's fault on one message must not hold the partition back: it is skipped like bad input.
      records.subList(before, records.size()).clear();
      sources.subList(before, sources.size()).clear();
      malformed++;
    }
  }

  /** The ingest address refused the records: they count as malformed, the batch is committed. */
  void refused() {
    malformed += records.size();
  }

  int messages() {
    return messages;
  }

  long malformed() {
    return malformed;
  }

  /** The records in bus-sized parts, with their source ids. */
  List<List<DnsRecord>> recordChunks() {
    return chunks(records);
  }

  List<List<String>> sourceChunks() {
    return chunks(sources);
  }

  private static <T> List<List<T>> chunks(List<T> all) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += IngestBus.MAX_RECORDS) {
      out.add(all.subList(i, Math.min(all.size(), i + IngestBus.MAX_RECORDS)));
    }
    return out;
  }

  /** What to commit once the batch is ingested: each partition's next offset. */
  Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    spans.forEach((tp, span) -> out.put(tp, new OffsetAndMetadata(span[1] + 1, null)));
    return out;
  }

  /** Where to read again after a failure: each partition's first offset in the batch. */
  Map<TopicPartition, Long> firstOffsets() {
    Map<TopicPartition, Long> out = new HashMap<>();
    spans.forEach((tp, span) -> out.put(tp, span[0]));
    return out;
  }
}
