package io.dgadmesh.bench.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bench.hosts.TrafficGenerator.HostPlan;
import io.dgadmesh.bench.hosts.TrafficGenerator.Trap;
import io.dgadmesh.hosts.DomainEvidence;
import io.dgadmesh.hosts.HostScore;
import io.dgadmesh.ingest.DnsRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator on a small data set this test writes (the shared data is not needed). */
class TrafficGeneratorTest {

  @TempDir
  static Path dir;

  @BeforeAll
  static void writeData() throws IOException {
    StringBuilder benign = new StringBuilder("domain\tsource\trank\tsplit\n");
    for (int i = 0; i < 400; i++) {
      benign.append("site").append(i).append("example.com\talexa2016\t").append(i + 1).append("\ttest\n");
    }
    benign.append("trainonly.com\talexa2016\t1\ttrain\n");
    StringBuilder dga = new StringBuilder("domain\tfamily\tsource\twordlist\tsplit\n");
    for (int i = 0; i < 60; i++) {
      dga.append("qx").append(i).append("kzvw.com\tfamA\tgenerated\tfalse\ttest\n");
      dga.append("wordword").append(i).append(".net\tfamU\tdgarchive\ttrue\tunseen\n");
    }
    for (int i = 0; i < 8; i++) {
      dga.append("small").append(i).append("zz.com\tfamS\tgenerated\tfalse\ttest\n");
    }
    gzip(dir.resolve(SplitData.BENIGN_FILE), benign.toString());
    gzip(dir.resolve(SplitData.DGA_FILE), dga.toString());
  }

  private static void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
         Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
      w.write(text);
    }
  }

  @Test
  void loadsOnlyTheSplitAskedFor() {
    SplitData test = SplitData.load(dir, "test");
    assertEquals(400, test.benignByRank().size());
    assertEquals("site0example.com", test.benignByRank().get(0));
    assertEquals(Set.of("famA", "famS"), test.dgaByFamily().keySet());
    assertEquals(Set.of("famU"), test.unseenByFamily().keySet());
    SplitData train = SplitData.load(dir, "train");
    assertTrue(train.unseenByFamily().isEmpty(), "nothing may be chosen on the unseen families");
    assertThrows(IllegalArgumentException.class, () -> SplitData.load(dir, "unseen"));
  }

  @Test
  void plansEveryCombinationAFamilyHasNamesFor() {
    TrafficGenerator g = new TrafficGenerator(SplitData.load(dir, "test"), 3);
    List<HostPlan> plans = g.plan(100, 32);
    assertEquals(100, plans.stream().filter(p -> !p.infected()).count());
    // famA has 60 names: all 32 combinations; famS has 8: only the 5-query ones; famU is unseen.
    assertEquals(32, plans.stream().filter(p -> p.infected() && p.infection().family().equals("famA")).count());
    assertEquals(8, plans.stream().filter(p -> p.infected() && p.infection().family().equals("famS")).count());
    assertTrue(plans.stream().filter(p -> p.infected() && p.infection().family().equals("famU"))
        .allMatch(p -> p.infection().unseen()));
    assertEquals(plans.size(), plans.stream().map(HostPlan::host).distinct().count());
  }

  @Test
  void infectedHostsQueryTheirFamilysNamesWithTheirNxdomainShare() {
    SplitData data = SplitData.load(dir, "test");
    TrafficGenerator g = new TrafficGenerator(data, 3);
    for (HostPlan p : g.plan(10, 32)) {
      if (!p.infected() || !p.infection().family().equals("famA")) {
        continue;
      }
      List<DnsRecord> dga = g.traffic(p).stream().filter(r -> data.dgaByFamily().get("famA").contains(r.query())).toList();
      Set<String> distinct = dga.stream().map(DnsRecord::query).collect(Collectors.toSet());
      assertEquals(p.infection().dgaQueries(), distinct.size());
      long nx = dga.stream().filter(DnsRecord::nxdomain).map(DnsRecord::query).distinct().count();
      assertEquals(Math.round(p.infection().dgaQueries() * p.infection().nxShare()), nx);
      assertTrue(dga.stream().allMatch(r -> r.client().equals(p.host())));
    }
  }

  @Test
  void trapsShowInTheTraffic() {
    SplitData data = SplitData.load(dir, "test");
    TrafficGenerator g = new TrafficGenerator(data, 3);
    for (HostPlan p : g.plan(200, 0)) {
      List<DnsRecord> t = g.traffic(p);
      assertEquals(p.traps().contains(Trap.DNSBL), t.stream().anyMatch(r -> r.query().endsWith(".spamhaus.org")
          || r.query().endsWith(".spamcop.net") || r.query().endsWith(".sorbs.net")), p.toString());
      assertEquals(p.traps().contains(Trap.REVERSE), t.stream().anyMatch(r -> r.query().endsWith(".arpa")));
      assertEquals(p.traps().contains(Trap.SERVICE), t.stream().anyMatch(r -> r.query().contains("_")));
      assertEquals(p.traps().contains(Trap.CHROME), t.stream().anyMatch(r -> !r.query().contains(".")));
      assertTrue(t.stream().allMatch(r -> r.timeMillis() >= TrafficGenerator.START_MILLIS
          && r.timeMillis() < TrafficGenerator.START_MILLIS + TrafficGenerator.PERIOD_MILLIS + 120_000));
    }
  }

  @Test
  void sameSeedSameTraffic() {
    SplitData data = SplitData.load(dir, "test");
    HostPlan p = new TrafficGenerator(data, 9).plan(5, 0).get(3);
    assertEquals(new TrafficGenerator(data, 9).traffic(p), new TrafficGenerator(data, 9).traffic(p));
    assertFalse(new TrafficGenerator(data, 9).traffic(p).equals(new TrafficGenerator(data, 10).traffic(p)));
  }

  @Test
  void typosAreOneEditAwayAsTheScoreSeesIt() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    io.dgadmesh.hosts.Popularity onlyWikipedia = unit -> unit.equals("wikipedia.com") ? 10 : 1;
    for (int i = 0; i < 200; i++) {
      String t = TrafficGenerator.typo(r, "wikipedia");
      assertTrue(t.equals("wikipedia") || onlyWikipedia.nearCommon(t + ".com", 4), t);
    }
  }

  @Test
  void calibrationTableIsMadeMonotone() {
    double[] fitted = ScoreCalibration.poolAdjacentViolators(new double[] {1, 3, 2, 4, 0, 5}, new double[] {1, 1, 1, 1, 1, 1});
    assertArrayEquals(new double[] {1, 2.25, 2.25, 2.25, 2.25, 5}, fitted, 1e-9);
  }

  @Test
  void optionsSayWhatIsMissing() {
    assertThrows(IllegalArgumentException.class, () -> HostTrafficBench.parse(new String[] {"--split", "test"}));
    assertThrows(IllegalArgumentException.class,
        () -> HostTrafficBench.parse(new String[] {"--data", "x", "--split", "unseen"}));
    assertThrows(IllegalArgumentException.class, () -> HostTrafficBench.parse(new String[] {"--data"}));
    assertEquals(64, HostTrafficBench.parse(new String[] {"--data", "x", "--per-family", "64"}).perFamily());
    HostTrafficBench.Options flags = HostTrafficBench.parse(new String[] {"--blind", "--data", "x", "--grid"});
    assertTrue(flags.blind() && flags.grid());
    assertEquals("x", flags.data().toString());
    assertFalse(HostTrafficBench.parse(new String[] {"--data", "x"}).blind());
  }

  @Test
  void theGridsThresholdIsTheNextHalfStrictlyAboveTheHighestHealthyScorePlusTheMargin() {
    assertEquals(8.0, ConstantsGrid.threshold(6.65));
    assertEquals(8.5, ConstantsGrid.threshold(7.0));
    assertEquals(8.5, ConstantsGrid.threshold(7.2));
    assertEquals(1.5, ConstantsGrid.threshold(0));
  }

  @Test
  void theWidestConstantsKeepEveryEntryThatWeighsMoreThanTheSlackUnderAnyCandidate() {
    HostScore widest = new HostScore(ConstantsGrid.widest(HostScore.DEFAULTS));
    for (double u : ConstantsGrid.UNSEEN_SHARES) {
      for (double nx : ConstantsGrid.NXDOMAIN) {
        HostScore candidate = new HostScore(ConstantsGrid.with(HostScore.DEFAULTS, u, nx));
        for (float score = 0; score <= 1; score += 0.001f) {
          for (DomainEvidence.Answer a : DomainEvidence.Answer.values()) {
            DomainEvidence e = new DomainEvidence("x.com", null, "x.com", score, null, a, 0, 1);
            assertTrue(widest.potential(e) >= candidate.potential(e) - ConstantsGrid.slack() - 1e-9,
                u + " " + nx + " " + score + " " + a);
          }
        }
      }
    }
  }
}
