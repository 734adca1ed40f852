package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeekJsonParserTest {

  /** Two lines of Zeek's own dns.log documentation: zeek/zeek, doc/reference/logs/dns.rst. */
  static final String AAAA = "{\"ts\":1774911641.78917,\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"172.17.0.2\","
      + "\"id.orig_p\":36844,\"id.resp_h\":\"1.1.1.1\",\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":54060,"
      + "\"query\":\"zeek.org\",\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":28,\"qtype_name\":\"AAAA\","
      + "\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":false,\"TC\":false,\"RD\":true,\"RA\":false,\"Z\":2,"
      + "\"rejected\":false,\"opcode\":0,\"opcode_name\":\"query\"}";
  static final String A = "{\"ts\":1774911641.803041,\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"172.17.0.2\","
      + "\"id.orig_p\":36844,\"id.resp_h\":\"1.1.1.1\",\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":20661,"
      + "\"rtt\":0.03837108612060547,\"query\":\"zeek.org\",\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":1,"
      + "\"qtype_name\":\"A\",\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":false,\"TC\":false,\"RD\":true,\"RA\":true,"
      + "\"Z\":2,\"answers\":[\"192.0.78.150\",\"192.0.78.212\"],\"TTLs\":[60.0,60.0],\"rejected\":false,\"opcode\":0,"
      + "\"opcode_name\":\"query\"}";

  @Test
  void readsZeeksOwnExampleLines() throws Exception {
    Logs.Read read = Logs.read(AAAA + "\n" + A + "\n", LogFormat.ZEEK_JSON);
    assertEquals(List.of(
        new DnsRecord(1774911641789L, "172.17.0.2", "zeek.org", "AAAA", "NOERROR", List.of()),
        new DnsRecord(1774911641803L, "172.17.0.2", "zeek.org", "A", "NOERROR", List.of("192.0.78.150", "192.0.78.212"))),
        read.records());
  }

  @Test
  void timeMayBeIsoOrMillisAndTheClientNested() throws Exception {
    String log = "{\"ts\":\"2026-03-30T22:20:41.789170Z\",\"id\":{\"orig_h\":\"10.0.0.9\",\"orig_p\":5},\"query\":\"a.example\"}\n"
        + "{\"ts\":1774911641789,\"id.orig_h\":\"10.0.0.9\",\"query\":\"b.example.\",\"qtype\":16,\"rcode\":3}\n";
    Logs.Read read = Logs.read(log, LogFormat.ZEEK_JSON);
    assertEquals(new DnsRecord(1774909241789L, "10.0.0.9", "a.example", "", "", List.of()), read.records().get(0));
    assertEquals(new DnsRecord(1774911641789L, "10.0.0.9", "b.example", "TXT", "NXDOMAIN", List.of()), read.records().get(1));
  }

  @Test
  void brokenLinesAreCountedAndTheRestIsRead() throws Exception {
    String log = "{\"ts\":1.0,\"query\":\"ok1.example\"}\n"
        + "{\"ts\":1.0,\"query\":\"cut.exa\n"                 // 2: cut
        + "[1,2,3]\n"                                          // 3: not an object
        + "{\"ts\":\"yesterday\",\"query\":\"x.example\"}\n"  // 4: bad ts
        + "{\"ts\":1.0,\"uid\":\"C1\"}\n"                     // 5: no query: skipped
        + "{\"ts\":1.0,\"query\":\"" + "b".repeat(300) + "\"}\n" // 6: over the limit
        + "{\"ts\":1.0,\"query\":\"ok2.example\"} {}\n"       // 7: two values
        + "\n"                                                 // 8: blank
        + "{\"ts\":1.0,\"query\":\"ok3.example\"}\n";
    Logs.Read read = Logs.read(log, LogFormat.ZEEK_JSON);
    assertEquals(List.of("ok1.example", "ok3.example"), Logs.queries(read));
    assertEquals(4, read.counts().malformed());
    assertEquals(1, read.counts().overLimit());
    assertEquals(2, read.counts().skipped());
    assertEquals(List.of(2L, 3L, 4L, 6L, 7L), read.counts().problems().stream().map(ParseCounts.Problem::line).toList());
  }

  @Test
  void oneLineParsesAloneAsAKafkaMessageWould() {
    LineParser parser = DnsLogs.lineParser(LogFormat.ZEEK_JSON, IngestOptions.DEFAULTS);
    List<DnsRecord> out = new ArrayList<>();
    assertEquals(LineOutcome.ACCEPTED, parser.parse(A, out::add));
    assertEquals(LineOutcome.Kind.MALFORMED, parser.parse("{\"query\":", out::add).kind());
    assertEquals(1, out.size());
    assertEquals("zeek.org", out.get(0).query());
  }
}
