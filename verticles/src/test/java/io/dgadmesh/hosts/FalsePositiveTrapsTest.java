package io.dgadmesh.hosts;

import static io.dgadmesh.hosts.Fixtures.T0;
import static io.dgadmesh.hosts.Fixtures.query;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.model.InputUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The false-positive traps of issue 13 must not flag a host, even when the model is at its worst:
 * the fake model here calls every name DGA (score 0.99) except a few popular domains, so only the
 * rules keep the traps out. A host with ten such names that are really a DGA's is flagged, which
 * shows the same traffic could flag a host.
 */
class FalsePositiveTrapsTest {

  private static final Set<String> POPULAR = Set.of("google.com", "wikipedia.org", "example.com", "examplecorp.com",
      "googlevideo.com", "akamaiedge.net", "github.com", "microsoft.com");
  private static final String TRAP = "10.9.9.9";

  /** Scores by registrable domain, as the real model judges: 0.01 for the popular ones, else 0.99. */
  private final NameJudge judge = Fixtures.judge(Fixtures.model(
      n -> POPULAR.contains(InputUnit.REGISTRABLE_DOMAIN.extract(n, 253)) ? 0.01f : 0.99f));
  private final Random random = new Random(7);

  /** Background hosts that make the popular domains common, then the one host under test. */
  private HostReport run(Consumer<List<DnsRecord>> trap) {
    HostTable table = new HostTable(new HostScore(HostScore.DEFAULTS));
    List<DnsRecord> records = new ArrayList<>();
    for (int h = 0; h < 8; h++) {
      for (String p : POPULAR) {
        records.add(query(T0 + h, "10.0.0." + h, "www." + p, "NOERROR"));
      }
      records.add(query(T0 + h, "10.0.0." + h, "intranet.examplecorp.com", "NOERROR"));
    }
    for (String p : POPULAR) {
      records.add(query(T0, TRAP, "www." + p, "NOERROR"));
    }
    trap.accept(records);
    Fixtures.feed(table, judge, records);
    return table.ranked().stream().filter(r -> r.host().equals(TRAP)).findFirst().orElseThrow();
  }

  private String letters(int min, int max) {
    int n = min + random.nextInt(max - min + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + random.nextInt(26)));
    }
    return b.toString();
  }

  private String alnum(int n) {
    String a = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(a.charAt(random.nextInt(a.length())));
    }
    return b.toString();
  }

  @Test
  void aHostWithTenDgaNamesIsFlagged() {
    HostReport r = run(rs -> {
      for (int i = 0; i < 10; i++) {
        rs.add(query(T0 + 60_000 + i * 1_000, TRAP, letters(10, 16) + ".com", "NXDOMAIN"));
      }
    });
    assertTrue(r.infected(), r.toJsonLine());
  }

  @Test
  void chromeIntranetProbes() {
    HostReport r = run(rs -> {
      for (int start = 0; start < 20; start++) {
        for (int i = 0; i < 3; i++) {
          String probe = letters(7, 15);
          long t = T0 + start * 60_000L + i;
          rs.add(query(t, TRAP, probe, "NXDOMAIN"));
          rs.add(query(t, TRAP, probe + ".corp.local", "NXDOMAIN"));
          rs.add(query(t, TRAP, probe + ".examplecorp.com", "NXDOMAIN"));
        }
      }
    });
    assertFalse(r.infected(), r.toJsonLine());
  }

  @Test
  void mailServerBlocklistLookups() {
    HostReport r = run(rs -> {
      for (int i = 0; i < 2_000; i++) {
        String ip = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
        rs.add(query(T0 + i * 100L, TRAP, ip + ".zen.spamhaus.org", "NXDOMAIN"));
        rs.add(query(T0 + i * 100L, TRAP, ip + ".bl.spamcop.net", "NXDOMAIN"));
        rs.add(query(T0 + i * 100L, TRAP, ip + ".dnsbl.other-list.net", "NXDOMAIN"));
        rs.add(query(T0 + i * 100L, TRAP, letters(8, 14) + ".com.dbl.spamhaus.org", "NXDOMAIN"));
      }
    });
    assertFalse(r.infected(), r.toJsonLine());
  }

  @Test
  void cdnHeavyClient() {
    HostReport r = run(rs -> {
      for (int i = 0; i < 500; i++) {
        long t = T0 + i * 500L;
        rs.add(query(t, TRAP, "d" + alnum(13) + ".cloudfront.net", i % 100 == 0 ? "NXDOMAIN" : "NOERROR"));
        rs.add(query(t, TRAP, "r3---sn-" + alnum(8) + ".googlevideo.com", "NOERROR"));
        rs.add(query(t, TRAP, "e" + (1000 + i) + ".a.akamaiedge.net", "NOERROR"));
        rs.add(query(t, TRAP, alnum(16) + "." + alnum(8) + ".sophosxl.net", i % 3 == 0 ? "NXDOMAIN" : "NOERROR"));
      }
    });
    assertFalse(r.infected(), r.toJsonLine());
  }

  @Test
  void searchDomainNxdomains() {
    HostReport r = run(rs -> {
      for (String p : POPULAR) {
        for (int i = 0; i < 20; i++) {
          rs.add(query(T0 + i * 1_000L, TRAP, "host" + i + "." + p + ".corp.local", "NXDOMAIN"));
          rs.add(query(T0 + i * 1_000L, TRAP, "host" + i + "." + p + ".examplecorp.com", "NXDOMAIN"));
        }
      }
    });
    assertFalse(r.infected(), r.toJsonLine());
  }

  @Test
  void reverseLookups() {
    HostReport r = run(rs -> {
      for (int i = 0; i < 1_000; i++) {
        rs.add(query(T0 + i, TRAP, random.nextInt(256) + "." + random.nextInt(256) + ".168.192.in-addr.arpa", "NXDOMAIN"));
        StringBuilder v6 = new StringBuilder();
        for (int k = 0; k < 32; k++) {
          v6.append(Integer.toHexString(random.nextInt(16))).append('.');
        }
        rs.add(query(T0 + i, TRAP, v6 + "ip6.arpa", "NXDOMAIN"));
      }
    });
    assertFalse(r.infected(), r.toJsonLine());
  }

  @Test
  void srvAndDkimNames() {
    HostReport r = run(rs -> {
      for (int i = 0; i < 300; i++) {
        String d = letters(8, 12) + ".com";
        rs.add(query(T0 + i, TRAP, "_ldap._tcp.dc._msdcs." + d, "NXDOMAIN"));
        rs.add(query(T0 + i, TRAP, letters(6, 12) + "._domainkey." + d, "NXDOMAIN"));
        rs.add(query(T0 + i, TRAP, "_dmarc." + d, "NXDOMAIN"));
      }
    });
    assertFalse(r.infected(), r.toJsonLine());
  }

  @Test
  void typosOfPopularDomains() {
    HostReport r = run(rs -> {
      List<String> typos = List.of("gooogle.com", "gogle.com", "googel.com", "goolge.com", "wikipeida.org",
          "wikpedia.org", "githbu.com", "microsfot.com", "mircosoft.com", "exmaple.com", "examplecrop.com", "gihub.com");
      for (int i = 0; i < typos.size(); i++) {
        rs.add(query(T0 + i * 1_000L, TRAP, typos.get(i), "NXDOMAIN"));
      }
    });
    assertFalse(r.infected(), r.toJsonLine());
  }
}
