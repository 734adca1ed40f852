package io.dgadmesh.hosts;

import io.dgadmesh.ingest.DnsRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host score: evidence that a host runs a DGA, summed over the distinct registrable domains it
 * queried within a time window. A pure function of the host's evidence entries
 * ({@link DomainEvidence}, one per registrable domain) and of a {@link Popularity} lookup, so the
 * live path can recompute it whenever it reads a host's state.
 *
 * <p>For each registrable domain {@code d} the host queried (names the {@link NameRules} put in
 * another scope than {@link NameScope#PUBLIC} never get this far), the log-likelihood ratio of
 * "queried by a DGA" against "queried by a healthy host" adds independent parts:
 *
 * <pre>
 *   λ(d) = λ_name(score(d))        the model's score (NameEvidence: ln((1-u)·LR(score) + u))
 *        + λ_answer(d)             NXDOMAIN: + nxdomain; resolved: + resolved (negative); none: 0
 *        + λ_spread(hosts(d))      only this host asked: + unique; 2 .. commonHosts-1 hosts: + rare;
 *                                  commonHosts or more: + common (negative); unknown: 0
 *        + λ_burst(d)              + burst when d is NXDOMAIN and at least burstUnits NXDOMAIN domains
 *                                  that are not common (d included) were first queried within
 *                                  burstMillis of each other
 * </pre>
 *
 * <p>A healthy host queries hundreds of domains and a DGA host hides a few among them, so the
 * evidence of the whole host is not the plain sum (every benign domain would pull it down by a
 * little, and busy hosts would hide anything). Under "each domain is the DGA's with a small prior
 * probability π", a domain adds {@code ln(1 - π + π·e^λ)}, which is about {@code max(0, λ - ln(1/π))}:
 * only domains whose evidence beats the prior odds count, the classic positive-part (CUSUM) form.
 * Each domain's weight is also capped, so that a single name, however strange, never flags a host
 * alone:
 *
 * <pre>
 *   w(d)  = min(cap, max(0, λ(d) - offset))                offset = ln(1/π)
 *   score = max over windows [t, t + windowMillis) of  Σ w(d)  over d first queried in the window
 *   infected  ⇔  score ≥ threshold
 * </pre>
 *
 * <p>Rules applied here, on top of the name scopes:
 * <ul>
 *   <li><b>one unit per registrable domain</b>: random subdomains of one parent (CDN object names,
 *       {@code r3---sn-abc.googlevideo.com}, telemetry hashes) count once, judged on the parent;</li>
 *   <li><b>shared-suffix tenant</b>: a name that resolves under a provider's public suffix
 *       ({@code d1a2b3c4.cloudfront.net}, {@code x.azureedge.net}) is that provider's customer, not
 *       evidence ({@link HostEvidence} does not make it an entry); one that does not resolve stays
 *       evidence on its own (a DGA on dynamic DNS);</li>
 *   <li><b>provider in use</b>: names that do not resolve under a provider's suffix weigh nothing
 *       when the host's names under that provider mostly resolve (at least
 *       {@link #PROVIDER_IN_USE_RATIO} resolved queries per unresolved name): they are stale objects
 *       of a CDN the host uses, while a DGA on a dynamic-DNS provider, whose names mostly do not
 *       resolve, still counts name by name;</li>
 *   <li><b>typo</b>: a domain one edit away from a common domain ({@link Popularity#nearCommon})
 *       weighs nothing;</li>
 *   <li><b>names that no other host queried</b> weigh more, names most hosts query weigh less
 *       (the spread term).</li>
 * </ul>
 * Entries without a time (a log without times) count in every window.
 */
public final class HostScore {

  /**
   * The score's constants. The LLR parts are the assumed log ratios of how often a DGA's domain
   * and a benign domain show each trait; {@code threshold} was chosen on generated traffic from the
   * train split (bench/RESULTS.md, "Per-host detection").
   */
  public record Params(double unseenShare, double nxdomain, double resolved, double unique, double rare,
      double common, double burst, double offset, double cap, double threshold, long windowMillis,
      long burstMillis, int burstUnits, int commonHosts) {

    public Params {
      if (!(unseenShare > 0 && unseenShare < 1)) {
        throw new IllegalArgumentException("unseenShare must be between 0 and 1, got " + unseenShare);
      }
      if (!(cap > 0) || !(offset >= 0) || !(threshold > 0)) {
        throw new IllegalArgumentException("cap and threshold must be positive and offset not negative");
      }
      if (windowMillis <= 0 || burstMillis <= 0 || burstUnits < 2 || commonHosts < 2) {
        throw new IllegalArgumentException("windowMillis, burstMillis positive; burstUnits, commonHosts at least 2");
      }
    }

    public Params withThreshold(double t) {
      return new Params(unseenShare, nxdomain, resolved, unique, rare, common, burst, offset, cap, t, windowMillis,
          burstMillis, burstUnits, commonHosts);
    }

    public Params withWindowMillis(long w) {
      return new Params(unseenShare, nxdomain, resolved, unique, rare, common, burst, offset, cap, threshold, w,
          burstMillis, burstUnits, commonHosts);
    }
  }

  /** The shipped constants (hosts.windowMinutes defaults to 60). */
  public static final Params DEFAULTS = new Params(
      0.4,   // unseenShare: two DGA names in five from families the model has not seen (chosen on train traffic)
      4.0,   // nxdomain: most DGA domains are unregistered; few benign ones are (chosen with unseenShare)
      -1.5,  // resolved: most benign domains exist; a DGA's registered ones are the few
      1.0,   // unique: a DGA's domains are its own; a healthy host's mostly shared
      0.5,   // rare
      -2.5,  // common: a domain most hosts query is not one host's DGA
      1.0,   // burst: a DGA walks its list in quick succession
      2.3,   // offset: ln(1/π) with π = 0.1
      5.0,   // cap per domain
      8.0,   // threshold: the lowest even one that flagged none of 20,000 healthy hosts of train traffic
      60 * 60_000L, 60_000L, 3, 4);

  /** Resolved queries per unresolved name under a provider from which the provider counts once. */
  public static final int PROVIDER_IN_USE_RATIO = 2;

  /** How many distinct hosts queried a unit, in the classes the score uses. */
  public enum Spread {
    UNIQUE, RARE, COMMON, UNKNOWN
  }

  /** Why an entry that could weigh was set to weigh nothing. */
  public enum Muted {
    NO,
    /** One edit from a common domain: a typo of it. */
    TYPO,
    /** Under a provider whose names mostly resolve for this host: a stale object of a service in use. */
    PROVIDER_IN_USE
  }

  /** One entry as the score saw it. */
  public record Weighed(DomainEvidence evidence, Spread spread, boolean burst, Muted muted, double llr,
      double weight) {}

  /**
   * @param score the host score
   * @param infected {@code score >= threshold}
   * @param windowStartMillis start of the window that gave the score (UNKNOWN_TIME when no entry has a time)
   * @param weighed every entry, heaviest first
   */
  public record Result(double score, boolean infected, long windowStartMillis, List<Weighed> weighed) {}

  private final Params params;
  /** λ_name per score bin, so a record costs no logarithm. */
  private final double[] nameLlr = new double[NameEvidence.BINS];
  /** The largest λ(d) - offset a resolved and an unanswered name can reach, less its λ_name. */
  private final double resolvedHeadroom;
  private final double unansweredHeadroom;

  /** The shipped constants with the operator's threshold (hosts.threshold): what every door scores hosts with. */
  public static HostScore atThreshold(double threshold) {
    return new HostScore(DEFAULTS.withThreshold(threshold));
  }

  public HostScore(Params params) {
    this.params = params;
    for (int b = 0; b < nameLlr.length; b++) {
      nameLlr[b] = NameEvidence.llrOfBin(b, params.unseenShare());
    }
    double best = Math.max(Math.max(params.unique(), params.rare()), 0);
    resolvedHeadroom = params.resolved() + best - params.offset();
    unansweredHeadroom = best - params.offset();
  }

  /**
   * False when a name with this score and answer can never weigh, wherever it stands (a quick
   * test for the many records of benign names; NXDOMAIN names are always worth a look).
   */
  boolean mayWeigh(float score, DomainEvidence.Answer answer) {
    double name = Float.isNaN(score) ? 0 : nameLlr[NameEvidence.bin(score)];
    return switch (answer) {
      case NXDOMAIN -> true;
      case RESOLVED -> name + resolvedHeadroom > 0;
      case UNANSWERED -> name + unansweredHeadroom > 0;
    };
  }

  public Params params() {
    return params;
  }

  public Spread spread(int hosts) {
    if (hosts == Popularity.UNKNOWN) {
      return Spread.UNKNOWN;
    }
    if (hosts <= 1) {
      return Spread.UNIQUE;
    }
    return hosts >= params.commonHosts() ? Spread.COMMON : Spread.RARE;
  }

  /** λ(d) of the class comment. */
  public double llr(DomainEvidence e, Spread spread, boolean burst) {
    double l = Float.isNaN(e.score()) ? 0 : nameLlr[NameEvidence.bin(e.score())];
    l += switch (e.answer()) {
      case NXDOMAIN -> params.nxdomain();
      case RESOLVED -> params.resolved();
      case UNANSWERED -> 0;
    };
    l += switch (spread) {
      case UNIQUE -> params.unique();
      case RARE -> params.rare();
      case COMMON -> params.common();
      case UNKNOWN -> 0;
    };
    return burst ? l + params.burst() : l;
  }

  /** w(d) of the class comment. */
  public double weight(double llr) {
    return Math.min(params.cap(), Math.max(0, llr - params.offset()));
  }

  /**
   * The most an entry could weigh, whatever the other hosts and entries turn out to be (only this
   * host asked, in a burst). An entry whose potential is 0 can never count, so a host's state need
   * not keep it.
   */
  public double potential(DomainEvidence e) {
    return weight(llr(e, Spread.UNIQUE, e.answer() == DomainEvidence.Answer.NXDOMAIN));
  }

  /** The score of a host's state under a popularity lookup. */
  public Result evaluate(HostState state, Popularity popularity) {
    return evaluate(state.evidence(), state.providers(), popularity);
  }

  /**
   * The score of a host's entries under a popularity lookup.
   *
   * @param providers per provider domain, how many of the host's queries resolved under it
   */
  public Result evaluate(Collection<DomainEvidence> entries, Map<String, Long> providers, Popularity popularity) {
    int n = entries.size();
    List<DomainEvidence> list = new ArrayList<>(entries);
    Spread[] spreads = new Spread[n];
    Muted[] muted = new Muted[n];
    Map<String, Integer> unresolvedPerProvider = new HashMap<>();
    for (DomainEvidence e : list) {
      if (e.owner() != null) {
        unresolvedPerProvider.merge(e.owner(), 1, Integer::sum);
      }
    }
    for (int i = 0; i < n; i++) {
      DomainEvidence e = list.get(i);
      spreads[i] = spread(popularity.hosts(e.unit()));
      muted[i] = Muted.NO;
      if (e.owner() != null
          && providers.getOrDefault(e.owner(), 0L) >= PROVIDER_IN_USE_RATIO * unresolvedPerProvider.get(e.owner())) {
        muted[i] = Muted.PROVIDER_IN_USE;
      } else if (spreads[i] != Spread.COMMON && weight(llr(e, spreads[i], true)) > 0
          && popularity.nearCommon(e.unit(), params.commonHosts())) {
        // The typo test costs a few hundred lookups: only for entries that could weigh.
        muted[i] = Muted.TYPO;
      }
    }
    boolean[] bursts = bursts(list, spreads, muted);
    List<Weighed> weighed = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      DomainEvidence e = list.get(i);
      double l = llr(e, spreads[i], bursts[i]);
      weighed.add(new Weighed(e, spreads[i], bursts[i], muted[i], l, muted[i] == Muted.NO ? weight(l) : 0));
    }
    double untimed = 0;
    List<Weighed> timed = new ArrayList<>(n);
    for (Weighed w : weighed) {
      if (w.evidence().hasTime()) {
        timed.add(w);
      } else {
        untimed += w.weight();
      }
    }
    timed.sort(Comparator.comparingLong(w -> w.evidence().timeMillis()));
    double best = 0;
    long bestStart = DnsRecord.UNKNOWN_TIME;
    double sum = 0;
    int end = 0;
    for (int start = 0; start < timed.size(); start++) {
      long from = timed.get(start).evidence().timeMillis();
      while (end < timed.size() && timed.get(end).evidence().timeMillis() - from < params.windowMillis()) {
        sum += timed.get(end).weight();
        end++;
      }
      if (sum > best || bestStart == DnsRecord.UNKNOWN_TIME) {
        best = sum;
        bestStart = from;
      }
      sum -= timed.get(start).weight();
    }
    double score = best + untimed;
    weighed.sort(Comparator.comparingDouble(Weighed::weight).reversed()
        .thenComparing(Comparator.comparingDouble(Weighed::llr).reversed())
        .thenComparing(w -> w.evidence().unit()));
    return new Result(score, score >= params.threshold(), bestStart, List.copyOf(weighed));
  }

  /** Which NXDOMAIN entries sit in a burst of burstUnits not-common NXDOMAIN domains. */
  private boolean[] bursts(List<DomainEvidence> list, Spread[] spreads, Muted[] muted) {
    int n = list.size();
    boolean[] out = new boolean[n];
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DomainEvidence e = list.get(i);
      if (e.answer() == DomainEvidence.Answer.NXDOMAIN && e.hasTime() && spreads[i] != Spread.COMMON
          && muted[i] == Muted.NO) {
        candidates.add(i);
      }
    }
    candidates.sort(Comparator.comparingLong(i -> list.get(i).timeMillis()));
    // A sliding window of burstMillis over the candidates' times marks every member of a full window.
    int from = 0;
    for (int to = 0; to < candidates.size(); to++) {
      long t = list.get(candidates.get(to)).timeMillis();
      while (t - list.get(candidates.get(from)).timeMillis() > params.burstMillis()) {
        from++;
      }
      if (to - from + 1 >= params.burstUnits()) {
        for (int k = from; k <= to; k++) {
          out[candidates.get(k)] = true;
        }
      }
    }
    return out;
  }
}
