package io.dgadmesh.hosts;

import static io.dgadmesh.hosts.Fixtures.T0;
import static io.dgadmesh.hosts.Fixtures.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.ingest.DnsRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One host's state: what it counts, what it keeps, and that it stays bounded and storable. */
class HostEvidenceTest {

  private final HostScore scorer = new HostScore(HostScore.DEFAULTS);

  private HostEvidence host(NameJudge judge, List<DnsRecord> records) {
    HostEvidence h = new HostEvidence("10.0.0.7", scorer);
    List<NameVerdict> v = judge.judge(records.stream().map(DnsRecord::query).toList());
    for (int i = 0; i < records.size(); i++) {
      h.add(records.get(i), v.get(i));
    }
    return h;
  }

  @Test
  void countsWhatTheIssueLists() {
    NameJudge judge = Fixtures.judge(Fixtures.model(Map.of("xkqwzjvbnm.com", 0.99f), 0.01f));
    HostEvidence h = host(judge, List.of(
        query(T0 + 5_000, "10.0.0.7", "www.example.com", "NOERROR"),
        query(T0, "10.0.0.7", "mail.example.com", "NOERROR"),
        query(T0 + 1_000, "10.0.0.7", "www.example.com", "NOERROR"),
        query(T0 + 2_000, "10.0.0.7", "xkqwzjvbnm.com", "NXDOMAIN"),
        query(T0 + 3_000, "10.0.0.7", "xkqwzjvbnm.com", "NXDOMAIN"),
        query(T0 + 9_000, "10.0.0.7", "qwhdkeiruty", "NXDOMAIN"),
        query(DnsRecord.UNKNOWN_TIME, "10.0.0.7", "4.3.2.1.in-addr.arpa", "NXDOMAIN")));
    HostState s = h.toState();
    HostReport r = HostReport.of(s, h.score(unit -> 1));
    assertEquals(7, r.queries());
    assertEquals(5, r.names());
    assertEquals(2, r.registrableDomains()); // example.com, xkqwzjvbnm.com
    assertEquals(1, r.dgaNames());
    assertEquals(4, r.nxdomain());
    assertEquals(1, r.nxdomainRegistrableDomains());
    assertEquals(Map.of("fake", 1), r.families());
    assertEquals(T0, r.firstSeenMillis());
    assertEquals(T0 + 9_000, r.lastSeenMillis());
    assertEquals(Map.of("single_label", 1L, "arpa", 1L), s.context());
    assertEquals(1, s.evidence().size());
    DomainEvidence e = s.evidence().get(0);
    assertEquals("xkqwzjvbnm.com", e.unit());
    assertEquals(T0 + 2_000, e.timeMillis());
    assertEquals(2, e.queries());
    assertEquals(DomainEvidence.Answer.NXDOMAIN, e.answer());
    assertEquals("xkqwzjvbnm.com", r.evidence().get(0).name());
    assertEquals("NXDOMAIN", r.evidence().get(0).rcode());
  }

  @Test
  void aDomainThatResolvesOnceIsRegistered() {
    NameJudge judge = Fixtures.judge(Fixtures.model(0.99f));
    HostEvidence h = host(judge, List.of(
        query(T0, "10.0.0.7", "a.xkqwzjvbnm.com", "NXDOMAIN"),
        query(T0 + 1, "10.0.0.7", "www.xkqwzjvbnm.com", "NOERROR"),
        query(T0 + 2, "10.0.0.7", "b.xkqwzjvbnm.com", "NXDOMAIN")));
    List<DomainEvidence> e = h.toState().evidence();
    assertEquals(1, e.size());
    assertEquals(DomainEvidence.Answer.RESOLVED, e.get(0).answer());
    assertEquals(3, e.get(0).queries());
  }

  @Test
  void keepsOnlyEntriesThatCouldWeigh() {
    // A benign-looking name that resolves can never weigh: not kept, whatever the traffic.
    NameJudge judge = Fixtures.judge(Fixtures.model(0.01f));
    HostEvidence h = host(judge, List.of(query(T0, "10.0.0.7", "example.com", "NOERROR")));
    assertTrue(h.toState().evidence().isEmpty());
  }

  @Test
  void evidenceIsBoundedAndTheWeakestGiveWay() {
    NameJudge judge = Fixtures.judge(Fixtures.model(n -> n.startsWith("strong") ? 0.999f : 0.5f));
    HostEvidence h = new HostEvidence("10.0.0.7", scorer);
    int weak = HostEvidence.MAX_EVIDENCE;
    for (int i = 0; i < weak; i++) {
      String n = "weak" + i + "x.com";
      h.add(query(T0 + i, "10.0.0.7", n, "NXDOMAIN"), judge.judge(n));
    }
    for (int i = 0; i < 10; i++) {
      String n = "strong" + i + "x.com";
      h.add(query(T0 + 1_000 + i, "10.0.0.7", n, "NXDOMAIN"), judge.judge(n));
    }
    HostState s = h.toState();
    assertEquals(HostEvidence.MAX_EVIDENCE, s.evidence().size());
    Set<String> kept = s.evidence().stream().map(DomainEvidence::unit).collect(Collectors.toSet());
    for (int i = 0; i < 10; i++) {
      assertTrue(kept.contains("strong" + i + "x.com"));
      assertFalse(kept.contains("weak" + i + "x.com"), "the oldest weak entries went first");
    }
    assertEquals(10, s.evidenceDropped());
    // A newcomer weaker than everything kept is dropped, not kept.
    String weaker = "weakest.com";
    h.add(query(T0 + 5_000, "10.0.0.7", weaker, "NOERROR"), Fixtures.judge(Fixtures.model(0.96f)).judge(weaker));
    assertFalse(h.evidence().stream().anyMatch(e -> e.unit().equals(weaker)));
    assertEquals(11, h.toState().evidenceDropped());
  }

  @Test
  void distinctCountsStayBoundedOnAHugeHost() {
    NameJudge judge = Fixtures.judge(Fixtures.model(0.999f));
    HostEvidence h = new HostEvidence("10.0.0.7", scorer);
    int n = 5_000;
    for (int i = 0; i < n; i++) {
      String name = "host" + i + ".dga" + i + ".com";
      h.add(query(T0 + i, "10.0.0.7", name, "NXDOMAIN"), judge.judge(name));
    }
    HostState s = h.toState();
    assertTrue(s.names().saturated());
    assertTrue(s.names().hashes().length <= HostEvidence.SKETCH_CAPACITY);
    HostReport r = HostReport.of(s, h.score(unit -> 1));
    assertEquals(n, r.names(), n * 0.36);
    assertEquals(n, r.dgaNames(), n * 0.36);
    // Families count while the DGA-name counter is exact, then stop.
    assertEquals(Map.of("fake", HostEvidence.SKETCH_CAPACITY), r.families());
    assertTrue(s.evidence().size() <= HostEvidence.MAX_EVIDENCE);
  }

  @Test
  void stateSurvivesStorage() {
    NameJudge judge = Fixtures.judge(Fixtures.model(n -> n.contains("dga") ? 0.99f : 0.02f));
    HostEvidence h = host(judge, List.of(
        query(T0, "10.0.0.7", "www.example.com", "NOERROR"),
        query(T0 + 1, "10.0.0.7", "a-dga-name.com", "NXDOMAIN"),
        query(T0 + 2, "10.0.0.7", "d123.cloudfront.net", "NOERROR"),
        query(T0 + 3, "10.0.0.7", "qwhdkeiruty", "NXDOMAIN"),
        query(T0 + 4, "10.0.0.7", "other-dga.net", "")));
    HostState s = h.toState();
    HostState back = HostEvidence.fromState(s, scorer).toState();
    assertEquals(sorted(s), sorted(back));
    HostState json = HostStateJson.read(HostStateJson.write(s));
    assertEquals(sorted(s), sorted(json));
    assertEquals(Map.of("cloudfront.net", 1L), json.providers());
    assertEquals(h.score(unit -> 1).score(), scorer.evaluate(json, unit -> 1).score(), 1e-9);
  }

  @Test
  void storedStateThatIsNotOneIsRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> HostStateJson.read("[]"));
    assertThrows(IllegalArgumentException.class, () -> HostStateJson.read("{\"host\": 5}"));
    assertThrows(IllegalArgumentException.class, () -> HostStateJson.read("{\"host\": \"h\"}"));
    assertThrows(IllegalArgumentException.class, () -> HostStateJson.read("{\"host\": \"h\", \"evidence\": [[1]]}"));
    assertThrows(IllegalArgumentException.class, () -> HostStateJson.read("{not json"));
  }

  @Test
  void theLivePathCanSlideItsWindow() {
    NameJudge judge = Fixtures.judge(Fixtures.model(0.99f));
    HostEvidence h = host(judge, List.of(
        query(T0, "10.0.0.7", "old-dga.com", "NXDOMAIN"),
        query(T0 + 3_600_000L, "10.0.0.7", "new-dga.com", "NXDOMAIN")));
    h.dropEvidenceBefore(T0 + 1_800_000L);
    assertEquals(List.of("new-dga.com"), h.evidence().stream().map(DomainEvidence::unit).toList());
  }

  /** The same state with its evidence in a fixed order (a host keeps it in a hash map). */
  private static HostState sorted(HostState s) {
    List<DomainEvidence> e = s.evidence().stream()
        .sorted(java.util.Comparator.comparing(DomainEvidence::unit)).toList();
    return new HostState(s.host(), s.queries(), s.nxdomain(), s.firstSeenMillis(), s.lastSeenMillis(), s.names(),
        s.registrableDomains(), s.dgaNames(), s.nxdomainRegistrableDomains(), s.families(), s.context(), s.providers(),
        e, s.evidenceDropped());
  }
}
