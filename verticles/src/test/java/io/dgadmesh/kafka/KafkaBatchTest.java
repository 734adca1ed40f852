package io.dgadmesh.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.ingest.DnsRecord;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KafkaBatchTest {

  private static ConsumerRecord<byte[], byte[]> message(int partition, long offset, String value) {
    return new ConsumerRecord<>("dns", partition, offset, null, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** One record per line whose text is a name; "throw" makes the parser fail, "bad" is malformed. */
  private static final MessageParser NAMES = (value, out) -> {
    int bad = 0;
    for (String line : new String(value, StandardCharsets.UTF_8).split("\n")) {
      if (line.equals("throw")) {
        throw new IllegalStateException("a parser's bug");
      } else if (line.equals("bad")) {
        bad++;
      } else {
        out.accept(new DnsRecord(DnsRecord.UNKNOWN_TIME, "10.0.0.1", line, "A", "", List.of()));
      }
    }
    return bad;
  };

  @Test
  void eachRecordGetsItsSourceIdAndEachPartitionItsSpan() {
    KafkaBatch b = KafkaBatch.read(List.of(message(0, 7, "a.com"), message(1, 3, "b.com\nbad\nc.com"),
        message(0, 8, "ok.com\nthrow"), message(0, 9, null), message(1, 4, "x".repeat(KafkaBatch.MAX_MESSAGE_BYTES + 1)),
        message(0, 10, "d.com")), NAMES);

    assertEquals(List.of("kafka:dns/0/7", "kafka:dns/1/3", "kafka:dns/1/3#1", "kafka:dns/0/10"), b.sources);
    assertEquals(List.of("a.com", "b.com", "c.com", "d.com"), b.records.stream().map(DnsRecord::query).toList());
    // "bad", the message whose parser threw (its "ok.com" dropped with it), the empty one, the oversized one.
    assertEquals(4, b.malformed());
    assertEquals(6, b.messages());
    assertEquals(Map.of(new TopicPartition("dns", 0), 11L, new TopicPartition("dns", 1), 5L),
        b.nextOffsets().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getOffset())));
    assertEquals(Map.of(new TopicPartition("dns", 0), 7L, new TopicPartition("dns", 1), 3L), b.firstOffsets());
  }

  @Test
  void aBatchOverOneRequestIsCutIntoRequestsOfAtMostMaxRecords() {
    List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>();
    polled.add(message(0, 0, String.join("\n", java.util.Collections.nCopies(IngestBus.MAX_RECORDS + 5, "n.com"))));
    KafkaBatch b = KafkaBatch.read(polled, NAMES);
    assertEquals(List.of(IngestBus.MAX_RECORDS, 5), b.recordChunks().stream().map(List::size).toList());
    assertEquals(List.of(IngestBus.MAX_RECORDS, 5), b.sourceChunks().stream().map(List::size).toList());
    assertEquals("kafka:dns/0/0#" + IngestBus.MAX_RECORDS, b.sourceChunks().get(1).get(0));
    OffsetAndMetadata next = b.nextOffsets().get(new TopicPartition("dns", 0));
    assertEquals(1L, next.getOffset());
  }
}
