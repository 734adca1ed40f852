package io.dgadmesh.kafka;

import io.dgadmesh.ingest.DnsLogs;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.ingest.IngestOptions;
import io.dgadmesh.ingest.LineOutcome;
import io.dgadmesh.ingest.LineParser;
import io.dgadmesh.ingest.LogFormat;
import java.util.function.Consumer;

/**
 * A Kafka message as lines of Zeek JSON or Suricata eve.json, read by the same parsers as files
 * ({@link DnsLogs#lineParser}). Each line picks its parser: eve.json lines carry
 * {@code "event_type"}, Zeek's do not, so one topic may hold both (as a Vector or Filebeat
 * pipeline that merges sensors writes them).
 */
final class LogLines implements MessageParser {
  private static final byte[] EVENT_TYPE = "\"event_type\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final LineParser zeek = DnsLogs.lineParser(LogFormat.ZEEK_JSON, IngestOptions.DEFAULTS);
  private final LineParser eve = DnsLogs.lineParser(LogFormat.EVE, IngestOptions.DEFAULTS);

  @Override
  public int parse(byte[] value, Consumer<DnsRecord> out) {
    int malformed = 0;
    int start = 0;
    for (int i = 0; i <= value.length; i++) {
      if (i == value.length || value[i] == '\n') {
        int end = i > start && value[i - 1] == '\r' ? i - 1 : i;
        if (end > start) {
          boolean isEve = contains(value, start, end, EVENT_TYPE);
          LineOutcome o = (isEve ? eve : zeek).parse(value, start, end - start, out);
          // An eve line without a record is normal (a request, another event type); a line of a
          // dns.log topic without a query is not what the topic is for, so it is counted.
          if (o.kind() == LineOutcome.Kind.MALFORMED || o.kind() == LineOutcome.Kind.OVER_LIMIT
              || (!isEve && o.kind() == LineOutcome.Kind.SKIPPED)) {
            malformed++;
          }
        }
        start = i + 1;
      }
    }
    return malformed;
  }

  private static boolean contains(byte[] b, int from, int to, byte[] what) {
    outer:
    for (int i = from; i + what.length <= to; i++) {
      for (int k = 0; k < what.length; k++) {
        if (b[i + k] != what[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
