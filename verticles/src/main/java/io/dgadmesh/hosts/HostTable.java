package io.dgadmesh.hosts;

import io.dgadmesh.ingest.DnsRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline aggregator of {@code bin/dgad hosts}: every record goes to its client's
 * {@link HostEvidence}, every public registrable domain to the {@link PopularityTable}, and once
 * the input is read {@link #ranked()} scores each host with the popularity of the whole input.
 * Bounded: at most {@code maxHosts} hosts are tracked; records of further hosts are counted
 * ({@link #overflowRecords()}, {@link #overflowHosts()}) and otherwise ignored, so a log with
 * a million spoofed sources cannot exhaust the heap. Not thread-safe: one reader feeds it.
 */
public final class HostTable {

  public static final int DEFAULT_MAX_HOSTS = 50_000;
  public static final int DEFAULT_MAX_UNITS = 2_000_000;

  private final HostScore scorer;
  private final int maxHosts;
  private final PopularityTable popularity;
  private final Map<String, Tracked> hosts = new HashMap<>();
  private final DistinctCounter overflowHosts = new DistinctCounter(1024);
  private long records;
  private long overflowRecords;

  private record Tracked(int id, HostEvidence evidence) {}

  public HostTable(HostScore scorer) {
    this(scorer, DEFAULT_MAX_HOSTS, DEFAULT_MAX_UNITS);
  }

  /**
   * @param maxHosts hosts tracked at most
   * @param maxUnits registrable domains whose popularity is counted at most
   */
  public HostTable(HostScore scorer, int maxHosts, int maxUnits) {
    if (maxHosts < 1) {
      throw new IllegalArgumentException("maxHosts must be positive, got " + maxHosts);
    }
    this.scorer = scorer;
    this.maxHosts = maxHosts;
    this.popularity = new PopularityTable(scorer.params().commonHosts(), maxUnits);
  }

  /** Adds one record with the verdict on its query name. */
  public void add(DnsRecord r, NameVerdict v) {
    records++;
    Tracked t = hosts.get(r.client());
    if (t == null) {
      if (hosts.size() >= maxHosts) {
        overflowRecords++;
        overflowHosts.add(r.client());
        return;
      }
      t = new Tracked(hosts.size(), new HostEvidence(r.client(), scorer));
      hosts.put(r.client(), t);
    }
    t.evidence().add(r, v);
    if (v.registrableDomain() != null && (v.scope() == NameScope.PUBLIC || v.scope() == NameScope.ALLOWLISTED)) {
      popularity.record(v.unitHash(), t.id());
    }
  }

  /** Every tracked host's report, highest score first. */
  public List<HostReport> ranked() {
    List<HostReport> out = new ArrayList<>(hosts.size());
    for (Tracked t : hosts.values()) {
      out.add(HostReport.of(t.evidence().toState(), t.evidence().score(popularity)));
    }
    out.sort(HostReport.RANKING);
    return out;
  }

  /** One tracked host's state, or null. */
  public HostEvidence host(String client) {
    Tracked t = hosts.get(client);
    return t == null ? null : t.evidence();
  }

  public Popularity popularity() {
    return popularity;
  }

  public HostScore scorer() {
    return scorer;
  }

  public int hosts() {
    return hosts.size();
  }

  public long records() {
    return records;
  }

  /** Records of hosts past {@code maxHosts}, not aggregated. */
  public long overflowRecords() {
    return overflowRecords;
  }

  /** Distinct hosts past {@code maxHosts} (estimated beyond a thousand). */
  public long overflowHosts() {
    return overflowHosts.count();
  }

  /** Registrable domains whose popularity could not be counted because the table was full. */
  public long popularityOverflow() {
    return popularity.overflow();
  }
}
