package io.dgadmesh.bench.soak;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a soak runs: its length, how often the node is restarted (by uptime since it was last
 * ready; zero: never), how often a report row is taken, the rate of each door (names per second;
 * calls per second for the hostile client), how long the end may take to answer what is still
 * in flight, the seed of the hostile inputs, and the ramp: how long the callers take to reach their
 * rates from zero. Real clients do not open at full rate on a node whose JIT has compiled nothing
 * yet; without a ramp the first minute measures the cold start, not the node.
 */
public record SoakPlan(Duration length, Duration restartEvery, Duration interval, Map<Door, Integer> rates,
                       Duration drain, long seed, Duration ramp) {

  public SoakPlan {
    if (length.isNegative() || length.isZero() || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("a soak needs a length and a report interval above zero");
    }
    if (restartEvery.isNegative()) {
      throw new IllegalArgumentException("--restart-every must be zero (never) or more");
    }
    if (ramp.isNegative() || ramp.compareTo(length) > 0) {
      throw new IllegalArgumentException("--ramp must be between zero and the soak's length");
    }
    EnumMap<Door, Integer> all = new EnumMap<>(Door.class);
    for (Door d : Door.values()) {
      int r = rates.getOrDefault(d, d.defaultRate);
      if (r < 0) {
        throw new IllegalArgumentException("--rate " + d.key + ": must be 0 (off) or more");
      }
      all.put(d, r);
    }
    rates = Map.copyOf(all);
  }

  /**
   * The defaults of {@code bin/dgad bench --soak MINUTES}: a restart every 5 minutes, a row a
   * minute, a 30 s ramp (shorter soaks: a tenth of their length).
   */
  public static SoakPlan of(Duration length) {
    Duration ramp = Duration.ofSeconds(30).compareTo(length.dividedBy(10)) < 0 ? Duration.ofSeconds(30) : length.dividedBy(10);
    return new SoakPlan(length, Duration.ofMinutes(5), Duration.ofMinutes(1), Map.of(), Duration.ofMinutes(5), 20261212L, ramp);
  }

  public SoakPlan withRamp(Duration d) {
    return new SoakPlan(length, restartEvery, interval, rates, drain, seed, d);
  }

  public SoakPlan withRestartEvery(Duration d) {
    return new SoakPlan(length, d, interval, rates, drain, seed, ramp);
  }

  public SoakPlan withInterval(Duration d) {
    return new SoakPlan(length, restartEvery, d, rates, drain, seed, ramp);
  }

  public SoakPlan withDrain(Duration d) {
    return new SoakPlan(length, restartEvery, interval, rates, d, seed, ramp);
  }

  /** These rates over the others, keyed as in {@code --rate KEY=N} (redis, grpc4, ..., hostile). */
  public SoakPlan withRates(Map<String, Integer> byKey) {
    EnumMap<Door, Integer> r = new EnumMap<>(rates);
    byKey.forEach((k, v) -> r.put(Door.of(k), v));
    return new SoakPlan(length, restartEvery, interval, r, drain, seed, ramp);
  }

  /** Calls per second of a door. */
  double callsPerSecond(Door d) {
    return rates.get(d) / (double) d.namesPerCall;
  }
}
