package io.dgadmesh.bench.soak;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a soak runs: its length, how often the node is restarted (by uptime since it was last
 * ready; zero: never), how often a report row is taken, the rate of each door (names per second;
 * calls per second for the hostile client), how long the end may take to answer what is still
 * in flight, and the seed of the hostile inputs.
 */
public record SoakPlan(Duration length, Duration restartEvery, Duration interval, Map<Door, Integer> rates,
                       Duration drain, long seed) {

  public SoakPlan {
    if (length.isNegative() || length.isZero() || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("a soak needs a length and a report interval above zero");
    }
    if (restartEvery.isNegative()) {
      throw new IllegalArgumentException("--restart-every must be zero (never) or more");
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

  /** The defaults of {@code bin/dgad bench --soak MINUTES}: a restart every 5 minutes, a row a minute. */
  public static SoakPlan of(Duration length) {
    return new SoakPlan(length, Duration.ofMinutes(5), Duration.ofMinutes(1), Map.of(), Duration.ofMinutes(5), 20261212L);
  }

  public SoakPlan withRestartEvery(Duration d) {
    return new SoakPlan(length, d, interval, rates, drain, seed);
  }

  public SoakPlan withInterval(Duration d) {
    return new SoakPlan(length, restartEvery, d, rates, drain, seed);
  }

  public SoakPlan withDrain(Duration d) {
    return new SoakPlan(length, restartEvery, interval, rates, d, seed);
  }

  /** These rates over the others, keyed as in {@code --rate KEY=N} (redis, grpc4, ..., hostile). */
  public SoakPlan withRates(Map<String, Integer> byKey) {
    EnumMap<Door, Integer> r = new EnumMap<>(rates);
    byKey.forEach((k, v) -> r.put(Door.of(k), v));
    return new SoakPlan(length, restartEvery, interval, r, drain, seed);
  }

  /** Calls per second of a door. */
  double callsPerSecond(Door d) {
    return rates.get(d) / (double) d.namesPerCall;
  }
}
