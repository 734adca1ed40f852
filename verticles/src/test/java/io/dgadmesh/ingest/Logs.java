package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole log in a test and checks the counts every reader must keep. */
final class Logs {
  record Read(List<DnsRecord> records, ParseCounts counts) {
    DnsRecord only() {
      assertEquals(1, records.size(), () -> "records: " + records);
      return records.get(0);
    }
  }

  private Logs() {}

  static Read read(String text, LogFormat format) throws IOException {
    return read(text.getBytes(StandardCharsets.UTF_8), format);
  }

  static Read read(byte[] bytes, LogFormat format) throws IOException {
    try (RecordReader reader = DnsLogs.open(new ByteArrayInputStream(bytes), "test", format)) {
      return drain(reader);
    }
  }

  static Read drain(RecordReader reader) throws IOException {
    List<DnsRecord> records = new ArrayList<>();
    DnsRecord r;
    while ((r = reader.next()) != null) {
      records.add(r);
    }
    assertEquals(null, reader.next(), "a finished reader stays finished");
    ParseCounts c = reader.counts();
    assertEquals(0, c.unaccounted(), () -> "every line is counted once: " + c);
    assertEquals(records.size(), c.records(), () -> "records counted: " + c);
    return new Read(records, c);
  }

  static List<String> queries(Read read) {
    return read.records().stream().map(DnsRecord::query).toList();
  }
}
