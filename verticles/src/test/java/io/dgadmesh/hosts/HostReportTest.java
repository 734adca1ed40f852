package io.dgadmesh.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dgadmesh.ingest.DnsRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostReportTest {

  private static HostReport report(String host, int evidence) {
    List<HostReport.Evidence> e = new ArrayList<>();
    for (int i = 0; i < evidence; i++) {
      e.add(new HostReport.Evidence("x" + i + ".com", 0.99f, i == 0 ? null : "necurs", i % 2 == 0 ? "NXDOMAIN" : "", 5));
    }
    Map<String, Integer> families = new LinkedHashMap<>();
    families.put("necurs", 3);
    families.put("locky", 1);
    return new HostReport(host, true, 42.123, 100, 50, 40, 4, 12, 9, families, 1_800_000_000_000L,
        DnsRecord.UNKNOWN_TIME, e);
  }

  /** The top-level field names of a JSON object, in order. */
  private static List<String> fields(String json) throws Exception {
    List<String> out = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken());
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        out.add(p.currentName());
        p.nextToken();
        p.skipChildren();
      }
      assertEquals(null, p.nextToken());
    }
    return out;
  }

  @Test
  void jsonLineHasTheIssuesFields() throws Exception {
    String json = report("10.0.0.1", 2).toJsonLine();
    assertEquals(List.of("host", "infected", "score", "queries", "names", "registrable_domains", "dga_names",
        "nxdomain", "nxdomain_registrable_domains", "families", "first_seen", "last_seen", "evidence"), fields(json));
    assertFalse(json.contains("\n"));
    assertTrue(json.contains("\"score\":42.12"), json);
    assertTrue(json.contains("\"families\":{\"necurs\":3,\"locky\":1}"), json);
    assertTrue(json.contains("\"first_seen\":\"2027-01-15T08:00:00Z\""), json);
    assertTrue(json.contains("\"last_seen\":null"), json);
    assertTrue(json.contains("{\"name\":\"x0.com\",\"score\":0.99,\"family\":null,\"rcode\":\"NXDOMAIN\",\"weight\":5.0}"),
        json);
  }

  @Test
  void hostileHostFieldsStayOneFieldOnOneLine() {
    HostReport r = report("=cmd|' /C calc'!A0,\n\t", 1);
    String csv = r.toCsvLine();
    assertTrue(csv.startsWith("\"'=cmd|' /C calc'!A0,\n\t\","), csv);
    String txt = r.toTxtLine();
    assertFalse(txt.contains("\n"));
    assertTrue(txt.startsWith("=cmd|' /C calc'!A0,\\x0a\\x09\tINFECTED"), txt);
    assertTrue(r.toJsonLine().contains("\"host\":\"=cmd|' /C calc'!A0,\\n\\t\""));
  }

  @Test
  void csvHasAColumnPerHeaderField() {
    String csv = report("10.0.0.1", 3).toCsvLine();
    assertEquals(HostReport.CSV_HEADER.split(",").length, csv.split(",", -1).length, csv);
    assertTrue(csv.contains("necurs:3;locky:1"), csv);
    assertTrue(csv.endsWith(",\"x0.com 0.9900 - NXDOMAIN;x1.com 0.9900 necurs -;x2.com 0.9900 necurs NXDOMAIN\"")
        || csv.endsWith(",x0.com 0.9900 - NXDOMAIN;x1.com 0.9900 necurs -;x2.com 0.9900 necurs NXDOMAIN"), csv);
  }

  @Test
  void evidenceShowsAtMostTenWeighingNames() {
    HostScore scorer = new HostScore(HostScore.DEFAULTS);
    HostEvidence h = new HostEvidence("10.0.0.1", scorer);
    NameJudge judge = Fixtures.judge(Fixtures.model(0.999f));
    for (int i = 0; i < 30; i++) {
      String n = "dga" + i + "xq.com";
      h.add(Fixtures.query(Fixtures.T0 + i, "10.0.0.1", n, "NXDOMAIN"), judge.judge(n));
    }
    HostReport r = HostReport.of(h.toState(), h.score(u -> 1));
    assertEquals(HostReport.MAX_EVIDENCE, r.evidence().size());
    assertTrue(r.evidence().stream().allMatch(e -> e.weight() > 0 && e.rcode().equals("NXDOMAIN")));
  }
}
