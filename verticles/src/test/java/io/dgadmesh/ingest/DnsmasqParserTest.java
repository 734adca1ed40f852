package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsmasqParserTest {

  // Written by dnsmasq 2.90 (Debian 12) with log-queries, forwarding to a local BIND.
  static final String PLAIN = """
      Dec  1 12:58:32 dnsmasq[12171]: started, version 2.90 cachesize 150
      Dec  1 12:58:33 dnsmasq[12171]: query[A] www.example.test from 127.0.0.1
      Dec  1 12:58:33 dnsmasq[12171]: forwarded www.example.test to 127.0.0.1#5300
      Dec  1 12:58:33 dnsmasq[12171]: reply www.example.test is 192.0.2.10
      Dec  1 12:58:33 dnsmasq[12171]: query[A] www.example.test from 127.0.0.1
      Dec  1 12:58:33 dnsmasq[12171]: cached www.example.test is 192.0.2.10
      Dec  1 12:58:34 dnsmasq[12171]: query[A] alias.example.test from 127.0.0.1
      Dec  1 12:58:34 dnsmasq[12171]: forwarded alias.example.test to 127.0.0.1#5300
      Dec  1 12:58:34 dnsmasq[12171]: reply alias.example.test is <CNAME>
      Dec  1 12:58:34 dnsmasq[12171]: reply www.example.test is 192.0.2.10
      Dec  1 12:58:34 dnsmasq[12171]: query[A] nope.example.test from 127.0.0.1
      Dec  1 12:58:34 dnsmasq[12171]: forwarded nope.example.test to 127.0.0.1#5300
      Dec  1 12:58:34 dnsmasq[12171]: reply nope.example.test is NXDOMAIN
      Dec  1 12:58:34 dnsmasq[12171]: query[A] blocked.test from 127.0.0.1
      Dec  1 12:58:34 dnsmasq[12171]: config blocked.test is NXDOMAIN
      Dec  1 12:58:34 dnsmasq[12171]: query[PTR] 10.2.0.192.in-addr.arpa from 127.0.0.1
      Dec  1 12:58:34 dnsmasq[12171]: forwarded 10.2.0.192.in-addr.arpa to 127.0.0.1#5300
      Dec  1 12:58:34 dnsmasq[12171]: reply 192.0.2.10 is www.example.test
      Dec  1 12:58:34 dnsmasq[12171]: query[A] google.com from 127.0.0.1
      Dec  1 12:58:34 dnsmasq[12171]: forwarded google.com to 127.0.0.1#5300
      Dec  1 12:58:34 dnsmasq[12171]: reply error is REFUSED
      """;
  // The same server with log-queries=extra: serial and client/port before each line.
  static final String EXTRA = """
      Dec  1 12:58:42 dnsmasq[12473]: 5 127.0.0.1/51522 query[A] nope.example.test from 127.0.0.1
      Dec  1 12:58:42 dnsmasq[12473]: 5 127.0.0.1/51522 forwarded nope.example.test to 127.0.0.1#5300
      Dec  1 12:58:42 dnsmasq[12473]: 5 127.0.0.1/51522 reply nope.example.test is NXDOMAIN
      Dec  1 12:58:42 dnsmasq[12473]: 10 127.0.0.1/35102 query[A] google.com from 127.0.0.1
      Dec  1 12:58:42 dnsmasq[12473]: 10 127.0.0.1/35102 forwarded google.com to 127.0.0.1#5300
      Dec  1 12:58:42 dnsmasq[12473]: 10 127.0.0.1/35102 reply error is REFUSED
      Dec  1 12:58:42 dnsmasq[12473]: 11 127.0.0.1/37331 query[TXT] sel._domainkey.example.test from 127.0.0.1
      Dec  1 12:58:42 dnsmasq[12473]: 11 127.0.0.1/37331 forwarded sel._domainkey.example.test to 127.0.0.1#5300
      Dec  1 12:58:42 dnsmasq[12473]: 11 127.0.0.1/37331 reply sel._domainkey.example.test is v=DKIM1; p=abc
      """;

  @Test
  void repliesFindTheirQueriesByName() throws Exception {
    Logs.Read read = Logs.read(PLAIN, LogFormat.DNSMASQ);
    assertEquals(List.of(
        rec("www.example.test", "A", "NOERROR", "192.0.2.10"),
        rec("www.example.test", "A", "NOERROR", "192.0.2.10"),
        rec("alias.example.test", "A", "NOERROR", "192.0.2.10"),
        rec("nope.example.test", "A", "NXDOMAIN"),
        rec("blocked.test", "A", "NXDOMAIN"),
        rec("10.2.0.192.in-addr.arpa", "PTR", "NOERROR", "www.example.test"),
        rec("google.com", "A", "")), strip(read.records()));
  }

  @Test
  void extraSerialsPairEvenAnErrorReply() throws Exception {
    Logs.Read read = Logs.read(EXTRA, LogFormat.DNSMASQ);
    assertEquals(List.of(
        rec("nope.example.test", "A", "NXDOMAIN"),
        rec("google.com", "A", "REFUSED"),
        rec("sel._domainkey.example.test", "TXT", "NOERROR", "v=DKIM1; p=abc")), strip(read.records()));
  }

  @Test
  void anAddressAnswersOnlyItsOwnType() throws Exception {
    String log = "query[A] dual.example from 10.0.0.1\nquery[AAAA] dual.example from 10.0.0.1\n"
        + "reply dual.example is 2001:db8::1\nreply dual.example is 192.0.2.1\n";
    List<DnsRecord> records = Logs.read(log, LogFormat.DNSMASQ).records();
    assertEquals(List.of(rec("dual.example", "AAAA", "NOERROR", "2001:db8::1"), rec("dual.example", "A", "NOERROR", "192.0.2.1")),
        strip(records));
  }

  @Test
  void unansweredQueriesLeaveABoundedMapAsRecords() {
    DnsmasqParser parser = new DnsmasqParser(new PendingQueries<>(3, 30_000, 100_000));
    List<DnsRecord> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      parser.parse("query[A] n" + i + ".example from 10.0.0." + i, out::add);
    }
    assertEquals(7, out.size());
    assertEquals("n0.example", out.get(0).query());
    parser.endOfInput(out::add);
    assertEquals(10, out.size());
  }

  @Test
  void brokenLinesAreCounted() throws Exception {
    String log = "Dec  1 12:58:33 dnsmasq[1]: query[A] www.example.test\n"   // 1: no from
        + "Dec  1 12:58:33 dnsmasq[1]: reply www.example.test\n"               // 2: no is
        + "random words here\n"                                                 // 3: not dnsmasq
        + "Dec  1 12:58:33 sshd[99]: Accepted publickey\n"                      // 4: another program
        + "Dec  1 12:58:33 dnsmasq[1]: query[A] " + "e".repeat(254) + " from 10.0.0.1\n" // 5
        + "Dec  1 12:58:33 dnsmasq[1]: query[A] ok.example from 10.0.0.1\n";
    Logs.Read read = Logs.read(log, LogFormat.DNSMASQ);
    assertEquals(List.of("ok.example"), Logs.queries(read));
    assertEquals(2, read.counts().malformed());
    assertEquals(1, read.counts().overLimit());
  }

  private static DnsRecord rec(String name, String type, String rcode, String... answers) {
    return new DnsRecord(0, "127.0.0.1", name, type, rcode, List.of(answers));
  }

  /** The records without their times (checked elsewhere) and with one client, for comparison. */
  private static List<DnsRecord> strip(List<DnsRecord> records) {
    return records.stream()
        .map(r -> new DnsRecord(0, "127.0.0.1", r.query(), r.qtype(), r.rcode(), r.answers())).toList();
  }
}
