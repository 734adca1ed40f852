package io.dgadmesh.web;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.cluster.ClusterContext;
import io.dgadmesh.cluster.LeaderVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /api/cluster}: {@code {"leader": id, "nodes": [...], "stats": the latest dgad.stats
 * or null}}, the nodes being the registry entries of current members, oldest first.
 */
final class ClusterRoutes {

  private static final Logger LOG = Logger.getLogger(ClusterRoutes.class.getName());

  private final Vertx vertx;
  private JsonObject latestStats;

  ClusterRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The leader's {@code dgad.stats}. */
  void stats(JsonObject stats) {
    latestStats = stats;
  }

  void cluster(RoutingContext ctx) {
    JsonObject stats = latestStats;
    LeaderVerticle.leader(vertx).compose(leader -> vertx.sharedData()
        .<String, JsonObject>getAsyncMap(Bus.NODE_REGISTRY).compose(AsyncMap::entries).map(entries -> {
          List<String> members = ClusterContext.of(vertx).membership().oldestFirst();
          JsonArray nodes = new JsonArray();
          entries.values().stream().filter(n -> members.contains(n.getString("member")))
              .sorted((a, b) -> Long.compare(a.getLong("started", 0L), b.getLong("started", 0L)))
              .forEach(nodes::add);
          return new JsonObject().put("leader", leader).put("nodes", nodes).put("stats", stats);
        }))
        .onSuccess(ctx::json)
        .onFailure(e -> {
          LOG.log(Level.FINE, "the cluster registry failed", e);
          ApiSupport.error(ctx, 503, "the cluster registry did not answer; try again later");
        });
  }
}
