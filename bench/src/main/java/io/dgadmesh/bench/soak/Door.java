package io.dgadmesh.bench.soak;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The doors the soak loads, each with how many names one call carries, how many calls may wait
 * for an answer at once, how long a call may take, and the default rate in names per second.
 * The defaults keep a 2-core machine's node at about half its capacity with every door busy at
 * once (README, Bench: each door's rate over its capacity there, summed); {@code --rate DOOR=N}
 * sets one. The Redis door's timeout is long: after a restart it first answers the names of the
 * backlog, in random order.
 */
enum Door {
  REDIS("redis", "Redis SADD domains_todo", 100, 5_000, 180_000, 2_000),
  GRPC4("grpc4", "gRPC dgad 4.x", 1, 256, 10_000, 1_500),
  GRPC3("grpc3", "gRPC dgad 3.x", 1, 256, 10_000, 500),
  BATCH("batch", "gRPC ClassifyBatch", 100, 32, 10_000, 10_000),
  STREAM("stream", "gRPC ClassifyStream", 100, 64, 10_000, 5_000),
  CLASSIFY("classify", "HTTP POST /api/classify", 50, 32, 10_000, 3_000),
  JOBS("jobs", "HTTP POST /api/jobs", 1_000, 64, 600_000, 500),
  /** Not a door: the hostile client's calls over several doors, as one row. */
  HOSTILE("hostile", "hostile client", 1, 64, 30_000, 20);

  final String key;
  final String label;
  final int namesPerCall;
  final int maxInFlight;
  final long timeoutMs;
  final int defaultRate;
  /**
   * True when the load times each name itself rather than each call: the Redis door answers a
   * SADD's names one by one, in the random order SPOP takes them.
   */
  final boolean timesNames;

  Door(String key, String label, int namesPerCall, int maxInFlight, long timeoutMs, int defaultRate) {
    this.key = key;
    this.label = label;
    this.namesPerCall = namesPerCall;
    this.maxInFlight = maxInFlight;
    this.timeoutMs = timeoutMs;
    this.defaultRate = defaultRate;
    this.timesNames = key.equals("redis");
  }

  /** The door named {@code key} (as in {@code --rate KEY=N}); the error lists the keys. */
  static Door of(String key) {
    for (Door d : values()) {
      if (d.key.equals(key.toLowerCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new IllegalArgumentException("no door '" + key + "' (doors: " + keys() + ")");
  }

  static String keys() {
    return Arrays.stream(values()).map(d -> d.key).collect(Collectors.joining(", "));
  }
}
