package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvAndListParserTest {

  @Test
  void csvColumnsAreFoundByTheirUsualNames() throws Exception {
    String csv = "timestamp,src_ip,query,qtype,rcode\n"
        + "2025-12-01T12:00:00Z,10.0.0.5,\"a.example\",A,nxdomain\n"
        + "1764590400,10.0.0.6,b.example.,AAAA,\n";
    Logs.Read read = Logs.read(csv, LogFormat.CSV);
    assertEquals(List.of(
        new DnsRecord(1764590400000L, "10.0.0.5", "a.example", "A", "NXDOMAIN", List.of()),
        new DnsRecord(1764590400000L, "10.0.0.6", "b.example", "AAAA", "", List.of())), read.records());
  }

  @Test
  void theNameColumnCanBeNamedAndTheDelimiterIsTheHeaders() throws Exception {
    String csv = "host;fqdn;note\n10.0.0.1;_sip._udp.example.org;\"semi;colon\"\n10.0.0.2;;empty\n";
    IngestOptions options = IngestOptions.DEFAULTS.withCsv(CsvColumns.name("FQDN"));
    try (RecordReader reader = DnsLogs.open(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t", LogFormat.CSV, options)) {
      Logs.Read read = Logs.drain(reader);
      assertEquals(new DnsRecord(DnsRecord.UNKNOWN_TIME, "10.0.0.1", "_sip._udp.example.org", "", "", List.of()), read.only());
      assertEquals(1, read.counts().malformed(), "an empty name is malformed");
    }
  }

  @Test
  void csvBrokenLinesAreCounted() throws Exception {
    String csv = "query,time\nok.example,1.5\n\"unterminated,1\nshort\nbad.example,yesterday\n" + "f".repeat(254) + ",1\n";
    Logs.Read read = Logs.read(csv, LogFormat.CSV);
    assertEquals(List.of("ok.example", "short"), Logs.queries(read));
    assertEquals(2, read.counts().malformed());
    assertEquals(1, read.counts().overLimit());
  }

  @Test
  void aCsvWithoutTheNameColumnSaysWhich() throws Exception {
    Logs.Read read = Logs.read("a,b\n1,2\n", LogFormat.CSV);
    assertEquals(0, read.records().size());
    assertTrue(read.counts().problems().get(0).reason().contains("none of the name columns"));
  }

  @Test
  void aListHasOneNamePerLineAndComments() throws Exception {
    String list = "# seen on the proxy\n\uFEFFignored-bom-is-only-at-the-start\nwpad\n  _ldap._tcp.corp.example.  # DC\n\n"
        + "two words\n" + "g".repeat(254) + "\n1.0.0.127.in-addr.arpa\r\n";
    Logs.Read read = Logs.read("\uFEFF" + list, LogFormat.LIST);
    assertEquals(List.of("\uFEFFignored-bom-is-only-at-the-start", "wpad", "_ldap._tcp.corp.example", "1.0.0.127.in-addr.arpa"),
        Logs.queries(read));
    assertEquals(1, read.counts().malformed());
    assertEquals(1, read.counts().overLimit());
    assertEquals(2, read.counts().skipped());
  }
}
