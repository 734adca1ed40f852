package io.dgadmesh.hosts;

import io.dgadmesh.ingest.DnsRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One host's state, updated query by query, in bounded memory whatever the host sends:
 * <ul>
 *   <li>counters: queries, NXDOMAIN answers, first and last seen;</li>
 *   <li>distinct names, registrable domains, DGA names and NXDOMAIN registrable domains, each in a
 *       {@link DistinctCounter}: exact up to {@link #SKETCH_CAPACITY} distinct values, then
 *       estimated (K-minimum-values, about 9% relative error);</li>
 *   <li>families: distinct DGA names per family, counted while the DGA-name counter is exact; past
 *       {@link #SKETCH_CAPACITY} distinct DGA names they stop growing (the counter then estimates,
 *       and cannot tell a new name from a repeat). At most {@link #MAX_FAMILIES} families; more
 *       are counted under {@code other};</li>
 *   <li>context: queries per non-evidence scope (the name rules at work);</li>
 *   <li>providers: per provider domain, queries that resolved under it (at most
 *       {@link #MAX_PROVIDERS} providers; later ones are not counted);</li>
 *   <li>evidence: one {@link DomainEvidence} per registrable domain that could weigh on the score
 *       ({@link HostScore#potential} above 0), at most {@link #MAX_EVIDENCE}; when full, the entry
 *       that could weigh least (the oldest among equals) gives way, or the newcomer is dropped if
 *       it could weigh less than all of them ({@link #evidenceDropped()}).</li>
 * </ul>
 * Not thread-safe: one aggregator owns a host.
 */
public final class HostEvidence {

  public static final int SKETCH_CAPACITY = 128;
  public static final int MAX_EVIDENCE = 64;
  public static final int MAX_FAMILIES = 32;
  public static final int MAX_PROVIDERS = 32;
  static final String OTHER_FAMILY = "other";
  static final String SHARED_SUFFIX_TENANT = "shared_suffix_tenant";

  private final String host;
  private final HostScore scorer;
  private long queries;
  private long nxdomain;
  private long firstSeen = DnsRecord.UNKNOWN_TIME;
  private long lastSeen = DnsRecord.UNKNOWN_TIME;
  private final DistinctCounter names;
  private final DistinctCounter domains;
  private final DistinctCounter dgaNames;
  private final DistinctCounter nxDomains;
  private final Map<String, Integer> families = new TreeMap<>();
  private final Map<String, Long> context = new TreeMap<>();
  private final Map<String, Long> providers = new TreeMap<>();
  private final Map<String, Slot> entries = new HashMap<>();
  private long evidenceDropped;

  /** An entry and its potential, computed once per change rather than at every eviction. */
  private record Slot(DomainEvidence evidence, double potential) {}

  public HostEvidence(String host, HostScore scorer) {
    this(host, scorer, new DistinctCounter(SKETCH_CAPACITY), new DistinctCounter(SKETCH_CAPACITY),
        new DistinctCounter(SKETCH_CAPACITY), new DistinctCounter(SKETCH_CAPACITY));
  }

  private HostEvidence(String host, HostScore scorer, DistinctCounter names, DistinctCounter domains,
      DistinctCounter dgaNames, DistinctCounter nxDomains) {
    this.host = host == null ? "" : host;
    this.scorer = scorer;
    this.names = names;
    this.domains = domains;
    this.dgaNames = dgaNames;
    this.nxDomains = nxDomains;
  }

  /** Adds one query of this host, with the verdict on its name. */
  public void add(DnsRecord r, NameVerdict v) {
    queries++;
    long t = r.timeMillis();
    if (r.hasTime()) {
      firstSeen = firstSeen == DnsRecord.UNKNOWN_TIME ? t : Math.min(firstSeen, t);
      lastSeen = lastSeen == DnsRecord.UNKNOWN_TIME ? t : Math.max(lastSeen, t);
    }
    names.addHash(v.nameHash());
    String unit = v.registrableDomain();
    if (unit != null) {
      domains.addHash(v.unitHash());
    }
    if (r.nxdomain()) {
      nxdomain++;
      if (unit != null) {
        nxDomains.addHash(v.unitHash());
      }
    }
    if (v.dga() && dgaNames.addHash(v.nameHash())) {
      String family = v.family() == null ? "unknown" : v.family();
      if (!families.containsKey(family) && families.size() >= MAX_FAMILIES) {
        family = OTHER_FAMILY;
      }
      families.merge(family, 1, Integer::sum);
    }
    if (!v.scope().evidence()) {
      context.merge(v.scope().id(), 1L, Long::sum);
      return;
    }
    DomainEvidence.Answer answer = DomainEvidence.Answer.of(r.rcode());
    if (v.sharedSuffixOwner() != null && answer == DomainEvidence.Answer.RESOLVED) {
      // Shared-suffix tenant rule: a resolved name under a provider's suffix is its customer.
      context.merge(SHARED_SUFFIX_TENANT, 1L, Long::sum);
      if (providers.containsKey(v.sharedSuffixOwner()) || providers.size() < MAX_PROVIDERS) {
        providers.merge(v.sharedSuffixOwner(), 1L, Long::sum);
      }
      entries.remove(unit);
      return;
    }
    offer(unit, v, answer, t);
  }

  private void offer(String unit, NameVerdict v, DomainEvidence.Answer answer, long t) {
    Slot old = entries.get(unit);
    if (old == null && !scorer.mayWeigh(v.score(), answer)) {
      return; // the common case: a name that can never weigh, and no entry to update
    }
    DomainEvidence e = old == null
        ? new DomainEvidence(unit, v.sharedSuffixOwner(), v.shownName(), v.score(), v.family(), answer, t, 1)
        : old.evidence().plus(answer, t);
    double potential = scorer.potential(e);
    if (potential <= 0) {
      if (old != null) {
        entries.remove(unit);
      }
      return;
    }
    if (old == null && entries.size() >= MAX_EVIDENCE) {
      Slot weakest = null;
      for (Slot x : entries.values()) {
        if (weakest == null || x.potential() < weakest.potential()
            || (x.potential() == weakest.potential() && x.evidence().timeMillis() < weakest.evidence().timeMillis())) {
          weakest = x;
        }
      }
      evidenceDropped++;
      if (weakest.potential() > potential) {
        return;
      }
      entries.remove(weakest.evidence().unit());
    }
    entries.put(unit, new Slot(e, potential));
  }

  /** Drops entries first queried before {@code sinceMillis}: the live path's sliding window. */
  public void dropEvidenceBefore(long sinceMillis) {
    entries.values().removeIf(x -> x.evidence().hasTime() && x.evidence().timeMillis() < sinceMillis);
  }

  public String host() {
    return host;
  }

  public long queries() {
    return queries;
  }

  public List<DomainEvidence> evidence() {
    List<DomainEvidence> out = new ArrayList<>(entries.size());
    for (Slot x : entries.values()) {
      out.add(x.evidence());
    }
    return out;
  }

  /** The host's score under a popularity lookup. */
  public HostScore.Result score(Popularity popularity) {
    return scorer.evaluate(evidence(), providers, popularity);
  }

  public HostState toState() {
    return new HostState(host, queries, nxdomain, firstSeen, lastSeen, sketch(names), sketch(domains),
        sketch(dgaNames), sketch(nxDomains), families, context, providers, evidence(), evidenceDropped);
  }

  private static HostState.Sketch sketch(DistinctCounter c) {
    return new HostState.Sketch(c.hashes(), c.saturated());
  }

  /** A working state from a stored one; the scorer decides which entries may be kept. */
  public static HostEvidence fromState(HostState s, HostScore scorer) {
    HostEvidence h = new HostEvidence(s.host(), scorer, counter(s.names()), counter(s.registrableDomains()),
        counter(s.dgaNames()), counter(s.nxdomainRegistrableDomains()));
    h.queries = s.queries();
    h.nxdomain = s.nxdomain();
    h.firstSeen = s.firstSeenMillis();
    h.lastSeen = s.lastSeenMillis();
    h.families.putAll(s.families());
    h.context.putAll(s.context());
    h.providers.putAll(s.providers());
    h.evidenceDropped = s.evidenceDropped();
    for (DomainEvidence e : s.evidence()) {
      if (h.entries.size() < MAX_EVIDENCE) {
        h.entries.put(e.unit(), new Slot(e, scorer.potential(e)));
      } else {
        h.evidenceDropped++;
      }
    }
    return h;
  }

  private static DistinctCounter counter(HostState.Sketch s) {
    long[] hashes = s.hashes();
    if (hashes.length > SKETCH_CAPACITY) {
      throw new IllegalArgumentException("a sketch holds at most " + SKETCH_CAPACITY + " hashes, got " + hashes.length);
    }
    return DistinctCounter.of(SKETCH_CAPACITY, hashes, s.saturated());
  }
}
