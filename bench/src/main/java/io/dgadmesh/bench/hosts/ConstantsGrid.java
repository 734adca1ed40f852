package io.dgadmesh.bench.hosts;

import io.dgadmesh.bench.hosts.TrafficGenerator.HostPlan;
import io.dgadmesh.hosts.HostScore;
import io.dgadmesh.hosts.HostScore.Params;
import io.dgadmesh.hosts.HostTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Scores the same generated hosts under several values of the host score's assumed constants (the
 * unseen-family share u and the NXDOMAIN ratio) and gives each the threshold the margin rule picks
 * from its own healthy hosts: the smallest multiple of 0.5 strictly above the highest healthy score
 * plus {@link #MARGIN}. Run on train traffic only; the test split is for the one choice made.
 */
final class ConstantsGrid {

  static final double[] UNSEEN_SHARES = {0.2, 0.25, 0.3, 0.35, 0.4};
  static final double[] NXDOMAIN = {3.5, 4.0};
  static final double MARGIN = 1.0;

  private ConstantsGrid() {}

  /** The constants with another u and NXDOMAIN ratio. */
  static Params with(Params p, double unseenShare, double nxdomain) {
    return new Params(unseenShare, nxdomain, p.resolved(), p.unique(), p.rare(), p.common(), p.burst(), p.offset(),
        p.cap(), p.threshold(), p.windowMillis(), p.burstMillis(), p.burstUnits(), p.commonHosts());
  }

  /**
   * The constants the table is built with, once, before each candidate scores its states: the
   * largest u and NXDOMAIN ratio. The widest candidate's figures are exact. A larger u also lowers
   * the evidence of a name the model calls DGA a little (at most {@link #slack()}), so under another
   * candidate a state may lack an entry that would have weighed up to that much (dropped, or evicted
   * from a full state first): its figures are close, not exact.
   */
  static Params widest(Params p) {
    return with(p, UNSEEN_SHARES[UNSEEN_SHARES.length - 1], NXDOMAIN[NXDOMAIN.length - 1]);
  }

  /** How much more an entry can weigh under any candidate than under {@link #widest}: ln((1 - u_min) / (1 - u_max)). */
  static double slack() {
    return Math.log((1 - UNSEEN_SHARES[0]) / (1 - UNSEEN_SHARES[UNSEEN_SHARES.length - 1]));
  }

  /** The threshold of the margin rule for a highest healthy score. */
  static double threshold(double highestHealthy) {
    return Math.floor((highestHealthy + MARGIN) / 0.5) * 0.5 + 0.5;
  }

  static void print(HostTable table, List<HostPlan> plans, PrintStream out) {
    out.println("| u | nxdomain | highest healthy | threshold | TPR (all) | TPR, 5 DGA queries | TPR, 10 DGA queries"
        + " | TPR, 10, paced | TPR, 10, 50% NXDOMAIN |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (double u : UNSEEN_SHARES) {
      for (double nx : NXDOMAIN) {
        HostScore scorer = new HostScore(with(HostScore.DEFAULTS, u, nx));
        List<HostTrafficBench.Scored> scored = new ArrayList<>(plans.size());
        double highest = 0;
        for (HostPlan p : plans) {
          double s = scorer.evaluate(table.host(p.host()).toState(), table.popularity()).score();
          scored.add(new HostTrafficBench.Scored(p, s, 0));
          if (!p.infected()) {
            highest = Math.max(highest, s);
          }
        }
        double t = threshold(highest);
        List<HostTrafficBench.Scored> infected = scored.stream().filter(x -> x.plan().infected()).toList();
        out.printf(Locale.ROOT, "| %.2f | %.1f | %.2f | %.1f | %s | %s | %s | %s | %s |%n", u, nx, highest, t,
            rate(infected, x -> true, t), rate(infected, x -> x.plan().infection().dgaQueries() == 5, t),
            rate(infected, x -> x.plan().infection().dgaQueries() == 10, t),
            rate(infected, x -> x.plan().infection().dgaQueries() == 10
                && x.plan().infection().timing() == TrafficGenerator.Timing.PACED, t),
            rate(infected, x -> x.plan().infection().dgaQueries() == 10 && x.plan().infection().nxShare() == 0.5, t));
      }
    }
    out.println();
  }

  private static String rate(List<HostTrafficBench.Scored> s, Predicate<HostTrafficBench.Scored> p,
      double t) {
    List<HostTrafficBench.Scored> sel = s.stream().filter(p).toList();
    long hit = sel.stream().filter(x -> x.score() >= t).count();
    return sel.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f%% (%d of %d)", 100.0 * hit / sel.size(), hit,
        sel.size());
  }
}
