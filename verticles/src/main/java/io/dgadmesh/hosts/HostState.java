package io.dgadmesh.hosts;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A host's state in a compact, storable form: counters, four distinct-count sketches, the family
 * counts, the context counts and the bounded list of evidence entries. {@link HostEvidence} turns
 * it back into a working state; {@link HostStateJson} writes and reads it as JSON. The score needs
 * only {@link #evidence()} (and a popularity lookup), so a store that keeps a sliding window drops
 * entries older than the window and recomputes the score on read.
 *
 * @param host the client address
 * @param queries queries seen
 * @param nxdomain queries answered NXDOMAIN
 * @param firstSeenMillis time of the earliest query with a time, or UNKNOWN_TIME
 * @param lastSeenMillis time of the latest query with a time, or UNKNOWN_TIME
 * @param names distinct names queried
 * @param registrableDomains distinct registrable domains queried
 * @param dgaNames distinct names the model called DGA
 * @param nxdomainRegistrableDomains distinct registrable domains answered NXDOMAIN
 * @param families family to the number of distinct DGA names of it (see {@link HostEvidence#MAX_FAMILIES})
 * @param context queries per name scope that is not evidence ({@link NameScope#id()}), and
 *     {@code shared_suffix_tenant} for resolved names under a provider's suffix
 * @param providers per provider domain ({@link NameVerdict#sharedSuffixOwner()}), the host's queries
 *     that resolved under it; at most {@link HostEvidence#MAX_PROVIDERS} providers
 * @param evidence at most {@link HostEvidence#MAX_EVIDENCE} entries, one per registrable domain
 * @param evidenceDropped entries not kept because the list was full of weightier ones
 */
public record HostState(String host, long queries, long nxdomain, long firstSeenMillis, long lastSeenMillis,
    Sketch names, Sketch registrableDomains, Sketch dgaNames, Sketch nxdomainRegistrableDomains,
    Map<String, Integer> families, Map<String, Long> context, Map<String, Long> providers, List<DomainEvidence> evidence,
    long evidenceDropped) {

  /** A {@link DistinctCounter}'s state: its kept hashes (ascending) and whether it has saturated. */
  public record Sketch(long[] hashes, boolean saturated) {
    public Sketch {
      hashes = hashes == null ? new long[0] : hashes.clone();
    }

    @Override
    public long[] hashes() {
      return hashes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sketch s && s.saturated == saturated && Arrays.equals(s.hashes, hashes);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(hashes) + Boolean.hashCode(saturated);
    }

    @Override
    public String toString() {
      return "Sketch[" + hashes.length + (saturated ? " hashes, saturated]" : " hashes]");
    }
  }

  public HostState {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(registrableDomains, "registrableDomains");
    Objects.requireNonNull(dgaNames, "dgaNames");
    Objects.requireNonNull(nxdomainRegistrableDomains, "nxdomainRegistrableDomains");
    families = Map.copyOf(families == null ? Map.of() : families);
    context = Map.copyOf(context == null ? Map.of() : context);
    providers = Map.copyOf(providers == null ? Map.of() : providers);
    evidence = List.copyOf(evidence == null ? List.of() : evidence);
  }
}
