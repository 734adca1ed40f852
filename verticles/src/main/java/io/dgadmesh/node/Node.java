package io.dgadmesh.node;

import io.dgadmesh.classifier.ClassifierSupervisor;
import io.dgadmesh.hostwatch.HostWatchVerticle;
import io.dgadmesh.jobs.JobWorkerVerticle;
import io.dgadmesh.kafka.KafkaSourceVerticle;
import io.dgadmesh.cluster.LeaderVerticle;
import io.dgadmesh.cluster.RegistryVerticle;
import io.dgadmesh.config.NodeConf;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.grpc.GrpcVerticle;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.metrics.StreamSafeMetricsFactory;
import io.dgadmesh.node.OrderedStop.Stage;
import io.dgadmesh.redis.RedisWorkerVerticle;
import io.dgadmesh.web.DashboardVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.core.json.JsonObject;

/**
 * Deploys the verticles of a node's roles: the mesh first (registry entry, leader duties) so a
 * node is registered before its doors take work, then classifiers (the doors need them), gRPC,
 * the worker (Redis door and batch-job tasks) and web. When the Vert.x instance closes they stop
 * in the reverse order ({@link OrderedStop}): doors, classifiers, mesh.
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
            .setMetricsOptions(NodeMetrics.vertxMetricsOptions()))
        .withMetrics(new StreamSafeMetricsFactory(new MicrometerMetricsFactory(NodeMetrics.registry())));
  }

  public static Vertx vertx() {
    Vertx vertx = builder(new VertxOptions()).build();
    UnhandledExceptions.install(vertx);
    return vertx;
  }

  /**
   * Deploys the roles of {@code conf} (a configuration {@link NodeConfig#load} returned). The
   * settings are read once here and handed to each verticle.
   */
  public static Future<Void> deploy(Vertx vertx, JsonObject conf) {
    NodeSettings s = NodeSettings.read(conf);
    return deploy(vertx, conf, s, OrderedStop.of(vertx, s.node().stopTimeoutMs()));
  }

  /** Deploys the roles of {@code s} (read from {@code conf}), each recorded in {@code stop} by its stage. */
  static Future<Void> deploy(Vertx vertx, JsonObject conf, NodeSettings s, OrderedStop stop) {
    NodeConf node = s.node();
    DeploymentOptions one = new DeploymentOptions().setConfig(conf);
    Future<?> f = Future.succeededFuture();
    if (s.cluster().enabled() || node.runs("worker") || node.runs("web")) {
      f = f.compose(v -> vertx.deployVerticle(() -> new RegistryVerticle(s), one)).map(id -> stop.add(Stage.MESH, id))
          .compose(v -> vertx.deployVerticle(() -> new LeaderVerticle(s), one)).map(id -> stop.add(Stage.MESH, id));
    }
    if (node.runs("classifier")) {
      // One supervisor: it runs node.classifiers instances and replaces one that fails or is stuck.
      f = f.compose(v -> vertx.deployVerticle(() -> new ClassifierSupervisor(s), one))
          .map(id -> stop.add(Stage.CLASSIFIERS, id));
    }
    if (node.runs("grpc")) {
      f = f.compose(v -> vertx.deployVerticle(() -> new GrpcVerticle(s),
          new DeploymentOptions().setInstances(s.grpc().instances()))).map(id -> stop.add(Stage.DOORS, id));
    }
    if (node.runs("worker")) {
      f = f.compose(v -> vertx.deployVerticle(() -> new RedisWorkerVerticle(s), one)).map(id -> stop.add(Stage.DOORS, id))
          .compose(v -> vertx.deployVerticle(() -> new JobWorkerVerticle(s), one)).map(id -> stop.add(Stage.DOORS, id))
          .compose(v -> vertx.deployVerticle(() -> new HostWatchVerticle(s), one)).map(id -> stop.add(Stage.DOORS, id));
      if (s.ingest().kafka().enabled()) {
        // Every worker joins the consumer group, so the topic's partitions spread over the cluster.
        f = f.compose(v -> vertx.deployVerticle(() -> new KafkaSourceVerticle(s), one)).map(id -> stop.add(Stage.SOURCES, id));
      }
    }
    if (node.runs("web")) {
      // One instance: it holds the recent-results buffer and the SSE subscribers.
      f = f.compose(v -> vertx.deployVerticle(() -> new DashboardVerticle(s), one)).map(id -> stop.add(Stage.DOORS, id));
    }
    return f.mapEmpty();
  }
}
