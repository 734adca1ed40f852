package io.dgadmesh.cluster;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.metrics.ServedModels;
import io.dgadmesh.config.NodeConf;
import io.dgadmesh.config.NodeSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.LinkedHashMap;
import java.util.logging.Logger;

/**
 * Keeps this node's entry in the node registry (shared map {@link Bus#NODE_REGISTRY}, cluster-wide
 * when clustered) fresh every second: id, name, roles, start time, version, Hazelcast member, the
 * model version its classifiers serve ({@link ServedModels}) and live counters (see {@link Bus}). Also watches for pauses: if the event loop did not run for
 * longer than failure detection (SIGSTOP, a VM freeze), the cluster has dropped this member and
 * re-queued its work, so it asks the node to restart and rejoin.
 */
public class RegistryVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(RegistryVerticle.class.getName());
  public static final String VERSION = versionOf();

  private AsyncMap<String, JsonObject> registry;
  private ClusterContext ctx;
  private JsonObject info;
  private long lastTick;
  private long lastClassified;
  private long lastAt;
  private long pauseLimitMs;
  private boolean paused;

  private final NodeSettings given;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public RegistryVerticle() {
    this(null);
  }

  public RegistryVerticle(NodeSettings settings) {
    this.given = settings;
  }

  @Override
  public Future<?> start() {
    ctx = ClusterContext.of(vertx);
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    NodeConf node = settings.node();
    pauseLimitMs = settings.cluster().failureDetectionMs() * 4L / 5;
    info = new JsonObject().put("id", node.idOrDefault())
        .put("name", node.name().isEmpty() ? node.idOrDefault() : node.name())
        .put("roles", new JsonArray(node.roles()))
        .put("started", ctx.started()).put("version", VERSION).put("member", ctx.membership().self())
        .put("restarts", ctx.restarts());
    lastTick = System.nanoTime();
    lastAt = lastTick;
    return vertx.sharedData().<String, JsonObject>getAsyncMap(Bus.NODE_REGISTRY).compose(m -> {
      registry = m;
      vertx.setPeriodic(200, id -> watchPauses());
      vertx.setPeriodic(1000, id -> refresh());
      return refresh();
    });
  }

  private void watchPauses() {
    long now = System.nanoTime();
    long gapMs = (now - lastTick) / 1_000_000;
    lastTick = now;
    if (gapMs > pauseLimitMs && ctx.membership().clustered() && !paused) {
      paused = true;
      ctx.restart().accept("this node did not run for " + gapMs + " ms (stopped or cut off)");
    }
  }

  Future<Void> refresh() {
    if (paused) {
      return Future.succeededFuture();
    }
    long now = System.nanoTime();
    long classified = NodeMetrics.judged();
    double secs = (now - lastAt) / 1e9;
    double throughput = secs > 0.05 ? (classified - lastClassified) / secs : 0;
    lastClassified = classified;
    lastAt = now;
    JsonObject entry = info.copy().put("classified", classified).put("dga", NodeMetrics.dga())
        .put("throughput", Math.round(throughput)).put("families", new JsonObject(new LinkedHashMap<>(NodeMetrics.families())))
        .put("classify_retries", NodeMetrics.classifyRetries()).put("model", ServedModels.of(vertx).versions())
        .put("point", ServedModels.of(vertx).points())
        .put("updated", System.currentTimeMillis());
    return registry.put(info.getString("id"), entry)
        .onFailure(err -> LOG.fine(() -> "registry refresh failed: " + err));
  }

  @Override
  public Future<?> stop() {
    if (registry == null || paused) {
      return Future.succeededFuture();
    }
    return registry.remove(info.getString("id")).otherwiseEmpty();
  }

  private static String versionOf() {
    String v = RegistryVerticle.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
