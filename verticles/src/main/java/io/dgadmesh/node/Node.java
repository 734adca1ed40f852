package io.dgadmesh.node;

import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.grpc.GrpcVerticle;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.redis.RedisWorkerVerticle;
import io.dgadmesh.web.DashboardVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Deploys the verticles of a node's roles, classifiers first (the doors need them). */
public final class Node {
  private Node() {}

  /**
   * A Vert.x instance whose own metrics (HTTP server, event bus, pools) go to the node's
   * Prometheus registry ({@link NodeMetrics}) next to the dgad meters.
   */
  public static Vertx vertx() {
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(NodeMetrics.registry()))
        .build();
  }

  public static Future<Void> deploy(Vertx vertx, JsonObject conf) {
    List<String> roles = NodeConfig.roles(conf);
    int classifiers = conf.getJsonObject("node").getInteger("classifiers");
    int grpcInstances = conf.getJsonObject("grpc").getInteger("instances");
    Future<?> f = Future.succeededFuture();
    if (roles.contains("classifier")) {
      f = f.compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(),
          new DeploymentOptions().setConfig(conf).setInstances(classifiers)));
    }
    if (roles.contains("grpc")) {
      f = f.compose(v -> vertx.deployVerticle(GrpcVerticle.class.getName(),
          new DeploymentOptions().setConfig(conf).setInstances(grpcInstances)));
    }
    if (roles.contains("redis")) {
      f = f.compose(v -> vertx.deployVerticle(RedisWorkerVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
    }
    if (roles.contains("web")) {
      // One instance: it holds the recent-results buffer and the SSE subscribers.
      f = f.compose(v -> vertx.deployVerticle(DashboardVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
    }
    return f.mapEmpty();
  }
}
