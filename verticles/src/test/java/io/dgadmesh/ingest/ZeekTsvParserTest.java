package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ZeekTsvParserTest {

  /**
   * The header and two data lines of a real dns.log: zeek/zeek,
   * testing/btest/Baseline/opt.basic/dns.log (btest masks ts as X's; a time of that capture is put back).
   */
  static final String HEADER = """
      #separator \\x09
      #set_separator\t,
      #empty_field\t(empty)
      #unset_field\t-
      #path\tdns
      #open\t2026-12-01-12-00-00
      #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected
      #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool
      """;
  static final String UPLOAD = "1300475168.853899\tCUM0KZ3MLUfNB0cl11\t141.142.220.118\t43927\t141.142.2.2\t53\tudp"
      + "\t39867\t0.000228\tupload.wikimedia.org\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0"
      + "\tupload.pmtpa.wikimedia.org,208.80.152.3\t86400.000000,3600.000000\tF\n";
  static final String SEARCH_DOMAIN = "1300475168.854837\tC6pKV8GSxOnSLghOa\t141.142.220.118\t40526\t141.142.2.2\t53"
      + "\tudp\t25662\t0.000225\tupload.wikimedia.org.ncsa.uiuc.edu\t1\tC_INTERNET\t28\tAAAA\t3\tNXDOMAIN\tF\tF"
      + "\tT\tF\t0\t-\t-\tF\n";

  @Test
  void readsRealLinesWithTimeClientRcodeAndAnswers() throws Exception {
    Logs.Read read = Logs.read(HEADER + UPLOAD + SEARCH_DOMAIN + "#close\t2026-12-01-12-00-01\n", LogFormat.ZEEK);
    assertEquals(2, read.records().size());
    DnsRecord upload = read.records().get(0);
    assertEquals(1300475168853L, upload.timeMillis());
    assertEquals("141.142.220.118", upload.client());
    assertEquals("upload.wikimedia.org", upload.query());
    assertEquals("A", upload.qtype());
    assertEquals("NOERROR", upload.rcode());
    assertEquals(List.of("upload.pmtpa.wikimedia.org", "208.80.152.3"), upload.answers());
    DnsRecord nx = read.records().get(1);
    assertTrue(nx.nxdomain());
    assertEquals(List.of(), nx.answers());
    assertEquals(2, read.counts().accepted());
    assertEquals(9, read.counts().skipped());
  }

  @Test
  void columnsAreFoundByTheirNamesInFields() throws Exception {
    String log = "#separator \\x09\n#fields\tanswers\tquery\trcode_name\tqtype_name\tid.orig_h\tts\n"
        + "1.2.3.4\texample.com\tNOERROR\tA\t10.0.0.7\t1700000000\n";
    DnsRecord r = Logs.read(log, LogFormat.ZEEK).only();
    assertEquals(new DnsRecord(1700000000000L, "10.0.0.7", "example.com", "A", "NOERROR", List.of("1.2.3.4")), r);
  }

  @Test
  void unsetAndEmptyValuesAreAbsentValues() throws Exception {
    String log = "#separator \\x09\n#fields\tts\tid.orig_h\tquery\tqtype_name\trcode_name\tanswers\n"
        + "-\t-\tno-answer.example\t-\t-\t(empty)\n"
        + "1.5\t10.0.0.1\t-\tA\tNOERROR\t-\n";
    Logs.Read read = Logs.read(log, LogFormat.ZEEK);
    DnsRecord r = read.only();
    assertEquals(DnsRecord.UNKNOWN_TIME, r.timeMillis());
    assertEquals("", r.client());
    assertEquals("", r.qtype());
    assertEquals("", r.rcode());
    assertEquals(List.of(), r.answers());
    assertEquals(1, read.counts().skipped() - 2, "the line without a query is skipped, not malformed");
  }

  @Test
  void numericColumnsStandInForMissingNames() throws Exception {
    String log = "#separator \\x09\n#fields\tts\tquery\tqtype\trcode\n1.0\tx.example\t28\t3\n";
    DnsRecord r = Logs.read(log, LogFormat.ZEEK).only();
    assertEquals("AAAA", r.qtype());
    assertEquals("NXDOMAIN", r.rcode());
  }

  @Test
  void realDnsNamesPassThroughAndTheTrailingDotGoes() throws Exception {
    String log = "#separator \\x09\n#fields\tts\tquery\n"
        + "1.0\t_ldap._tcp.dc._msdcs.corp.example\n"
        + "1.0\tsel._domainkey.example.com.\n"
        + "1.0\t4.3.2.1.in-addr.arpa\n"
        + "1.0\tb.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa\n"
        + "1.0\twpad\n";
    assertEquals(List.of("_ldap._tcp.dc._msdcs.corp.example", "sel._domainkey.example.com", "4.3.2.1.in-addr.arpa",
        "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa", "wpad"),
        Logs.queries(Logs.read(log, LogFormat.ZEEK)));
  }

  @Test
  void brokenLinesAreCountedWithTheirNumbersAndTheRestIsRead() throws Exception {
    String log = "1.0\tbefore.header\n"                      // 1: before #fields
        + "#separator \\x09\n#fields\tts\tid.orig_h\tquery\n" // 2, 3
        + "1.0\t10.0.0.1\n"                                   // 4: a field short
        + "XXXXXXXXXX.XXXXXX\t10.0.0.1\tmasked.example\n"     // 5: ts not a number
        + "1.0\t10.0.0.1\t" + "a".repeat(254) + "\n"          // 6: name over 253 bytes
        + "1.0\t10.0.0.1\tgood.example\n"                     // 7
        + "1.0\t10.0.0.1\tlast.example";                      // 8: no final newline
    Logs.Read read = Logs.read(log, LogFormat.ZEEK);
    assertEquals(List.of("good.example", "last.example"), Logs.queries(read));
    assertEquals(3, read.counts().malformed());
    assertEquals(1, read.counts().overLimit());
    assertEquals(List.of(1L, 4L, 5L, 6L), read.counts().problems().stream().map(ParseCounts.Problem::line).toList());
  }

  @Test
  void aLineOverTheLimitIsSkippedAndCounted() throws Exception {
    String log = HEADER + "1.0\t" + "x".repeat(70 * 1024) + "\n" + UPLOAD;
    Logs.Read read = Logs.read(log, LogFormat.ZEEK);
    assertEquals(List.of("upload.wikimedia.org"), Logs.queries(read));
    assertEquals(1, read.counts().overLimit());
    assertEquals(9, read.counts().problems().get(0).line());
  }

  @Test
  void aHeaderWithoutQueryMakesEveryLineMalformed() throws Exception {
    String log = "#separator \\x09\n#fields\tts\tuid\tid.orig_h\n1.0\tC1\t10.0.0.1\n";
    Logs.Read read = Logs.read(log, LogFormat.ZEEK);
    assertEquals(0, read.records().size());
    assertTrue(read.counts().problems().get(0).reason().contains("no query column"));
  }

  @Test
  void gzipIsReadByItsMagicNotItsName() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write((HEADER + UPLOAD).getBytes(StandardCharsets.UTF_8));
    }
    Logs.Read read = Logs.read(bytes.toByteArray(), null);
    assertEquals(List.of("upload.wikimedia.org"), Logs.queries(read));
  }
}
