package io.dgadmesh.hosts;

import static io.dgadmesh.hosts.Fixtures.T0;
import static io.dgadmesh.hosts.Fixtures.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.ingest.DnsRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostTableTest {

  private final NameJudge judge = Fixtures.judge(Fixtures.model(n -> n.startsWith("www.") ? 0.01f : 0.6f));

  @Test
  void ranksHostsAndJudgesPopularityOverAllOfThem() {
    HostTable table = new HostTable(new HostScore(HostScore.DEFAULTS));
    List<DnsRecord> rs = new ArrayList<>();
    // Twelve NXDOMAIN names of middling score: queried by one host they weigh; by ten, not.
    for (int i = 0; i < 12; i++) {
      String n = "shared" + i + "qz.com";
      for (int h = 0; h < 10; h++) {
        rs.add(query(T0 + i * 2_000L, "10.0.1." + h, n, "NXDOMAIN"));
      }
      rs.add(query(T0 + i * 2_000L, "10.0.0.99", "lonely" + i + "qz.com", "NXDOMAIN"));
    }
    rs.add(query(T0, "10.0.0.50", "www.example.com", "NOERROR"));
    Fixtures.feed(table, judge, rs);
    List<HostReport> ranked = table.ranked();
    assertEquals(12, ranked.size());
    assertEquals("10.0.0.99", ranked.get(0).host());
    assertTrue(ranked.get(0).infected(), ranked.get(0).toJsonLine());
    for (HostReport r : ranked.subList(1, ranked.size())) {
      assertFalse(r.infected(), r.toJsonLine());
      assertTrue(r.score() <= ranked.get(0).score());
    }
    assertEquals(rs.size(), table.records());
  }

  @Test
  void hostsPastTheBoundAreCountedNotKept() {
    HostTable table = new HostTable(new HostScore(HostScore.DEFAULTS), 3, 1_000);
    List<DnsRecord> rs = new ArrayList<>();
    for (int h = 0; h < 10; h++) {
      rs.add(query(T0, "10.0.0." + h, "www.example.com", "NOERROR"));
      rs.add(query(T0, "10.0.0." + h, "www.example.org", "NOERROR"));
    }
    Fixtures.feed(table, judge, rs);
    assertEquals(3, table.hosts());
    assertEquals(3, table.ranked().size());
    assertEquals(14, table.overflowRecords());
    assertEquals(7, table.overflowHosts());
  }
}
