package io.dgadmesh.bench.hosts;

import io.dgadmesh.bench.hosts.TrafficGenerator.HostPlan;
import io.dgadmesh.bench.hosts.TrafficGenerator.Timing;
import io.dgadmesh.bench.hosts.TrafficGenerator.Trap;
import io.dgadmesh.hosts.HostReport;
import io.dgadmesh.hosts.HostScore;
import io.dgadmesh.hosts.HostTable;
import io.dgadmesh.hosts.NameJudge;
import io.dgadmesh.hosts.NameVerdict;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.model.DgaModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Host-level detection on generated traffic ({@link TrafficGenerator}) with the shipped model's
 * per-name scores: the rate of healthy hosts flagged (overall and per trap), of infected hosts found
 * (by DGA queries seen, NXDOMAIN share, pacing, family), and for the unseen families. Choose the
 * threshold on {@code --split train}, report on {@code --split test}.
 *
 * <pre>
 *   HostTrafficBench --data DIR [--split train|test] [--benign-hosts N] [--per-family K] [--seed S]
 *                    [--threshold T] [--threads N] [--blind] [--grid]
 * </pre>
 *
 * <p>{@code --blind} hides every infected host's DGA names from the model ({@link BlindScores}): on
 * train traffic, hosts of a family the model has never seen. {@code --grid} scores the hosts under
 * several values of the score's assumed constants ({@link ConstantsGrid}) instead of the report.
 */
public final class HostTrafficBench {

  public record Options(Path data, String split, int benignHosts, int perFamily, long seed, double threshold,
      int threads, boolean blind, boolean grid) {}

  /** One generated host and the score it got. */
  public record Scored(HostPlan plan, double score, long dgaNames) {}

  private HostTrafficBench() {}

  public static void main(String[] args) {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("HostTrafficBench: " + e.getMessage());
      System.err.println("usage: HostTrafficBench --data DIR [--split train|test] [--benign-hosts N] [--per-family K]"
          + " [--seed S] [--threshold T] [--threads N] [--blind] [--grid]");
      System.exit(2);
      return;
    }
    try {
      run(o, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("HostTrafficBench: " + e.getMessage());
      System.exit(2);
    }
  }

  public static Options parse(String[] args) {
    Path data = null;
    String split = "test";
    int benign = 20_000;
    int perFamily = 32;
    long seed = 1;
    double threshold = HostScore.DEFAULTS.threshold();
    int threads = 2;
    boolean blind = false;
    boolean grid = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--blind") || a.equals("--grid")) {
        blind |= a.equals("--blind");
        grid |= a.equals("--grid");
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--data" -> data = Path.of(v);
        case "--split" -> split = v;
        case "--benign-hosts" -> benign = Integer.parseInt(v);
        case "--per-family" -> perFamily = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--threshold" -> threshold = Double.parseDouble(v);
        case "--threads" -> threads = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (data == null) {
      throw new IllegalArgumentException("--data DIR is required (the directory with dga.tsv.gz and benign.tsv.gz)");
    }
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("--split must be train or test");
    }
    return new Options(data, split, benign, perFamily, seed, threshold, threads, blind, grid);
  }

  public static List<Scored> run(Options o, PrintStream out) {
    long t0 = System.nanoTime();
    SplitData data = SplitData.load(o.data(), o.split());
    TrafficGenerator gen = new TrafficGenerator(data, o.seed());
    List<HostPlan> plans = gen.plan(o.benignHosts(), o.perFamily());
    HostScore.Params params = HostScore.DEFAULTS.withThreshold(o.threshold());
    HostScore scorer = new HostScore(o.grid() ? ConstantsGrid.widest(params) : params);
    HostTable table = new HostTable(scorer, plans.size(), HostTable.DEFAULT_MAX_UNITS);
    long records = 0;
    try (DgaModel model = DgaModel.loadDefault(o.threads())) {
      NameJudge judge = new NameJudge(model::classify, n -> false, 1_000_000);
      BlindScores blind = o.blind() ? new BlindScores(model, data.benignByRank(), o.seed()) : null;
      Map<String, Set<String>> familyNames = new HashMap<>();
      for (HostPlan p : plans) {
        List<DnsRecord> traffic = gen.traffic(p);
        List<String> names = new ArrayList<>(traffic.size());
        for (DnsRecord r : traffic) {
          names.add(r.query());
        }
        List<NameVerdict> verdicts = judge.judge(names);
        Set<String> dga = blind == null || !p.infected() ? Set.of()
            : familyNames.computeIfAbsent(p.infection().family(), f -> new HashSet<>(p.infection().unseen()
                ? data.unseenByFamily().get(f) : data.dgaByFamily().get(f)));
        for (int i = 0; i < traffic.size(); i++) {
          NameVerdict v = verdicts.get(i);
          table.add(traffic.get(i), dga.contains(traffic.get(i).query()) ? blind.blind(v) : v);
        }
        records += traffic.size();
      }
      out.printf(Locale.ROOT, "split %s (%s), seed %d: %,d hosts (%,d healthy), %,d records, %,d names to the model"
          + " in %,d calls, %.0f s%n%n", o.split(), o.split().equals("train") ? "its validation slice" : "test + unseen",
          o.seed(), plans.size(), o.benignHosts(), records, judge.namesToModel(), judge.modelCalls(),
          (System.nanoTime() - t0) / 1e9);
    }
    if (o.blind()) {
      out.println("Blind: every infected host's DGA names carry a benign name's score (a family the model has never"
          + " seen).");
      out.println();
    }
    if (o.grid()) {
      ConstantsGrid.print(table, plans, out);
      return List.of();
    }
    Map<String, HostReport> byHost = new HashMap<>();
    for (HostReport r : table.ranked()) {
      byHost.put(r.host(), r);
    }
    List<Scored> scored = new ArrayList<>(plans.size());
    for (HostPlan p : plans) {
      HostReport r = byHost.get(p.host());
      scored.add(new Scored(p, r.score(), r.dgaNames()));
    }
    print(scored, o.threshold(), out);
    printTopHealthy(table, scored, out);
    return scored;
  }

  static void print(List<Scored> s, double threshold, PrintStream out) {
    List<Scored> healthy = s.stream().filter(x -> !x.plan().infected()).toList();
    List<Scored> infected = s.stream().filter(x -> x.plan().infected() && !x.plan().infection().unseen()).toList();
    List<Scored> unseen = s.stream().filter(x -> x.plan().infected() && x.plan().infection().unseen()).toList();

    double[] hs = healthy.stream().mapToDouble(Scored::score).sorted().toArray();
    out.printf(Locale.ROOT, "healthy host scores: max %.2f, 99.99%% %.2f, 99.9%% %.2f, 99%% %.2f, 90%% %.2f%n%n",
        hs[hs.length - 1], quantile(hs, 0.9999), quantile(hs, 0.999), quantile(hs, 0.99), quantile(hs, 0.9));

    out.println("| threshold | healthy flagged | FPR | TPR (all) | TPR, 10 DGA queries | TPR unseen, 10 DGA queries |");
    out.println("|---:|---:|---:|---:|---:|---:|");
    for (double t : new double[] {4, 6, 8, 10, 12, 14, 16, 18, 20, 25, 30}) {
      long fp = healthy.stream().filter(x -> x.score() >= t).count();
      out.printf(Locale.ROOT, "| %.0f | %d | %s | %s | %s | %s |%n", t, fp, pct(fp, healthy.size()),
          rate(infected, x -> true, t), rate(infected, x -> x.plan().infection().dgaQueries() == 10, t),
          unseen.isEmpty() ? "-" : rate(unseen, x -> x.plan().infection().dgaQueries() == 10, t));
    }
    out.println();

    out.printf(Locale.ROOT, "At threshold %.1f.%n%n", threshold);
    out.println("| healthy hosts | hosts | flagged | FPR |");
    out.println("|---|---:|---:|---:|");
    row(out, "all", healthy, x -> true, threshold);
    row(out, "no trap", healthy, x -> x.plan().traps().isEmpty(), threshold);
    for (Trap trap : Trap.values()) {
      row(out, trap.label, healthy, x -> x.plan().traps().contains(trap), threshold);
    }
    out.println();

    out.println("| infected hosts (" + (unseen.isEmpty() ? "train validation families" : "test families")
        + ") | hosts | found | TPR |");
    out.println("|---|---:|---:|---:|");
    found(out, "all", infected, x -> true, threshold);
    for (int n : TrafficGenerator.DGA_QUERIES) {
      found(out, n + " DGA queries", infected, x -> x.plan().infection().dgaQueries() == n, threshold);
    }
    for (double share : TrafficGenerator.NXDOMAIN_SHARES) {
      found(out, String.format(Locale.ROOT, "10 DGA queries, %.0f%% NXDOMAIN", share * 100), infected,
          x -> x.plan().infection().dgaQueries() == 10 && x.plan().infection().nxShare() == share, threshold);
    }
    for (Timing timing : Timing.values()) {
      found(out, "10 DGA queries, " + timing.name().toLowerCase(Locale.ROOT), infected,
          x -> x.plan().infection().dgaQueries() == 10 && x.plan().infection().timing() == timing, threshold);
    }
    out.println();

    out.println("Families whose hosts were found least often with 10 DGA queries:");
    out.println();
    out.println("| family | hosts | TPR at 10 | TPR at 20 |");
    out.println("|---|---:|---:|---:|");
    Map<String, List<Scored>> byFamily = new TreeMap<>();
    for (Scored x : infected) {
      byFamily.computeIfAbsent(x.plan().infection().family(), k -> new ArrayList<>()).add(x);
    }
    record FamilyRate(String family, int hosts, double at10, String at20) {}
    List<FamilyRate> rates = new ArrayList<>();
    for (Map.Entry<String, List<Scored>> e : byFamily.entrySet()) {
      List<Scored> ten = e.getValue().stream().filter(x -> x.plan().infection().dgaQueries() == 10).toList();
      if (!ten.isEmpty()) {
        rates.add(new FamilyRate(e.getKey(), ten.size(), share(ten, threshold),
            rate(e.getValue(), x -> x.plan().infection().dgaQueries() == 20, threshold)));
      }
    }
    rates.sort(java.util.Comparator.comparingDouble(FamilyRate::at10).thenComparing(FamilyRate::family));
    for (FamilyRate r : rates.subList(0, Math.min(12, rates.size()))) {
      out.printf(Locale.ROOT, "| %s | %d | %.1f%% | %s |%n", r.family(), r.hosts(), r.at10() * 100, r.at20());
    }
    out.println();

    if (!unseen.isEmpty()) {
      out.println("| unseen family | 5 | 10 | 20 | 40 |");
      out.println("|---|---:|---:|---:|---:|");
      Map<String, List<Scored>> uf = new TreeMap<>();
      for (Scored x : unseen) {
        uf.computeIfAbsent(x.plan().infection().family(), k -> new ArrayList<>()).add(x);
      }
      double[] sum = new double[4];
      double[] sumWithout = new double[4];
      for (Map.Entry<String, List<Scored>> e : uf.entrySet()) {
        StringBuilder b = new StringBuilder("| " + e.getKey());
        for (int i = 0; i < 4; i++) {
          int n = TrafficGenerator.DGA_QUERIES[i];
          List<Scored> at = e.getValue().stream().filter(x -> x.plan().infection().dgaQueries() == n).toList();
          double v = share(at, threshold);
          sum[i] += v;
          if (!e.getKey().equals("gameover_p2p")) {
            sumWithout[i] += v;
          }
          b.append(String.format(Locale.ROOT, " | %.1f%%", v * 100));
        }
        out.println(b.append(" |"));
      }
      int f = uf.size();
      out.printf(Locale.ROOT, "| mean of %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n", f,
          sum[0] / f * 100, sum[1] / f * 100, sum[2] / f * 100, sum[3] / f * 100);
      out.printf(Locale.ROOT, "| mean without gameover_p2p | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n",
          sumWithout[0] / (f - 1) * 100, sumWithout[1] / (f - 1) * 100, sumWithout[2] / (f - 1) * 100,
          sumWithout[3] / (f - 1) * 100);
      out.println();
    }

    long naiveFp = healthy.stream().filter(x -> x.dgaNames() >= 1).count();
    long naiveTp = infected.stream().filter(x -> x.plan().infection().dgaQueries() == 10 && x.dgaNames() >= 1).count();
    long ten = infected.stream().filter(x -> x.plan().infection().dgaQueries() == 10).count();
    out.printf(Locale.ROOT, "For comparison, flagging a host for any one name the model calls DGA: FPR %s, TPR at 10"
        + " DGA queries %s.%n%n", pct(naiveFp, healthy.size()), pct(naiveTp, ten));
  }

  private static void printTopHealthy(HostTable table, List<Scored> scored, PrintStream out) {
    List<Scored> top = scored.stream().filter(x -> !x.plan().infected())
        .sorted(java.util.Comparator.comparingDouble(Scored::score).reversed()).limit(5).toList();
    out.println("Highest-scoring healthy hosts:");
    for (Scored x : top) {
      HostReport r = HostReport.of(table.host(x.plan().host()).toState(), table.host(x.plan().host()).score(table.popularity()));
      out.printf(Locale.ROOT, "  %.2f traps %s: %s%n", x.score(), x.plan().traps(), r.toTxtLine());
    }
    out.println();
  }

  private static void row(PrintStream out, String label, List<Scored> s, Predicate<Scored> p, double t) {
    List<Scored> sel = s.stream().filter(p).toList();
    long fp = sel.stream().filter(x -> x.score() >= t).count();
    out.printf(Locale.ROOT, "| %s | %,d | %d | %s |%n", label, sel.size(), fp, pct(fp, sel.size()));
  }

  private static void found(PrintStream out, String label, List<Scored> s, Predicate<Scored> p, double t) {
    List<Scored> sel = s.stream().filter(p).toList();
    long tp = sel.stream().filter(x -> x.score() >= t).count();
    out.printf(Locale.ROOT, "| %s | %,d | %,d | %s |%n", label, sel.size(), tp, pct(tp, sel.size()));
  }

  private static String rate(List<Scored> s, Predicate<Scored> p, double t) {
    List<Scored> sel = s.stream().filter(p).toList();
    return sel.isEmpty() ? "-" : pct(sel.stream().filter(x -> x.score() >= t).count(), sel.size());
  }

  private static double share(List<Scored> s, double t) {
    return s.isEmpty() ? Double.NaN : (double) s.stream().filter(x -> x.score() >= t).count() / s.size();
  }

  private static String pct(long k, long n) {
    if (n == 0) {
      return "-";
    }
    double p = 100.0 * k / n;
    return String.format(Locale.ROOT, p < 1 ? "%.3f%%" : "%.1f%%", p);
  }

  private static double quantile(double[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }
}
