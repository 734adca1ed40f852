package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BindQueryLogParserTest {

  // Written by BIND 9.18.49 (Debian 12's named) with print-time, print-category and print-severity.
  static final String WITH_TIME = """
      01-Dec-2026 12:58:19.545 queries: info: client @0x7fa7fba32098 127.0.0.1#38451 (www.example.test): query: www.example.test IN A +E(0)K (127.0.0.1)
      01-Dec-2026 12:58:19.617 queries: info: client @0x7fa7f8cf5098 127.0.0.1#40760 (_ldap._tcp.example.test): query: _ldap._tcp.example.test IN SRV +E(0)K (127.0.0.1)
      01-Dec-2026 12:58:19.689 queries: info: client @0x7fa7f8cf5098 127.0.0.1#57607 (10.2.0.192.in-addr.arpa): query: 10.2.0.192.in-addr.arpa IN PTR +E(0)K (127.0.0.1)
      01-Dec-2026 12:58:19.713 queries: info: client @0x7fa7fba32098 127.0.0.1#42428 (google.com): query: google.com IN A +E(0)K (127.0.0.1)
      01-Dec-2026 12:58:19.713 query-errors: info: client @0x7fa7fba32098 127.0.0.1#42428 (google.com): query failed (REFUSED) for google.com/IN/A at query.c:5708
      01-Dec-2026 12:58:19.725 queries: info: client @0x7fa7fba32098 127.0.0.1#52617 (singlelabel): query: singlelabel IN A +E(0)K (127.0.0.1)
      """;

  @Test
  void readsBindQueryLinesWithTime() throws Exception {
    Logs.Read read = Logs.read(WITH_TIME, LogFormat.BIND);
    assertEquals(List.of("www.example.test", "_ldap._tcp.example.test", "10.2.0.192.in-addr.arpa", "google.com",
        "singlelabel"), Logs.queries(read));
    assertEquals(new DnsRecord(1796129899545L, "127.0.0.1", "www.example.test", "A", "", List.of()),
        read.records().get(0));
    assertEquals(1, read.counts().skipped(), "the query-errors line is another category");
  }

  @Test
  void readsTheFormsWithoutTimeObjectOrNameAndWithAViewAndIpv6() throws Exception {
    String log = """
        client @0x7fa7fba32098 127.0.0.1#38451 (www.example.test): query: www.example.test IN A +E(0)K (127.0.0.1)
        Feb 25 11:09:43 ns1 named[812]: client 10.0.0.3#1035: query: 3.example.com IN A +
        client @0x55d0 2001:db8::7#5353 (v6.example): view internal: query: v6.example. IN AAAA -E(0)DC (2001:db8::1)
        """;
    Logs.Read read = Logs.read(log, LogFormat.BIND);
    assertEquals(List.of("www.example.test", "3.example.com", "v6.example"), Logs.queries(read));
    assertEquals(DnsRecord.UNKNOWN_TIME, read.records().get(0).timeMillis());
    assertEquals("10.0.0.3", read.records().get(1).client());
    assertEquals("2001:db8::7", read.records().get(2).client());
    assertEquals("AAAA", read.records().get(2).qtype());
  }

  @Test
  void brokenLinesAreCounted() throws Exception {
    String log = "client 10.0.0.3: query: nohash.example IN A +\n"          // 1: no ADDRESS#PORT
        + "client 10.0.0.3#1035: query: notype.example\n"                    // 2: no class or type
        + "something else entirely\n"                                         // 3: not BIND
        + "01-Dec-2026 12:58:19.545 general: info: zone loaded\n"             // 4: another category
        + "client 10.0.0.3#1035: query: " + "d".repeat(260) + " IN A +\n"    // 5: over the limit
        + "client 10.0.0.3#1035: query: fine.example IN A +\n";
    Logs.Read read = Logs.read(log, LogFormat.BIND);
    assertEquals(List.of("fine.example"), Logs.queries(read));
    assertEquals(3, read.counts().malformed());
    assertEquals(1, read.counts().skipped());
    assertEquals(1, read.counts().overLimit());
  }
}
