package io.dgadmesh.bench.hosts;

import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.model.InputUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated DNS traffic of a network over {@link #PERIOD_MILLIS}: healthy hosts (Zipf-distributed
 * queries over the split's benign names, dead domains, the odd typo) that may carry any of the
 * false-positive traps of issue 13, and infected hosts that query a DGA family's names on top of
 * the same healthy traffic. Every assumption about the traffic is a constant here, named, so the
 * figures it yields can be read against them. Deterministic for a seed.
 */
public final class TrafficGenerator {

  /** Two hours, so the one-hour window slides. */
  public static final long PERIOD_MILLIS = 2 * 3_600_000L;
  public static final long START_MILLIS = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();

  /** Queries per hour of a healthy host: log-normal around this median. */
  static final double MEDIAN_QUERIES_PER_HOUR = 300;
  static final double QUERIES_SIGMA = 0.7;
  /** Zipf exponent of benign name popularity. */
  static final double ZIPF_EXPONENT = 1.0;
  /** Share of benign names that no longer exist (NXDOMAIN for everyone): lapsed domains. */
  static final double DEAD_SHARE = 0.03;
  /** Typos per hour of every host, and of a host with the typo trap. */
  static final double TYPOS_PER_HOUR = 0.3;
  static final double TYPOS_PER_HOUR_TRAP = 4;
  /** Share of typos that nobody registered (NXDOMAIN); the rest hit typosquatters. */
  static final double TYPO_NXDOMAIN = 0.85;
  /** Chance that a host carries a given trap (each trap drawn on its own). */
  static final double TRAP_SHARE = 0.25;
  /** The organisation's own domain (every host uses it) and its internal search domain. */
  static final String ORG_DOMAIN = "examplecorp.com";
  static final String INTERNAL_SEARCH_DOMAIN = "corp.local";
  /** Share of CDN object names that no longer exist (NXDOMAIN for everyone). */
  static final double CDN_NXDOMAIN = 0.005;
  /** Object names per CDN provider in the network. */
  static final int CDN_POOL = 20_000;

  /** DGA queries of infected hosts, NXDOMAIN shares and pacing: every combination per family. */
  public static final int[] DGA_QUERIES = {5, 10, 20, 40};
  public static final double[] NXDOMAIN_SHARES = {1.0, 0.9, 0.75, 0.5};

  /** The false-positive traps of issue 13. */
  public enum Trap {
    CHROME("chrome probes"), DNSBL("DNSBL (mail server)"), CDN("CDN-heavy"), SEARCH_DOMAIN("search-domain NXDOMAIN"),
    REVERSE("reverse lookups"), SERVICE("SRV and DKIM"), TYPOS("typos");

    public final String label;

    Trap(String label) {
      this.label = label;
    }
  }

  /** How an infected host spaces its DGA queries. */
  public enum Timing {
    /** One name every 0.5 to 2 seconds, as a DGA walks its list. */
    BURST,
    /** Evenly over 30 minutes: a DGA that sleeps between tries. */
    PACED
  }

  public record Infection(String family, boolean unseen, int dgaQueries, double nxShare, Timing timing) {}

  /** One host to generate: {@code infection} is null for a healthy host. */
  public record HostPlan(int index, String host, EnumSet<Trap> traps, Infection infection) {
    public boolean infected() {
      return infection != null;
    }
  }

  private final SplitData data;
  private final long seed;
  private final List<String> benign;
  private final double[] zipfCumulative;
  /** Provider-assigned names, per provider: a pool shared by the network, drawn by popularity. */
  private final List<List<String>> cdnPools;
  private final double[] cdnCumulative;

  public TrafficGenerator(SplitData data, long seed) {
    this.data = data;
    this.seed = seed;
    this.benign = data.benignByRank();
    this.zipfCumulative = zipf(benign.size(), ZIPF_EXPONENT);
    SplittableRandom r = new SplittableRandom(seed ^ 0x5eed_cd11L);
    String alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
    List<List<String>> pools = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      List<String> pool = new ArrayList<>(CDN_POOL);
      for (int i = 0; i < CDN_POOL; i++) {
        pool.add(switch (p) {
          case 0 -> "d" + random(r, alnum, 13) + ".cloudfront.net";
          case 1 -> "r" + (1 + r.nextInt(9)) + "---sn-" + random(r, alnum, 8) + ".googlevideo.com";
          case 2 -> "e" + (1000 + r.nextInt(9000)) + "." + (char) ('a' + r.nextInt(7)) + ".akamaiedge.net";
          case 3 -> random(r, alnum, 10) + ".azureedge.net";
          case 4 -> random(r, "0123456789abcdef", 16) + "." + random(r, "0123456789abcdef", 8) + ".sophosxl.net";
          default -> random(r, alnum, 12) + ".akamaized.net";
        });
      }
      pools.add(pool);
    }
    this.cdnPools = pools;
    this.cdnCumulative = zipf(CDN_POOL, 0.8);
  }

  /** Healthy hosts first, then {@code perFamily} infected hosts per family (unseen families last). */
  public List<HostPlan> plan(int benignHosts, int perFamily) {
    List<HostPlan> plans = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < benignHosts; i++) {
      plans.add(new HostPlan(plans.size(), address(plans.size()), traps(r), null));
    }
    addInfected(plans, r, data.dgaByFamily(), false, perFamily);
    addInfected(plans, r, data.unseenByFamily(), true, perFamily);
    return plans;
  }

  private void addInfected(List<HostPlan> plans, SplittableRandom r, Map<String, List<String>> families,
      boolean unseen, int perFamily) {
    for (Map.Entry<String, List<String>> f : families.entrySet()) {
      for (int k = 0; k < perFamily; k++) {
        int n = DGA_QUERIES[k % DGA_QUERIES.length];
        if (f.getValue().size() < n) {
          continue; // the family has too few names in this split for n distinct queries
        }
        double share = NXDOMAIN_SHARES[(k / DGA_QUERIES.length) % NXDOMAIN_SHARES.length];
        Timing timing = Timing.values()[(k / (DGA_QUERIES.length * NXDOMAIN_SHARES.length)) % 2];
        plans.add(new HostPlan(plans.size(), address(plans.size()), traps(r),
            new Infection(f.getKey(), unseen, n, share, timing)));
      }
    }
  }

  private static EnumSet<Trap> traps(SplittableRandom r) {
    EnumSet<Trap> t = EnumSet.noneOf(Trap.class);
    for (Trap trap : Trap.values()) {
      if (r.nextDouble() < TRAP_SHARE) {
        t.add(trap);
      }
    }
    return t;
  }

  private static String address(int i) {
    return "10." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
  }

  /** One host's records over the period, in no particular order. */
  public List<DnsRecord> traffic(HostPlan plan) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + plan.index());
    List<DnsRecord> out = new ArrayList<>();
    String host = plan.host();
    double hours = PERIOD_MILLIS / 3_600_000.0;
    long total = Math.round(hours * Math.min(3000, Math.max(30,
        MEDIAN_QUERIES_PER_HOUR * Math.exp(QUERIES_SIGMA * gaussian(r)))));
    boolean searchTrap = plan.traps().contains(Trap.SEARCH_DOMAIN);
    String searchDomain = r.nextBoolean() ? INTERNAL_SEARCH_DOMAIN : ORG_DOMAIN;
    // Page loads: sessions of a dozen queries within a few seconds.
    long made = 0;
    while (made < total) {
      long session = START_MILLIS + (long) (r.nextDouble() * PERIOD_MILLIS);
      int size = 1 + (int) (-Math.log(1 - r.nextDouble()) * 11);
      for (int i = 0; i < size && made < total; i++, made++) {
        long t = session + r.nextInt(5_000);
        String name = benign.get(sample(zipfCumulative, r));
        if (searchTrap && r.nextDouble() < 0.2) {
          out.add(record(t, host, name + "." + searchDomain, "NXDOMAIN"));
        }
        out.add(record(t, host, name, dead(name, DEAD_SHARE) ? "NXDOMAIN" : "NOERROR"));
      }
    }
    for (String org : List.of("intranet.", "mail.", "vpn.")) {
      out.add(record(time(r), host, org + ORG_DOMAIN, "NOERROR"));
    }
    typos(out, r, host, plan.traps().contains(Trap.TYPOS) ? TYPOS_PER_HOUR_TRAP : TYPOS_PER_HOUR);
    for (Trap trap : plan.traps()) {
      switch (trap) {
        case CHROME -> chrome(out, r, host, searchDomain);
        case DNSBL -> dnsbl(out, r, host);
        case CDN -> cdn(out, r, host);
        case REVERSE -> reverse(out, r, host);
        case SERVICE -> service(out, r, host);
        case SEARCH_DOMAIN, TYPOS -> { } // woven into the traffic above
      }
    }
    if (plan.infected()) {
      dga(out, r, host, plan.infection());
    }
    return out;
  }

  private void typos(List<DnsRecord> out, SplittableRandom r, String host, double perHour) {
    int n = poisson(r, perHour * PERIOD_MILLIS / 3_600_000.0);
    for (int i = 0; i < n; i++) {
      String name = benign.get(sample(zipfCumulative, r));
      InputUnit.Parts p = InputUnit.split(name);
      String label = p.label();
      if (label.length() < 3 || p.suffix().isEmpty()) {
        continue;
      }
      String typo = typo(r, label);
      int at = name.lastIndexOf(label + "." + p.suffix());
      String typed = name.substring(0, at) + typo + "." + p.suffix();
      long t = time(r);
      out.add(record(t, host, typed, r.nextDouble() < TYPO_NXDOMAIN ? "NXDOMAIN" : "NOERROR"));
      if (r.nextDouble() < 0.7) {
        out.add(record(t + 3_000 + r.nextInt(10_000), host, name, "NOERROR")); // the user corrects it
      }
    }
  }

  /** One edit a typing hand makes: a letter doubled or dropped, two swapped, one mistyped. */
  static String typo(SplittableRandom r, String label) {
    int i = r.nextInt(label.length());
    char c = (char) ('a' + r.nextInt(26));
    return switch (r.nextInt(4)) {
      case 0 -> label.substring(0, i + 1) + label.charAt(i) + label.substring(i + 1);
      case 1 -> label.substring(0, i) + label.substring(i + 1);
      case 2 -> i + 1 < label.length()
          ? label.substring(0, i) + label.charAt(i + 1) + label.charAt(i) + label.substring(i + 2)
          : label.substring(0, i) + c;
      default -> label.substring(0, i) + c + label.substring(i + 1);
    };
  }

  /** Chrome at every start: three random 7-15-letter single labels, some also with the search domain. */
  private void chrome(List<DnsRecord> out, SplittableRandom r, String host, String searchDomain) {
    int starts = 1 + poisson(r, 2);
    boolean appends = r.nextDouble() < 0.7;
    for (int s = 0; s < starts; s++) {
      long t = time(r);
      for (int i = 0; i < 3; i++) {
        String probe = random(r, "abcdefghijklmnopqrstuvwxyz", 7 + r.nextInt(9));
        out.add(record(t + i * 20L, host, probe, "NXDOMAIN"));
        if (appends) {
          out.add(record(t + i * 20L + 5, host, probe + "." + searchDomain, "NXDOMAIN"));
        }
      }
    }
  }

  private static final String[] IP_ZONES = {"zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org",
      "dnsbl.sorbs.net", "psbl.surriel.com", "bl.mailspike.net"};

  /** A mail server: reversed sender addresses under blocklist zones, sender domains under domain lists. */
  private void dnsbl(List<DnsRecord> out, SplittableRandom r, String host) {
    int n = (int) ((300 + r.nextInt(1200)) * PERIOD_MILLIS / 3_600_000L);
    for (int i = 0; i < n; i++) {
      long t = time(r);
      String ip = r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
      String zone = IP_ZONES[r.nextInt(IP_ZONES.length)];
      out.add(record(t, host, ip + "." + zone, r.nextDouble() < 0.9 ? "NXDOMAIN" : "NOERROR"));
      if (r.nextInt(4) == 0) {
        String sender = InputUnit.REGISTRABLE_DOMAIN.extract(benign.get(sample(zipfCumulative, r)), 253);
        out.add(record(t, host, sender, "NOERROR"));
        out.add(record(t + 1, host, sender + (r.nextBoolean() ? ".dbl.spamhaus.org" : ".multi.surbl.org"), "NXDOMAIN"));
      }
    }
  }

  /** A video and CDN-heavy client: provider-assigned random names under a few parents. */
  private void cdn(List<DnsRecord> out, SplittableRandom r, String host) {
    int n = (int) ((100 + r.nextInt(500)) * PERIOD_MILLIS / 3_600_000L);
    for (int i = 0; i < n; i++) {
      long t = time(r);
      List<String> pool = cdnPools.get(r.nextInt(cdnPools.size()));
      String name = pool.get(sample(cdnCumulative, r));
      String rcode = dead(name, CDN_NXDOMAIN) ? "NXDOMAIN" : "NOERROR";
      out.add(record(t, host, name, rcode));
    }
  }

  private void reverse(List<DnsRecord> out, SplittableRandom r, String host) {
    int n = (int) ((20 + r.nextInt(180)) * PERIOD_MILLIS / 3_600_000L);
    for (int i = 0; i < n; i++) {
      String name;
      if (r.nextInt(5) == 0) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 32; k++) {
          b.append("0123456789abcdef".charAt(r.nextInt(16))).append('.');
        }
        name = b + "ip6.arpa";
      } else {
        name = (1 + r.nextInt(254)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(223))
            + ".in-addr.arpa";
      }
      out.add(record(time(r), host, name, r.nextBoolean() ? "NXDOMAIN" : "NOERROR"));
    }
  }

  private void service(List<DnsRecord> out, SplittableRandom r, String host) {
    int n = (int) ((10 + r.nextInt(50)) * PERIOD_MILLIS / 3_600_000L);
    for (int i = 0; i < n; i++) {
      String domain = InputUnit.REGISTRABLE_DOMAIN.extract(benign.get(sample(zipfCumulative, r)), 253);
      String name = switch (r.nextInt(6)) {
        case 0 -> "_ldap._tcp.dc._msdcs." + ORG_DOMAIN;
        case 1 -> "_kerberos._udp." + ORG_DOMAIN;
        case 2 -> "_sip._tls." + domain;
        case 3 -> random(r, "abcdefghijklmnopqrstuvwxyz0123456789", 6 + r.nextInt(10)) + "._domainkey." + domain;
        case 4 -> "_dmarc." + domain;
        default -> "_mta-sts." + domain;
      };
      out.add(record(time(r), host, name, r.nextBoolean() ? "NXDOMAIN" : "NOERROR"));
    }
  }

  private void dga(List<DnsRecord> out, SplittableRandom r, String host, Infection inf) {
    List<String> names = new ArrayList<>(pick(r, inf.unseen()
        ? data.unseenByFamily().get(inf.family()) : data.dgaByFamily().get(inf.family()), inf.dgaQueries()));
    int nx = (int) Math.round(inf.dgaQueries() * inf.nxShare());
    long span = inf.timing() == Timing.BURST ? inf.dgaQueries() * 2_000L : 30 * 60_000L;
    long t = START_MILLIS + (long) (r.nextDouble() * (PERIOD_MILLIS - span));
    for (int i = 0; i < names.size(); i++) {
      String rcode = i < nx ? "NXDOMAIN" : "NOERROR";
      out.add(record(t, host, names.get(i), rcode));
      if (r.nextDouble() < 0.3) {
        out.add(record(t + 1_000, host, names.get(i), rcode)); // a retry
      }
      t += inf.timing() == Timing.BURST ? 500 + r.nextInt(1_500) : span / names.size();
    }
  }

  private static List<String> pick(SplittableRandom r, List<String> from, int n) {
    List<String> copy = new ArrayList<>(from);
    for (int i = 0; i < n; i++) {
      Collections.swap(copy, i, i + r.nextInt(copy.size() - i));
    }
    return copy.subList(0, n);
  }

  /** The same names are dead for every host: a fixed share, picked by hash. */
  private boolean dead(String name, double share) {
    long h = (name.hashCode() * 0x9E3779B97F4A7C15L) ^ seed;
    return Math.floorMod(h ^ (h >>> 29), 100_000) < share * 100_000;
  }

  private static DnsRecord record(long t, String host, String name, String rcode) {
    return new DnsRecord(t, host, name, "A", rcode, List.of());
  }

  private static long time(SplittableRandom r) {
    return START_MILLIS + (long) (r.nextDouble() * PERIOD_MILLIS);
  }

  private static String random(SplittableRandom r, String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  static double[] zipf(int n, double s) {
    double[] c = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, s);
      c[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      c[i] /= sum;
    }
    return c;
  }

  static int sample(double[] cumulative, SplittableRandom r) {
    int i = java.util.Arrays.binarySearch(cumulative, r.nextDouble());
    return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
  }

  private static int poisson(SplittableRandom r, double mean) {
    int k = 0;
    double p = Math.exp(-mean);
    double u = r.nextDouble();
    double cum = p;
    while (u > cum && k < 1000) {
      k++;
      p *= mean / k;
      cum += p;
    }
    return k;
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
