package io.dgadmesh.kafka;

import io.dgadmesh.ingest.DnsRecord;
import java.util.function.Consumer;

/**
 * Reads the DNS records one Kafka message holds. The source is written against this rather than
 * against a parser, so a test may hand it a parser of its own; {@link LogLines} is the one a node uses.
 */
@FunctionalInterface
public interface MessageParser {

  /**
   * Hands each record of {@code value} to {@code out} and returns how many of its lines held nothing
   * it could read (0 when every line could). A line that is well formed but carries no DNS query
   * (another Suricata event type, say) is neither. Should not throw on bad input; the source counts
   * a throw as one malformed message.
   */
  int parse(byte[] value, Consumer<DnsRecord> out);
}
