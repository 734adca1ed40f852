package io.dgadmesh.hostwatch;

import io.dgadmesh.hosts.Popularity;
import java.util.Map;
import java.util.Set;

/**
 * Popularity on the live path: exact counts (from Redis's HyperLogLogs) for the units of the
 * host being scored, and the cluster's set of common units for any other unit, which is all a
 * typo check asks ("is a neighbour common?").
 */
final class LivePopularity implements Popularity {
  private final Map<String, Integer> counted;
  private final Set<String> common;
  private final int commonHosts;

  LivePopularity(Map<String, Integer> counted, Set<String> common, int commonHosts) {
    this.counted = counted;
    this.common = common;
    this.commonHosts = commonHosts;
  }

  @Override
  public int hosts(String unit) {
    Integer n = counted.get(unit);
    if (n != null) {
      return n;
    }
    return common.contains(unit) ? commonHosts : UNKNOWN;
  }
}
