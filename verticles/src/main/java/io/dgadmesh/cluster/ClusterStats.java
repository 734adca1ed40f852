package io.dgadmesh.cluster;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The leader's statistics: adds up the live nodes' counters and Redis's backlog into one
 * {@link Bus#STATS} message, publishes it on the event bus, and keeps it in Redis for tools
 * outside the cluster.
 */
final class ClusterStats {

  private final Vertx vertx;
  private final RedisStore store;
  private final String leaderId;
  private final long statsTtlMs;
  private final long leaderTtlMs;

  ClusterStats(Vertx vertx, RedisStore store, String leaderId, long statsTtlMs, long leaderTtlMs) {
    this.vertx = vertx;
    this.store = store;
    this.leaderId = leaderId;
    this.statsTtlMs = statsTtlMs;
    this.leaderTtlMs = leaderTtlMs;
  }

  /**
   * {@code live}: NodeInfo by id; {@code redisNodes}: the nodes registered in Redis, whose
   * in-flight names count too (a node gone from the cluster may still hold some).
   */
  Future<Void> publish(Map<String, JsonObject> live, Collection<String> redisNodes) {
    Set<String> ids = new HashSet<>(live.keySet());
    ids.addAll(redisNodes);
    return store.backlog(ids).compose(backlog -> {
      JsonObject stats = message(leaderId, live.values(), backlog.queueDepth(), backlog.inFlight());
      vertx.eventBus().publish(Bus.STATS, stats);
      return store.publishStats(stats, statsTtlMs, leaderId, leaderTtlMs);
    });
  }

  /** The dgad.stats message (see {@link Bus}). */
  static JsonObject message(String leader, Iterable<JsonObject> nodes, long queueDepth, long inFlight) {
    JsonArray list = new JsonArray();
    long classified = 0;
    long dga = 0;
    long throughput = 0;
    Map<String, Long> families = new HashMap<>();
    for (JsonObject n : nodes) {
      list.add(n);
      classified += n.getLong("classified", 0L);
      dga += n.getLong("dga", 0L);
      throughput += n.getLong("throughput", 0L);
      JsonObject f = n.getJsonObject("families", new JsonObject());
      for (String k : f.fieldNames()) {
        families.merge(k, f.getLong(k), Long::sum);
      }
    }
    JsonObject fam = new JsonObject();
    families.forEach((k, v) -> fam.put(k, v));
    return new JsonObject().put("time", System.currentTimeMillis()).put("leader", leader).put("nodes", list)
        .put("total", new JsonObject().put("classified", classified).put("dga", dga)
            .put("dga_share", classified == 0 ? 0.0 : (double) dga / classified).put("throughput", throughput)
            .put("families", fam))
        .put("queue_depth", queueDepth).put("in_flight", inFlight);
  }
}
