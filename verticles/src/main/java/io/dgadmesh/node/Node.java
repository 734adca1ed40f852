package io.dgadmesh.node;

import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.jobs.JobWorkerVerticle;
import io.dgadmesh.cluster.LeaderVerticle;
import io.dgadmesh.cluster.RegistryVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.grpc.GrpcVerticle;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.redis.RedisWorkerVerticle;
import io.dgadmesh.web.DashboardVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Deploys the verticles of a node's roles: the mesh first (registry entry, leader duties) so a
 * node is registered before its doors take work, then classifiers (the doors need them), gRPC,
 * the worker (Redis door and batch-job tasks) and web.
 */
public final class Node {
  private Node() {}


  /**
   * A Vert.x builder whose instance reports its own metrics (HTTP server, event bus, pools) to
   * the node's Prometheus registry ({@link NodeMetrics}) next to the dgad meters.
   */
  public static VertxBuilder builder(VertxOptions options) {
    return Vertx.builder()
        .with(options.setPreferNativeTransport(true)
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(NodeMetrics.registry()));
  }

  public static Vertx vertx() {
    Vertx vertx = builder(new VertxOptions()).build();
    UnhandledExceptions.install(vertx);
    return vertx;
  }

  public static Future<Void> deploy(Vertx vertx, JsonObject conf) {
    List<String> roles = NodeConfig.roles(conf);
    int classifiers = conf.getJsonObject("node").getInteger("classifiers");
    int grpcInstances = conf.getJsonObject("grpc").getInteger("instances");
    boolean clustered = conf.getJsonObject("cluster").getBoolean("enabled", false);
    DeploymentOptions one = new DeploymentOptions().setConfig(conf);
    Future<?> f = Future.succeededFuture();
    if (clustered || roles.contains("worker") || roles.contains("web")) {
      f = f.compose(v -> vertx.deployVerticle(RegistryVerticle.class.getName(), one))
          .compose(v -> vertx.deployVerticle(LeaderVerticle.class.getName(), one));
    }
    if (roles.contains("classifier")) {
      f = f.compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(),
          new DeploymentOptions().setConfig(conf).setInstances(classifiers)));
    }
    if (roles.contains("grpc")) {
      f = f.compose(v -> vertx.deployVerticle(GrpcVerticle.class.getName(),
          new DeploymentOptions().setConfig(conf).setInstances(grpcInstances)));
    }
    if (roles.contains("worker")) {
      f = f.compose(v -> vertx.deployVerticle(RedisWorkerVerticle.class.getName(), one))
          .compose(v -> vertx.deployVerticle(JobWorkerVerticle.class.getName(), one));
    }
    if (roles.contains("web")) {
      // One instance: it holds the recent-results buffer and the SSE subscribers.
      f = f.compose(v -> vertx.deployVerticle(DashboardVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
    }
    return f.mapEmpty();
  }


}
