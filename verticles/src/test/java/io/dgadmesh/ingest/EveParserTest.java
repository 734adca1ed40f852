package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EveParserTest {

  // Version 2 lines from a production sensor's eve.json (Suricata 7), as quoted in a public test suite.
  static final String V2_QUERY = "{\"timestamp\":\"2026-09-24T21:15:51.133027+0000\",\"flow_id\":2250822248552362,"
      + "\"in_iface\":\"ens37\",\"event_type\":\"dns\",\"vlan\":[10],\"src_ip\":\"10.10.20.56\",\"src_port\":49670,"
      + "\"dest_ip\":\"10.10.10.20\",\"dest_port\":53,\"proto\":\"TCP\",\"pkt_src\":\"wire/pcap\",\"dns\":{\"type\":\"query\","
      + "\"id\":37962,\"rrname\":\"www.bing.com\",\"rrtype\":\"A\",\"tx_id\":0,\"opcode\":0}}";
  static final String V2_NXDOMAIN = "{\"timestamp\":\"2026-09-24T20:30:12.337551+0000\",\"flow_id\":1167185319803227,"
      + "\"in_iface\":\"ens37\",\"event_type\":\"dns\",\"vlan\":[10],\"src_ip\":\"10.10.10.20\",\"src_port\":46804,"
      + "\"dest_ip\":\"10.10.10.1\",\"dest_port\":53,\"proto\":\"UDP\",\"pkt_src\":\"wire/pcap\",\"dns\":{\"version\":2,"
      + "\"type\":\"answer\",\"id\":13846,\"flags\":\"8183\",\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,"
      + "\"rrname\":\"intranet.francos-sac.com\",\"rrtype\":\"A\",\"rcode\":\"NXDOMAIN\",\"authorities\":[{\"rrname\":\"com\","
      + "\"rrtype\":\"SOA\",\"ttl\":631,\"soa\":{\"mname\":\"a.gtld-servers.net\",\"rname\":\"nstld.verisign-grs.com\","
      + "\"serial\":1790281529,\"refresh\":1800,\"retry\":900,\"expire\":604800,\"minimum\":900}}]}}";
  // A version 1 answer event (one per answer record): DCSO/fever, util/util_test.go.
  static final String V1_ANSWER = "{\"timestamp\":\"2017-03-06T06:54:06.047429+0000\",\"flow_id\":4711,"
      + "\"in_iface\":\"enp2s0f1\",\"event_type\":\"dns\",\"vlan\":61,\"src_ip\":\"10.0.0.10\",\"src_port\":53,"
      + "\"dest_ip\":\"10.0.0.11\",\"dest_port\":51323,\"proto\":\"UDP\",\"dns\":{\"type\":\"answer\",\"id\":1,"
      + "\"rcode\":\"NOERROR\",\"rrname\":\"test.test.local\",\"rrtype\":\"A\",\"ttl\":2365,\"rdata\":\"10.0.0.12\"}}";
  // Version 3 (Suricata 8): the request and response of OISF/suricata-verify tests/dns/dns-udp-eve-dig
  // (fields as its test.yaml checks them; layout as OISF/suricata doc/userguide/upgrade/8.0-dns-logging-changes.rst).
  static final String V3_REQUEST = "{\"timestamp\":\"2026-06-01T10:00:00.000001+0000\",\"flow_id\":77,"
      + "\"event_type\":\"dns\",\"src_ip\":\"10.16.1.11\",\"src_port\":41805,\"dest_ip\":\"10.16.1.1\",\"dest_port\":53,"
      + "\"proto\":\"UDP\",\"dns\":{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":36146,\"flags\":\"100\","
      + "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":\"www.suricata-ids.org\",\"rrtype\":\"A\"}]}}";
  static final String V3_RESPONSE = "{\"timestamp\":\"2026-06-01T10:00:00.020000+0000\",\"flow_id\":77,"
      + "\"event_type\":\"dns\",\"src_ip\":\"10.16.1.1\",\"src_port\":53,\"dest_ip\":\"10.16.1.11\",\"dest_port\":41805,"
      + "\"proto\":\"UDP\",\"dns\":{\"version\":3,\"type\":\"response\",\"tx_id\":1,\"id\":36146,\"flags\":\"81a0\","
      + "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":\"www.suricata-ids.org\","
      + "\"rrtype\":\"A\"}],\"answers\":[{\"rrname\":\"www.suricata-ids.org\",\"rrtype\":\"CNAME\",\"ttl\":3544,"
      + "\"rdata\":\"suricata-ids.org\"},{\"rrname\":\"suricata-ids.org\",\"rrtype\":\"A\",\"ttl\":244,\"rdata\":\"192.0.78.24\"}],"
      + "\"grouped\":{\"A\":[\"192.0.78.24\"],\"CNAME\":[\"suricata-ids.org\"]}}}";

  @Test
  void aRequestAndItsResponseGiveOneRecord() throws Exception {
    DnsRecord r = Logs.read(V3_REQUEST + "\n" + V3_RESPONSE + "\n", LogFormat.EVE).only();
    assertEquals(new DnsRecord(1780308000020L, "10.16.1.11", "www.suricata-ids.org", "A", "NOERROR",
        List.of("suricata-ids.org", "192.0.78.24")), r);
  }

  @Test
  void aVersion2AnswerNamesTheClientAsSourceAndARequestAloneKeepsNoRcode() throws Exception {
    Logs.Read read = Logs.read(V2_NXDOMAIN + "\n" + V2_QUERY + "\n", LogFormat.EVE);
    assertEquals(2, read.records().size());
    DnsRecord nx = read.records().get(0);
    assertEquals("10.10.10.20", nx.client());
    assertTrue(nx.nxdomain());
    DnsRecord unanswered = read.records().get(1);
    assertEquals(new DnsRecord(1790284551133L, "10.10.20.56", "www.bing.com", "A", "", List.of()), unanswered);
  }

  @Test
  void version1AnswerRecordsFillTheirQuery() throws Exception {
    String query = "{\"timestamp\":\"2017-03-06T06:54:06.000000+0000\",\"flow_id\":4711,\"event_type\":\"dns\","
        + "\"src_ip\":\"10.0.0.11\",\"src_port\":51323,\"dest_ip\":\"10.0.0.10\",\"dest_port\":53,"
        + "\"dns\":{\"type\":\"query\",\"id\":1,\"rrname\":\"test.test.local\",\"rrtype\":\"A\",\"tx_id\":0}}";
    String failure = "{\"timestamp\":\"2017-03-06T06:54:07.000000+0000\",\"flow_id\":9,\"event_type\":\"dns\","
        + "\"src_ip\":\"10.0.0.10\",\"src_port\":53,\"dest_ip\":\"10.0.0.11\",\"dest_port\":4000,"
        + "\"dns\":{\"type\":\"answer\",\"id\":2,\"rcode\":\"NXDOMAIN\",\"rrname\":\"gone.example\"}}";
    Logs.Read read = Logs.read(query + "\n" + V1_ANSWER + "\n" + failure + "\n", LogFormat.EVE);
    assertEquals(2, read.records().size());
    assertEquals(new DnsRecord(1488783247000L, "10.0.0.11", "gone.example", "", "NXDOMAIN", List.of()),
        read.records().get(0));
    assertEquals(new DnsRecord(1488783246000L, "10.0.0.11", "test.test.local", "A", "NOERROR", List.of("10.0.0.12")),
        read.records().get(1));
  }

  @Test
  void aResponseWithoutItsRequestStillCounts() throws Exception {
    DnsRecord r = Logs.read(V3_RESPONSE, LogFormat.EVE).only();
    assertEquals("10.16.1.11", r.client(), "Suricata 8 logs a response from the server: the client is dest_ip");
  }

  @Test
  void pendingRequestsAreBoundedAndNoneIsLost() throws Exception {
    EveLogParser parser = new EveLogParser(new PendingQueries<>(2, 30_000, 100_000));
    List<DnsRecord> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      parser.parse(V3_REQUEST.replace("\"id\":36146", "\"id\":" + i), (Consumer<DnsRecord>) out::add);
      assertTrue(out.size() >= i - 1, "older requests leave the bounded map as records");
    }
    assertEquals(3, out.size());
    parser.endOfInput(out::add);
    assertEquals(5, out.size());
  }

  @Test
  void aRequestLeavesTheWindowWhenLogTimeMovesOn() throws Exception {
    String later = V2_QUERY.replace("21:15:51", "21:16:51").replace("\"id\":37962", "\"id\":1");
    EveLogParser parser = new EveLogParser();
    List<DnsRecord> out = new ArrayList<>();
    parser.parse(V2_QUERY, out::add);
    assertEquals(0, out.size());
    parser.parse(later, out::add);
    assertEquals(1, out.size(), "the first request waited more than 30 s of log time");
  }

  @Test
  void theOneLineParserSkipsRequestsUnlessAsked() {
    List<DnsRecord> out = new ArrayList<>();
    LineParser responsesOnly = DnsLogs.lineParser(LogFormat.EVE, IngestOptions.DEFAULTS);
    assertEquals(LineOutcome.SKIPPED, responsesOnly.parse(V3_REQUEST, out::add));
    assertEquals(LineOutcome.ACCEPTED, responsesOnly.parse(V3_RESPONSE, out::add));
    assertEquals(LineOutcome.SKIPPED, responsesOnly.parse(V1_ANSWER, out::add));
    assertEquals(1, out.size());
    LineParser all = DnsLogs.lineParser(LogFormat.EVE, new IngestOptions(64 * 1024, null, true));
    assertEquals(LineOutcome.ACCEPTED, all.parse(V3_REQUEST, out::add));
    assertEquals("", out.get(1).rcode(), "a request's own rcode field is not an answer");
  }

  @Test
  void brokenLinesAreCountedAndOtherEventsSkipped() throws Exception {
    String log = "{\"event_type\":\"flow\",\"src_ip\":\"10.0.0.1\"}\n"                       // 1 skipped
        + "{\"event_type\":\"dns\",\"src_ip\":\"10.0.0.1\"}\n"                                 // 2 no dns object
        + "{\"event_type\":\"dns\",\"dns\":{\"id\":1,\"rrname\":\"x.example\"}}\n"             // 3 no type
        + "{\"timestamp\":\"last tuesday\",\"event_type\":\"dns\",\"dns\":{\"type\":\"query\"}}\n" // 4 bad time
        + "{\"event_type\":\"dns\",\"dns\":{\"type\":\"query\",\"rrname\":\"" + "c".repeat(254) + "\"}}\n" // 5
        + V3_RESPONSE.substring(0, 120) + "\n"                                                  // 6 cut
        + V3_RESPONSE + "\n";
    Logs.Read read = Logs.read(log, LogFormat.EVE);
    assertEquals(List.of("www.suricata-ids.org"), Logs.queries(read));
    assertEquals(4, read.counts().malformed());
    assertEquals(1, read.counts().overLimit());
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L), read.counts().problems().stream().map(ParseCounts.Problem::line).toList());
  }
}
