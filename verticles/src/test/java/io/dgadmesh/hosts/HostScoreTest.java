package io.dgadmesh.hosts;

import static io.dgadmesh.hosts.Fixtures.T0;
import static io.dgadmesh.hosts.Fixtures.entry;
import static io.dgadmesh.hosts.Fixtures.popularity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.hosts.DomainEvidence.Answer;
import io.dgadmesh.hosts.HostScore.Muted;
import io.dgadmesh.hosts.HostScore.Spread;
import io.dgadmesh.ingest.DnsRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host score as its javadoc states it, on fixed entries and a fixed popularity. */
class HostScoreTest {

  private final HostScore score = new HostScore(HostScore.DEFAULTS);
  private final HostScore.Params p = HostScore.DEFAULTS;

  private static List<DomainEvidence> spaced(int n, float s, Answer a, long gapMillis) {
    List<DomainEvidence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(entry("qx" + i + "zvkw.com", s, a, T0 + i * gapMillis));
    }
    return out;
  }

  @Test
  void theShippedConfigurationsThresholdIsTheScoresOwn() {
    // conf/config.json's hosts.threshold is what nodes and dgad hosts use; the score's constants were chosen with it.
    assertEquals(HostScore.DEFAULTS.threshold(),
        NodeConfig.settings(NodeConfig.load(null, Map.of())).hosts().threshold());
  }

  @Test
  void oneEntryWeighsAsTheFormulaSays() {
    DomainEvidence e = entry("xkqwzj.com", 0.97f, Answer.NXDOMAIN, T0);
    double name = Math.log((1 - p.unseenShare()) * Math.exp(NameEvidence.tableLlr(0.97f)) + p.unseenShare());
    double llr = name + p.nxdomain() + p.unique();
    HostScore.Result r = score.evaluate(List.of(e), Map.of(), popularity(Map.of()));
    assertEquals(llr, r.weighed().get(0).llr(), 1e-9);
    assertEquals(Math.min(p.cap(), llr - p.offset()), r.score(), 1e-9);
  }

  @Test
  void aBenignLookingNameNeverCountsAsProofOfInnocence() {
    // The unseen-family share floors the name's evidence at ln(u).
    assertEquals(Math.log(p.unseenShare()), NameEvidence.llr(0.0001f, p.unseenShare()), 0.01);
    assertTrue(NameEvidence.tableLlr(0.0001f) < Math.log(p.unseenShare()) - 3);
    assertEquals(0, NameEvidence.llr(Float.NaN, p.unseenShare()));
  }

  @Test
  void spreadAndAnswerMoveTheWeight() {
    DomainEvidence e = entry("xkqwzj.com", 0.5f, Answer.NXDOMAIN, T0);
    double unique = score.llr(e, Spread.UNIQUE, false);
    assertEquals(unique - p.unique() + p.rare(), score.llr(e, Spread.RARE, false), 1e-9);
    assertEquals(unique - p.unique() + p.common(), score.llr(e, Spread.COMMON, false), 1e-9);
    assertEquals(unique - p.unique(), score.llr(e, Spread.UNKNOWN, false), 1e-9);
    DomainEvidence resolved = entry("xkqwzj.com", 0.5f, Answer.RESOLVED, T0);
    assertEquals(unique - p.nxdomain() + p.resolved(), score.llr(resolved, Spread.UNIQUE, false), 1e-9);
    assertEquals(Spread.COMMON, score.spread(p.commonHosts()));
    assertEquals(Spread.RARE, score.spread(2));
    assertEquals(Spread.UNIQUE, score.spread(1));
    assertEquals(Spread.UNKNOWN, score.spread(Popularity.UNKNOWN));
  }

  @Test
  void evidenceSumsOverDomainsAndCrossesTheThreshold() {
    int enough = (int) Math.ceil(p.threshold() / p.cap());
    List<DomainEvidence> few = spaced(enough - 1, 0.999f, Answer.NXDOMAIN, 600_000);
    List<DomainEvidence> many = spaced(enough, 0.999f, Answer.NXDOMAIN, 600_000);
    HostScore.Result a = score.evaluate(few, Map.of(), popularity(Map.of()));
    HostScore.Result b = score.evaluate(many, Map.of(), popularity(Map.of()));
    assertEquals((enough - 1) * p.cap(), a.score(), 1e-9); // each strong name is capped
    assertFalse(a.infected());
    assertEquals(enough * p.cap(), b.score(), 1e-9);
    assertTrue(b.infected());
  }

  @Test
  void onlyOneWindowCounts() {
    // Ten strong names, but one every 20 minutes: a 60-minute window holds three.
    HostScore.Result r = score.evaluate(spaced(10, 0.999f, Answer.NXDOMAIN, 20 * 60_000L), Map.of(),
        popularity(Map.of()));
    assertEquals(3 * p.cap(), r.score(), 1e-9);
    assertEquals(T0, r.windowStartMillis());
    HostScore wide = new HostScore(p.withWindowMillis(4 * 3_600_000L));
    assertEquals(10 * p.cap(), wide.evaluate(spaced(10, 0.999f, Answer.NXDOMAIN, 20 * 60_000L), Map.of(),
        popularity(Map.of())).score(), 1e-9);
  }

  @Test
  void entriesWithoutTimeCountInEveryWindow() {
    List<DomainEvidence> entries = new ArrayList<>(spaced(2, 0.999f, Answer.NXDOMAIN, 3_600_000L * 3));
    entries.add(entry("untimed-xkqz.com", 0.999f, Answer.NXDOMAIN, DnsRecord.UNKNOWN_TIME));
    assertEquals(2 * p.cap(), score.evaluate(entries, Map.of(), popularity(Map.of())).score(), 1e-9);
  }

  @Test
  void aBurstOfNxdomainsWeighsMoreThanTheSameNamesSpreadOut() {
    // Names the model finds benign: only the DNS context speaks.
    HostScore.Result burst = score.evaluate(spaced(6, 0.01f, Answer.NXDOMAIN, 1_000), Map.of(), popularity(Map.of()));
    HostScore.Result spread = score.evaluate(spaced(6, 0.01f, Answer.NXDOMAIN, 5 * 60_000L), Map.of(),
        popularity(Map.of()));
    assertTrue(burst.weighed().stream().allMatch(HostScore.Weighed::burst));
    assertTrue(spread.weighed().stream().noneMatch(HostScore.Weighed::burst));
    assertTrue(burst.score() > spread.score(), burst.score() + " > " + spread.score());
    // Fewer than burstUnits in the burst window: no burst.
    HostScore.Result two = score.evaluate(spaced(p.burstUnits() - 1, 0.01f, Answer.NXDOMAIN, 1_000), Map.of(),
        popularity(Map.of()));
    assertTrue(two.weighed().stream().noneMatch(HostScore.Weighed::burst));
  }

  @Test
  void domainsManyHostsQueryWeighLess() {
    List<DomainEvidence> e = spaced(4, 0.9f, Answer.NXDOMAIN, 60_000);
    Map<String, Integer> everyone = Map.of("qx0zvkw.com", 50, "qx1zvkw.com", 50, "qx2zvkw.com", 50, "qx3zvkw.com", 50);
    double alone = score.evaluate(e, Map.of(), popularity(Map.of())).score();
    double shared = score.evaluate(e, Map.of(), popularity(everyone)).score();
    assertTrue(shared < alone, shared + " < " + alone);
  }

  @Test
  void aTypoOfACommonDomainWeighsNothing() {
    Popularity pop = popularity(Map.of("google.com", 40, "wikipedia.org", 40));
    for (String typo : List.of("gooogle.com", "gogle.com", "goolge.com", "goofle.com", "wikipedai.org")) {
      HostScore.Result r = score.evaluate(List.of(entry(typo, 0.3f, Answer.NXDOMAIN, T0)), Map.of(), pop);
      assertEquals(Muted.TYPO, r.weighed().get(0).muted(), typo);
      assertEquals(0, r.score(), typo);
    }
    // Two edits away is not a typo of it.
    HostScore.Result far = score.evaluate(List.of(entry("gxxgle.com", 0.3f, Answer.NXDOMAIN, T0)), Map.of(), pop);
    assertEquals(Muted.NO, far.weighed().get(0).muted());
    assertTrue(far.score() > 0);
  }

  @Test
  void staleNamesUnderAProviderInUseWeighNothing() {
    List<DomainEvidence> stale = List.of(
        new DomainEvidence("dq1w2e3r4t5y.cloudfront.net", "cloudfront.net", "dq1w2e3r4t5y.cloudfront.net", 0.99f,
            null, Answer.NXDOMAIN, T0, 1),
        new DomainEvidence("dz9x8c7v6b5n.cloudfront.net", "cloudfront.net", "dz9x8c7v6b5n.cloudfront.net", 0.99f,
            null, Answer.NXDOMAIN, T0 + 1_000, 1));
    HostScore.Result inUse = score.evaluate(stale, Map.of("cloudfront.net", 300L), popularity(Map.of()));
    assertEquals(0, inUse.score());
    assertTrue(inUse.weighed().stream().allMatch(w -> w.muted() == Muted.PROVIDER_IN_USE));
    // A provider whose names mostly fail for this host (a DGA on dynamic DNS) counts name by name.
    HostScore.Result notInUse = score.evaluate(stale, Map.of("cloudfront.net", 1L), popularity(Map.of()));
    assertEquals(2 * p.cap(), notInUse.score(), 1e-9);
  }

  @Test
  void sameInputSameScore() {
    List<DomainEvidence> e = spaced(7, 0.8f, Answer.NXDOMAIN, 2_000);
    Popularity pop = popularity(Map.of("qx3zvkw.com", 2));
    HostScore.Result a = score.evaluate(e, Map.of(), pop);
    List<DomainEvidence> reversed = new ArrayList<>(e);
    java.util.Collections.reverse(reversed);
    HostScore.Result b = score.evaluate(reversed, Map.of(), pop);
    assertEquals(a.score(), b.score(), 1e-9);
    assertEquals(a.weighed(), b.weighed());
  }
}
